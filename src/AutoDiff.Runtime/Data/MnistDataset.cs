using System;
using System.Buffers.Binary;
using System.IO;

namespace AutoDiff.Data;

/// <summary>
/// Reads images and labels in the IDX format of MNIST (and of Fashion-MNIST, KMNIST, EMNIST): an IDX3 file of
/// images and an IDX1 file of labels, each plain or gzip-compressed (recognised by its first bytes, not by the
/// extension; single-member gzip, with its trailer's CRC-32 and length checked).
/// </summary>
/// <remarks>
/// <para>
/// IDX files are big-endian. Images: the magic number 2051 (<c>00 00 08 03</c>: unsigned bytes, three dimensions),
/// then the image count, the rows and the columns as 32-bit integers, then the pixels, image by image, row by row,
/// one byte each. Labels: the magic number 2049 (<c>00 00 08 01</c>), the count, then one byte per label.
/// </para>
/// <para>
/// The data set has one row per image and one column per pixel (28 × 28 = 784 for MNIST, row-major), each pixel
/// scaled from 0..255 to [0, 1] (divided by 255). The loader throws <see cref="DataFormatException"/> (naming the
/// file, the byte offset and the problem) for a wrong magic number, a truncated file, data beyond what the header
/// promises, a label out of range or counts that disagree, and never returns part of the data.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Dataset mnist = MnistDataset.Load("data/mnist-t10k-images-idx3-ubyte.gz", "data/mnist-t10k-labels-idx1-ubyte.gz");
/// var (train, test) = mnist.Split(0.2, seed: 1);   // 8,000 / 2,000
/// </code>
/// </example>
public static class MnistDataset
{
    /// <summary>The magic number of an IDX3 file of unsigned bytes (images): 2051, 0x00000803.</summary>
    public const int ImagesMagic = 0x0803;

    /// <summary>The magic number of an IDX1 file of unsigned bytes (labels): 2049, 0x00000801.</summary>
    public const int LabelsMagic = 0x0801;

    private const int ImagesHeaderLength = 16;
    private const int LabelsHeaderLength = 8;

    /// <summary>Reads an IDX3 images file and the IDX1 labels file that goes with it.</summary>
    /// <param name="imagesPath">The images (for example <c>t10k-images-idx3-ubyte.gz</c>).</param>
    /// <param name="labelsPath">The labels (for example <c>t10k-labels-idx1-ubyte.gz</c>).</param>
    /// <param name="classCount">The number of classes; every label must be below it. 10 (the digits) by default.</param>
    /// <returns>A data set of one row per image, the pixels in [0, 1], with <paramref name="classCount"/> classes.</returns>
    /// <exception cref="DataFormatException">A file is not a valid IDX file of the expected kind, or the two disagree.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static Dataset Load(string imagesPath, string labelsPath, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(imagesPath);
        ArgumentNullException.ThrowIfNull(labelsPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        Images images;
        using (var content = DataStreams.OpenFile(imagesPath)) images = ReadImages(content, imagesPath);
        byte[] labels;
        using (var content = DataStreams.OpenFile(labelsPath)) labels = ReadLabels(content, labelsPath, classCount);
        return Combine(images, imagesPath, labels, labelsPath, classCount);
    }

    /// <summary>Reads IDX3 images and IDX1 labels from streams (each plain or gzip), which are read to their end and left open.</summary>
    /// <param name="images">The images.</param>
    /// <param name="imagesName">The name of the images in error messages.</param>
    /// <param name="labels">The labels.</param>
    /// <param name="labelsName">The name of the labels in error messages.</param>
    /// <param name="classCount">The number of classes; every label must be below it.</param>
    /// <exception cref="DataFormatException">A stream is not a valid IDX file of the expected kind, or the two disagree.</exception>
    public static Dataset Load(Stream images, string imagesName, Stream labels, string labelsName, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(imagesName);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(labelsName);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        Images read;
        using (var content = DataStreams.Decompressed(new DataStreams.Unowned(images), imagesName)) read = ReadImages(content, imagesName);
        byte[] labelBytes;
        using (var content = DataStreams.Decompressed(new DataStreams.Unowned(labels), labelsName)) labelBytes = ReadLabels(content, labelsName, classCount);
        return Combine(read, imagesName, labelBytes, labelsName, classCount);
    }

    private readonly record struct Images(byte[] Pixels, int Count, int Rows, int Columns);

    private static Dataset Combine(Images images, string imagesName, byte[] labels, string labelsName, int classCount)
    {
        if (labels.Length != images.Count)
        {
            throw new DataFormatException(
                $"the labels file holds {labels.Length} labels but the images file {DataFormatException.DisplayName(imagesName)} holds {images.Count} images",
                labelsName, null, 4);
        }

        var features = new double[images.Pixels.Length];
        for (int i = 0; i < features.Length; i++) features[i] = images.Pixels[i] / 255.0;
        var classes = new int[labels.Length];
        for (int i = 0; i < classes.Length; i++) classes[i] = labels[i];
        return new Dataset(features, images.Count, images.Rows * images.Columns, classes, classCount);
    }

    private static Images ReadImages(Stream content, string name) => Guarded(content, () =>
    {
        Span<byte> header = stackalloc byte[ImagesHeaderLength];
        ReadHeader(content, name, header, ImagesMagic, "an IDX3 file of images");
        int count = Size(header, 4, name, "image count");
        int rows = Size(header, 8, name, "row count");
        int columns = Size(header, 12, name, "column count");
        if (count == 0) throw new DataFormatException("the file holds no images", name, null, 4);
        if (rows == 0 || columns == 0) throw new DataFormatException($"images of {rows} × {columns} pixels", name, null, 8);
        long expected = (long)count * rows * columns;
        if (expected >= Array.MaxLength)
            throw new DataFormatException($"the header's sizes ({count} images of {rows} × {columns}) are too large to load", name, null, 4);
        byte[] pixels = ReadBody(content, name, expected, ImagesHeaderLength, $"{count} images of {rows} × {columns} pixels");
        return new Images(pixels, count, rows, columns);
    });

    private static byte[] ReadLabels(Stream content, string name, int classCount) => Guarded(content, () =>
    {
        Span<byte> header = stackalloc byte[LabelsHeaderLength];
        ReadHeader(content, name, header, LabelsMagic, "an IDX1 file of labels");
        int count = Size(header, 4, name, "label count");
        if (count == 0) throw new DataFormatException("the file holds no labels", name, null, 4);
        byte[] labels = ReadBody(content, name, count, LabelsHeaderLength, $"{count} labels");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
                throw new DataFormatException($"label {labels[i]} out of range 0..{classCount - 1} (label {i})", name, null, LabelsHeaderLength + i);
        }

        return labels;
    });

    /// <summary>Runs a reader; when it finds a problem in gzip data, a damaged gzip stream is reported instead, if it is one.</summary>
    private static T Guarded<T>(Stream content, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DataFormatException) when (content is CheckedGzipStream gzip)
        {
            gzip.CheckToEnd();
            throw;
        }
    }

    private static void ReadHeader(Stream content, string name, Span<byte> header, int magic, string what)
    {
        int got = DataStreams.ReadAtMost(content, header);
        if (got < 4)
            throw new DataFormatException($"truncated IDX file: {got} bytes, too few for the magic number", name, null, got);
        int found = BinaryPrimitives.ReadInt32BigEndian(header);
        if (found != magic)
        {
            string hint = found switch
            {
                LabelsMagic => "; that is the magic number of an IDX1 file of labels: are the images and labels swapped?",
                ImagesMagic => "; that is the magic number of an IDX3 file of images: are the images and labels swapped?",
                _ when header[0] == 0x1F && header[1] == 0x8B => "; the data is gzip inside gzip",
                _ => "",
            };
            throw new DataFormatException($"wrong magic number {found} (0x{found:X8}), expected {magic} (0x{magic:X8}) for {what}{hint}", name, null, 0);
        }

        if (got < header.Length)
            throw new DataFormatException($"truncated IDX file: the header needs {header.Length} bytes, the file has {got}", name, null, got);
    }

    private static int Size(ReadOnlySpan<byte> header, int offset, string name, string what)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header[offset..]);
        if (value < 0) throw new DataFormatException($"negative {what} {value} in the header", name, null, offset);
        return value;
    }

    /// <summary>Reads exactly <paramref name="expected"/> bytes and checks that nothing follows them.</summary>
    private static byte[] ReadBody(Stream content, string name, long expected, int headerLength, string promise)
    {
        // Grow the buffer as data arrives rather than trust the header with one large allocation.
        long limit = expected + 1;
        var buffer = new byte[(int)Math.Min(limit, 1 << 20)];
        int length = 0;
        while (length < limit)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(limit, (long)buffer.Length * 2));
            int n = content.Read(buffer, length, buffer.Length - length);
            if (n == 0) break;
            length += n;
        }

        if (length < expected)
        {
            throw new DataFormatException(
                $"truncated IDX file: the header promises {promise} ({expected} bytes after the header), but only {length} bytes follow",
                name, null, headerLength + length);
        }

        if (length > expected)
            throw new DataFormatException($"more data than the header promises ({promise}, {expected} bytes after the header)", name, null, headerLength + expected);
        if (buffer.Length != expected) Array.Resize(ref buffer, (int)expected);
        return buffer;
    }
}
