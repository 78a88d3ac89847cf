using System;
using System.IO;
using System.Linq;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

/// <summary>Every malformed CSV file is refused with a <see cref="DataFormatException"/> that names the file, the line and the problem.</summary>
public sealed class CsvErrorTests : IDisposable
{
    private const string IrisHeader = "150,4,setosa,versicolor,virginica\n";
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private DataFormatException Refused(string name, string text, CsvOptions? options = null)
    {
        string path = dir.Write(name, text);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, options));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(name, e.Message);
        Assert.Null(e.Offset);
        return e;
    }

    private static void AssertAt(DataFormatException e, string name, int line, string problem)
    {
        Assert.Equal(line, e.Line);
        Assert.Equal($"{name}, line {line}: {problem}", e.Message);
        Assert.Equal(problem, e.Problem);
    }

    [Fact]
    public void WrongColumnCount()
    {
        var e = Refused("iris.csv", "5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0\n");
        AssertAt(e, "iris.csv", 2, "expected 5 values, found 4");
    }

    [Fact]
    public void WrongColumnCountDeepInTheFile()
    {
        string text = "a,b,label\n" + string.Concat(System.Linq.Enumerable.Repeat("1,2,0\n", 15)) + "1,2,3,0\n";
        var e = Refused("deep.csv", text);
        AssertAt(e, "deep.csv", 17, "expected 3 values, found 4");
    }

    [Fact]
    public void NonNumericValue()
    {
        var e = Refused("bad.csv", "1,2,3,0\n1,2,abc,1\n");
        AssertAt(e, "bad.csv", 2, "non-numeric value 'abc' in column 3");
    }

    [Fact]
    public void DecimalCommaIsNotANumber()
    {
        var e = Refused("comma.csv", "1;2.5;0\n1;2,5;1\n", new CsvOptions { Separator = ';' });
        AssertAt(e, "comma.csv", 2, "non-numeric value '2,5' in column 2");
    }

    [Fact]
    public void MissingValue()
    {
        var e = Refused("gap.csv", "1,2,0\n1,,1\n");
        AssertAt(e, "gap.csv", 2, "missing value in column 2");
    }

    [Fact]
    public void NonFiniteValue()
    {
        var e = Refused("nan.csv", "1,2,0\nNaN,2,1\n");
        AssertAt(e, "nan.csv", 2, "non-finite value 'NaN' in column 1");
    }

    [Fact]
    public void LabelOutOfTheHeadersRange()
    {
        var e = Refused("iris.csv", "2,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,7\n");
        AssertAt(e, "iris.csv", 3, "label 7 out of range 0..2");
    }

    [Fact]
    public void LabelOutOfTheGivenClassCount()
    {
        var e = Refused("count.csv", "1,0\n2,3\n", new CsvOptions { ClassCount = 3 });
        AssertAt(e, "count.csv", 2, "label 3 out of range 0..2");
    }

    [Fact]
    public void NegativeLabel()
    {
        var e = Refused("negative.csv", "1,0\n2,-1\n");
        AssertAt(e, "negative.csv", 2, "negative label -1");
    }

    [Fact]
    public void UnknownClassName()
    {
        var e = Refused("names.csv", "2,1,no,yes\n1,no\n2,maybe\n");
        AssertAt(e, "names.csv", 3, "label 'maybe' in column 2 is neither a class index 0..1 nor a class name (no, yes)");
    }

    [Fact]
    public void WordAmongIntegerLabels()
    {
        var e = Refused("mixed.csv", "1,0\n2,one\n");
        AssertAt(e, "mixed.csv", 2, "label 'one' in column 2 is not a class index (an integer), as the labels above are");
    }

    [Fact]
    public void HeaderRowCountDisagreesWithTheData()
    {
        var e = Refused("iris.csv", IrisHeader + "5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,1\n");
        AssertAt(e, "iris.csv", 1, "line 1 says 150 rows, found 2");
    }

    [Fact]
    public void HeaderFeatureCountDisagreesWithTheData()
    {
        var e = Refused("iris.csv", "1,3,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n");
        AssertAt(e, "iris.csv", 2, "expected 4 values, found 5 (line 1 says 3 features and the label)");
    }

    [Fact]
    public void HeaderOnlyFile()
    {
        var e = Refused("iris.csv", IrisHeader);
        AssertAt(e, "iris.csv", 1, "line 1 says 150 rows, found 0");
    }

    [Fact]
    public void ExplicitUciHeaderThatIsNotOne()
    {
        var e = Refused("plain.csv", "a,b,c\n1,2,0\n", new CsvOptions { Header = CsvHeader.CountsAndClassNames });
        AssertAt(e, "plain.csv", 1, "expected a first line 'count,features,class names...' (for example 150,4,setosa,versicolor,virginica), found 'a,b,c'");
    }

    [Fact]
    public void EmptyFile()
    {
        var e = Refused("empty.csv", "\n\n");
        Assert.Null(e.Line);
        Assert.Equal("empty.csv: no data rows", e.Message);
    }

    [Fact]
    public void BlankLineInsideTheData()
    {
        var e = Refused("blank.csv", "1,0\n\n2,1\n");
        AssertAt(e, "blank.csv", 2, "blank line before the end of the data");
    }

    [Fact]
    public void LabelColumnOutsideTheRow()
    {
        var e = Refused("narrow.csv", "1,2,0\n", new CsvOptions { LabelColumn = 5 });
        AssertAt(e, "narrow.csv", 1, "label column 5 does not exist: the rows have 3 values");
    }

    [Fact]
    public void RowWithoutFeatures()
    {
        var e = Refused("single.csv", "0\n1\n");
        AssertAt(e, "single.csv", 1, "a row needs at least one feature and the label; found 1 value");
    }

    [Fact]
    public void UnterminatedQuote()
    {
        var e = Refused("quote.csv", "1,2,0\n\"1,2,0\n");
        AssertAt(e, "quote.csv", 2, "unterminated quoted value in column 1");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void TruncatedGzipIsRefusedWithTheByteWhereItEnds(int eighths)
    {
        byte[] whole = File.ReadAllBytes(TestFiles.Data("digits.csv.gz"));
        int length = whole.Length * eighths / 9;
        string path = dir.Write("digits.csv.gz", whole[..length]);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(length, e.Offset);
        Assert.Null(e.Line);
        Assert.StartsWith($"digits.csv.gz, byte {length}: truncated or corrupt gzip data", e.Message);
    }

    [Fact]
    public void GzipCutInsideItsTrailerIsRefused()
    {
        byte[] whole = File.ReadAllBytes(TestFiles.Data("digits.csv.gz"));
        string path = dir.Write("digits.csv.gz", whole[..^3]);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal(whole.Length - 3, e.Offset);
        Assert.Contains("gzip", e.Message);
    }

    [Fact]
    public void GzipHeaderAloneIsRefused()
    {
        string path = dir.Write("tiny.gz", new byte[] { 0x1F, 0x8B, 8, 0, 0 });
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal("tiny.gz, byte 5: truncated gzip data: the file has 5 bytes, too few for a gzip header and trailer", e.Message);
    }

    [Fact]
    public void CorruptGzipByteIsRefused()
    {
        byte[] bytes = File.ReadAllBytes(TestFiles.Data("digits.csv.gz"));
        bytes[bytes.Length / 2] ^= 0x55;
        string path = dir.Write("digits.csv.gz", bytes);
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("gzip", e.Message);
        Assert.NotNull(e.Offset);
    }

    [Fact]
    public void ConcatenatedGzipMembersAreRefused()
    {
        static byte[] Pack(string text)
        {
            using var packed = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal)) gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
            return packed.ToArray();
        }

        byte[] first = Pack("1,0\n"), second = Pack("2,1\n");
        string path = dir.Write("two.csv.gz", first.Concat(second).ToArray());
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path));
        Assert.Equal(first.Length + second.Length, e.Offset);
        Assert.Contains("concatenated gzip members", e.Message);
    }

    [Fact]
    public void StreamErrorsUseTheGivenName()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("1,0\n1,2,0\n"));
        var e = Assert.Throws<DataFormatException>(() => CsvDataset.Load(stream, "upload.csv"));
        Assert.Equal("upload.csv, line 2: expected 2 values, found 3", e.Message);
        Assert.IsAssignableFrom<FormatException>(e);
    }
}
