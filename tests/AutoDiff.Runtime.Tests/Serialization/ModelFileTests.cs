using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoDiff.Serialization;
using Xunit;

namespace AutoDiff.Runtime.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static ModelData Sample()
    {
        var random = new Random(3);
        var weights = Enumerable.Range(0, 12).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] special =
        {
            0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, double.PositiveInfinity,
            double.NegativeInfinity, double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), 1.0 / 3,
        };
        return new ModelData(
            "softmax-regression",
            new Dictionary<string, string> { ["classes"] = "setosa,versicolor,virginica", ["note"] = "µ-batch Σ ✓", ["empty"] = "" },
            new Dictionary<string, double[]> { ["weights"] = weights, ["bias"] = new[] { 0.1, -0.2, 0.3 }, ["special"] = special, ["none"] = Array.Empty<double>() });
    }

    private static void AssertBitIdentical(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(actual[i]));
    }

    [Fact]
    public void RoundTripIsBitIdentical()
    {
        var data = Sample();
        string path = dir.PathOf("model.admf");
        ModelFile.Save(path, data);
        var loaded = ModelFile.Load(path);

        Assert.Equal("softmax-regression", loaded.Kind);
        Assert.Equal(data.Metadata.OrderBy(p => p.Key), loaded.Metadata.OrderBy(p => p.Key));
        Assert.Equal(data.Parameters.Keys.OrderBy(k => k, StringComparer.Ordinal), loaded.Parameters.Keys);
        foreach (var (name, values) in data.Parameters) AssertBitIdentical(values, loaded.Parameters[name]);
        Assert.Equal(data, loaded);
        Assert.Equal(data.GetHashCode(), loaded.GetHashCode());
    }

    [Fact]
    public void EqualityComparesArraysBitForBit()
    {
        var a = new ModelData("k", new Dictionary<string, string>(), new Dictionary<string, double[]> { ["x"] = new[] { 0.0 } });
        var b = new ModelData("k", new Dictionary<string, string>(), new Dictionary<string, double[]> { ["x"] = new[] { -0.0 } });
        var c = new ModelData("k", new Dictionary<string, string>(), new Dictionary<string, double[]> { ["x"] = new[] { 0.0 } });
        Assert.NotEqual(a, b);
        Assert.Equal(a, c);
    }

    [Fact]
    public void BytesMatchTheDocumentedExample()
    {
        // docs/model-file-format.md, "Example".
        var data = new ModelData("linear",
            new Dictionary<string, string> { ["features"] = "2" },
            new Dictionary<string, double[]> { ["w"] = new[] { 1.0, -2.0 }, ["bias"] = new[] { 0.5 } });
        const string expected =
            "41444d46010000008000000000000000060000006c696e65617201000000080000006665617475726573010000003202000000" +
            "040000006269617301000000000000000000e03f010000007702000000000000000000f03f00000000000000c0" +
            "5d0ffb8cd311312a311434c81b34e679d8e0727f79cf458f5fad9d02b92b28a8";
        Assert.Equal(expected, Convert.ToHexString(ModelFile.Serialize(data)).ToLowerInvariant());
    }

    [Fact]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = dir.PathOf("model.admf");
        File.WriteAllText(path, "old contents");
        ModelFile.Save(path, Sample());
        Assert.Equal(Sample(), ModelFile.Load(path));
        Assert.Equal(new[] { "model.admf" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void StreamsRoundTrip()
    {
        using var stream = new MemoryStream();
        ModelFile.Save(stream, Sample());
        stream.Position = 0;
        Assert.Equal(Sample(), ModelFile.Load(stream, "memory"));
    }

    private InvalidDataException Refused(byte[] bytes, string expectedReason)
    {
        string path = dir.Write("broken.admf", bytes);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.StartsWith(path + ": cannot load the model: ", e.Message);
        Assert.Contains(expectedReason, e.Message);
        return e;
    }

    [Fact]
    public void CorruptedByteFailsTheChecksum()
    {
        byte[] good = ModelFile.Serialize(Sample());
        foreach (int at in new[] { 20, good.Length / 2, good.Length - 33, good.Length - 1 })
        {
            byte[] bad = (byte[])good.Clone();
            bad[at] ^= 0x04;
            Refused(bad, $"checksum mismatch: the SHA-256 of bytes 0..{good.Length - 33} differs from the one stored at byte {good.Length - 32}");
        }
    }

    [Fact]
    public void TruncatedFileIsRefused()
    {
        byte[] good = ModelFile.Serialize(Sample());
        Refused(good[..^1], $"truncated file: the header gives a length of {good.Length} bytes, the file has {good.Length - 1}");
        Refused(good[..(good.Length / 2)], "truncated file");
        Refused(good[..10], "truncated file: 10 bytes, fewer than the 16-byte header");
        Refused(good[..2], "truncated file");
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        byte[] good = ModelFile.Serialize(Sample());
        Refused(good.Concat(new byte[] { 0 }).ToArray(), "1 unexpected bytes after the end of the model");
    }

    [Fact]
    public void WrongMagicIsRefused()
    {
        byte[] bad = ModelFile.Serialize(Sample());
        bad[3] = (byte)'X';
        Refused(bad, "not an AutoDiff model file: it starts with 41 44 4D 58 instead of 'ADMF' (41 44 4D 46)");
        Refused("PK\u0003\u0004 a zip"u8.ToArray(), "not an AutoDiff model file: it starts with 50 4B 03 04");
        Refused(Array.Empty<byte>(), "the file is empty");
    }

    [Fact]
    public void FutureVersionIsRefused()
    {
        byte[] bad = ModelFile.Serialize(Sample());
        bad[4] = 2;
        Refused(bad, "unknown format version 2: this library reads version 1; the file was written by a newer AutoDiff");
        bad[4] = 0;
        Refused(bad, "unknown format version 0");
    }

    [Fact]
    public void UnknownFlagsAreRefused()
    {
        byte[] bad = ModelFile.Serialize(Sample());
        bad[6] = 1;
        Refused(bad, "unknown flags 0x0001");
    }

    [Fact]
    public void MissingFileIsNotADataError()
        => Assert.Throws<FileNotFoundException>(() => ModelFile.Load(dir.PathOf("absent.admf")));

    [Fact]
    public void InvalidModelDataIsRefusedOnSave()
    {
        Assert.Throws<ArgumentException>(() => new ModelData(""));
        var emptyName = new ModelData("k", new Dictionary<string, string>(), new Dictionary<string, double[]> { [""] = new double[1] });
        Assert.Throws<ArgumentException>(() => ModelFile.Save(dir.PathOf("x.admf"), emptyName));
        var nullArray = new ModelData("k", new Dictionary<string, string>(), new Dictionary<string, double[]> { ["w"] = null! });
        Assert.Throws<ArgumentException>(() => ModelFile.Save(dir.PathOf("x.admf"), nullArray));
        Assert.Throws<ArgumentException>(() => ModelFile.Save(dir.PathOf("x.admf"), new ModelData("k") with { Kind = "" }));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void EmptyModelRoundTrips()
    {
        string path = dir.PathOf("empty.admf");
        ModelFile.Save(path, new ModelData("nothing"));
        var loaded = ModelFile.Load(path);
        Assert.Equal("nothing", loaded.Kind);
        Assert.Empty(loaded.Metadata);
        Assert.Empty(loaded.Parameters);
        Assert.Equal(16 + 4 + 7 + 4 + 4 + 32, new FileInfo(path).Length);
    }
}
