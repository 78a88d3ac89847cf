using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

/// <summary>Small IDX files written by the test, good and bad.</summary>
public sealed class MnistErrorTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static byte[] Idx(int magic, int[] sizes, byte[] data)
    {
        var bytes = new byte[4 + 4 * sizes.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < sizes.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), sizes[i]);
        data.CopyTo(bytes, 4 + 4 * sizes.Length);
        return bytes;
    }

    /// <summary>Three 2×2 images with pixels 0, 1, ..., 11 and their labels.</summary>
    private static byte[] Images(int count = 3) => Idx(2051, new[] { count, 2, 2 }, Enumerable.Range(0, 12).Select(i => (byte)i).ToArray());

    private static byte[] Labels(params byte[] labels) => Idx(2049, new[] { labels.Length }, labels);

    private static byte[] Gzip(byte[] bytes)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal)) gzip.Write(bytes);
        return packed.ToArray();
    }

    private DataFormatException Refused(byte[] images, byte[] labels, string expectedFile)
    {
        string imagesPath = dir.Write("images.idx3", images);
        string labelsPath = dir.Write("labels.idx1", labels);
        var e = Assert.Throws<DataFormatException>(() => MnistDataset.Load(imagesPath, labelsPath));
        Assert.Equal(dir.PathOf(expectedFile), e.FilePath);
        Assert.StartsWith(expectedFile + ", byte ", e.Message);
        Assert.NotNull(e.Offset);
        Assert.Null(e.Line);
        return e;
    }

    [Fact]
    public void SmallPlainFilesLoad()
    {
        string images = dir.Write("images.idx3", Images());
        string labels = dir.Write("labels.idx1", Labels(1, 0, 9));
        var data = MnistDataset.Load(images, labels);
        Assert.Equal((3, 4, 10), (data.Rows, data.Columns, data.ClassCount));
        Assert.Equal(new[] { 1, 0, 9 }, data.Labels);
        Assert.Equal(new[] { 4 / 255.0, 5 / 255.0, 6 / 255.0, 7 / 255.0 }, data.Row(1).ToArray());
    }

    [Fact]
    public void GzipAndPlainFilesMix()
    {
        string images = dir.Write("images.bin", Gzip(Images()));
        string labels = dir.Write("labels.bin", Labels(1, 0, 9));
        Assert.Equal(3, MnistDataset.Load(images, labels).Rows);
    }

    [Fact]
    public void StreamsLoad()
    {
        using var images = new MemoryStream(Gzip(Images()));
        using var labels = new MemoryStream(Labels(2, 2, 2));
        var data = MnistDataset.Load(images, "images", labels, "labels", classCount: 3);
        Assert.Equal(new[] { 0, 0, 3 }, data.ClassCounts());
    }

    [Fact]
    public void WrongMagicNumber()
    {
        var e = Refused(Idx(0x0802, new[] { 3, 2, 2 }, new byte[12]), Labels(1, 0, 9), "images.idx3");
        Assert.Equal(0, e.Offset);
        Assert.Equal("images.idx3, byte 0: wrong magic number 2050 (0x00000802), expected 2051 (0x00000803) for an IDX3 file of images", e.Message);
    }

    [Fact]
    public void SwappedFilesAreNamedAsSuch()
    {
        var e = Refused(Labels(1, 0, 9), Images(), "images.idx3");
        Assert.Contains("wrong magic number 2049", e.Message);
        Assert.Contains("are the images and labels swapped?", e.Message);
    }

    [Fact]
    public void WrongMagicInTheLabels()
    {
        var e = Refused(Images(), Idx(2051, new[] { 3 }, new byte[] { 1, 0, 9 }), "labels.idx1");
        Assert.Equal(0, e.Offset);
        Assert.Contains("expected 2049", e.Message);
    }

    [Fact]
    public void TruncatedPixels()
    {
        byte[] images = Images();
        var e = Refused(images[..^5], Labels(1, 0, 9), "images.idx3");
        Assert.Equal(16 + 7, e.Offset);
        Assert.Equal("images.idx3, byte 23: truncated IDX file: the header promises 3 images of 2 × 2 pixels (12 bytes after the header), but only 7 bytes follow", e.Message);
    }

    [Fact]
    public void TruncatedHeader()
    {
        var e = Refused(Images()[..10], Labels(1, 0, 9), "images.idx3");
        Assert.Equal(10, e.Offset);
        Assert.Contains("truncated IDX file: the header needs 16 bytes, the file has 10", e.Message);
    }

    [Fact]
    public void TruncatedLabels()
    {
        var e = Refused(Images(), Labels(1, 0, 9)[..^1], "labels.idx1");
        Assert.Equal(10, e.Offset);
        Assert.Contains("truncated IDX file", e.Message);
    }

    [Fact]
    public void MoreDataThanTheHeaderPromises()
    {
        var e = Refused(Images(count: 2), Labels(1, 0), "images.idx3");
        Assert.Equal(16 + 8, e.Offset);
        Assert.Contains("more data than the header promises", e.Message);
    }

    [Fact]
    public void CountMismatch()
    {
        var e = Refused(Images(), Labels(1, 0), "labels.idx1");
        Assert.Equal(4, e.Offset);
        Assert.Equal("labels.idx1, byte 4: the labels file holds 2 labels but the images file images.idx3 holds 3 images", e.Message);
    }

    [Fact]
    public void LabelOutOfRange()
    {
        var e = Refused(Images(), Labels(1, 12, 9), "labels.idx1");
        Assert.Equal(9, e.Offset);
        Assert.Equal("labels.idx1, byte 9: label 12 out of range 0..9 (label 1)", e.Message);
    }

    [Fact]
    public void TruncatedGzipOfTheRealLabels()
    {
        byte[] whole = File.ReadAllBytes(TestFiles.Data("mnist-t10k-labels-idx1-ubyte.gz"));
        int half = whole.Length / 2;
        var e = Refused(Images(), whole[..half], "labels.idx1");
        Assert.Equal(half, e.Offset);
        Assert.StartsWith($"labels.idx1, byte {half}: truncated or corrupt gzip data", e.Message);
    }

    [Fact]
    public void TruncatedGzipOfSmallImages()
    {
        byte[] packed = Gzip(Images());
        var e = Refused(packed[..^4], Labels(1, 0, 9), "images.idx3");
        Assert.Equal(packed.Length - 4, e.Offset);
        Assert.Contains("gzip", e.Message);
    }
}
