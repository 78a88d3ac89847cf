using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

/// <summary>The real CSV files in samples/data, and the options on small files.</summary>
public class CsvDatasetTests
{
    [Fact]
    public void IrisHasItsShapeClassNamesAndValues()
    {
        var iris = CsvDataset.Load(TestFiles.Data("iris.csv"));
        Assert.Equal(150, iris.Rows);
        Assert.Equal(4, iris.Columns);
        Assert.Equal(600, iris.Features.Length);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, iris.ClassNames);
        Assert.Equal(3, iris.ClassCount);
        Assert.Equal(new[] { 5.1, 3.5, 1.4, 0.2 }, iris.Row(0).ToArray());
        Assert.Equal(0, iris.Labels[0]);
        Assert.Equal(2, iris.Labels[149]);
        Assert.Equal(1.8, iris.Row(149)[3]);
        Assert.Equal(new[] { 50, 50, 50 }, iris.ClassCounts());
        Assert.Null(iris.FeatureNames);
        Assert.Equal("virginica", iris.ClassName(2));
    }

    [Fact]
    public void BreastCancerHasItsShapeAndValues()
    {
        var data = CsvDataset.Load(TestFiles.Data("breast_cancer.csv"));
        Assert.Equal((569, 30, 2), (data.Rows, data.Columns, data.ClassCount));
        Assert.Equal(new[] { "malignant", "benign" }, data.ClassNames);
        Assert.Equal(new[] { 17.99, 10.38, 122.8 }, data.Row(0)[..3].ToArray());
        Assert.Equal(0.07039, data.Row(568)[29]);
        Assert.Equal(new[] { 212, 357 }, data.ClassCounts());
    }

    [Fact]
    public void WineHasItsShapeAndValues()
    {
        var data = CsvDataset.Load(TestFiles.Data("wine_data.csv"));
        Assert.Equal((178, 13, 3), (data.Rows, data.Columns, data.ClassCount));
        Assert.Equal(new[] { "class_0", "class_1", "class_2" }, data.ClassNames);
        Assert.Equal(14.23, data.Row(0)[0]);
        Assert.Equal(1065, data.Row(0)[12]);
        Assert.Equal(560, data.Row(177)[12]);
        Assert.Equal(new[] { 59, 71, 48 }, data.ClassCounts());
    }

    [Fact]
    public void DigitsAreReadThroughGzipWithoutAHeader()
    {
        var data = CsvDataset.Load(TestFiles.Data("digits.csv.gz"));
        Assert.Equal((1797, 64, 10), (data.Rows, data.Columns, data.ClassCount));
        Assert.Null(data.ClassNames);
        Assert.Equal(new double[] { 0, 0, 5, 13, 9, 1 }, data.Row(0)[..6].ToArray());
        Assert.Equal(0, data.Labels[0]);
        Assert.Equal(8, data.Labels[^1]);
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, data.ClassCounts());
        Assert.All(data.Features, v => Assert.InRange(v, 0, 16));
    }

    [Fact]
    public void GzipIsRecognisedByItsBytesNotItsName()
    {
        using var dir = new TempDirectory();
        string path = dir.PathOf("digits.data");
        File.Copy(TestFiles.Data("digits.csv.gz"), path);
        Assert.Equal(1797, CsvDataset.Load(path).Rows);
    }

    [Fact]
    public void ColumnNamesHeaderGivesFeatureNames()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("named.csv", "a,b,label\n1,2,0\n3,4,1\n\n\n");
        var data = CsvDataset.Load(path);
        Assert.Equal(new[] { "a", "b" }, data.FeatureNames);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, data.Features);
        Assert.Equal(new[] { 0, 1 }, data.Labels);
        Assert.Equal(2, data.ClassCount);
    }

    [Fact]
    public void LabelColumnCanBeFirstOrCountedFromTheEnd()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("first.csv", "2;1.5;2.5\n0;-1e-3;4\n");
        var first = CsvDataset.Load(path, new CsvOptions { LabelColumn = 0, Separator = ';' });
        Assert.Equal(new[] { 2, 0 }, first.Labels);
        Assert.Equal(new[] { 1.5, 2.5, -0.001, 4 }, first.Features);

        var fromEnd = CsvDataset.Load(path, new CsvOptions { LabelColumn = -3, Separator = ';' });
        Assert.Equal(first.Features, fromEnd.Features);
        Assert.Equal(first.Labels, fromEnd.Labels);
    }

    [Fact]
    public void WordLabelsBecomeClassesInOrdinalOrder()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("words.csv", "5.1,3.5,setosa\n6.3,2.9,virginica\n5.9,3.0,versicolor\n5.0,3.4,setosa\n");
        var data = CsvDataset.Load(path);
        Assert.Equal(4, data.Rows);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, data.ClassNames);
        Assert.Equal(new[] { 0, 2, 1, 0 }, data.Labels);
    }

    [Fact]
    public void GivenClassNamesAcceptNamesAndIndices()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("given.csv", "1,no\n2,1\n3,yes\n");
        var data = CsvDataset.Load(path, new CsvOptions { ClassNames = new[] { "no", "yes" } });
        Assert.Equal(new[] { 0, 1, 1 }, data.Labels);
        Assert.Equal(new[] { "no", "yes" }, data.ClassNames);
    }

    [Fact]
    public void QuotedValuesAndCarriageReturnsAreRead()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("quoted.csv", "\"x, the first\",\"say \"\"y\"\"\",label\r\n\"1.5\", 2 ,1\r\n3,4,0\r\n");
        var data = CsvDataset.Load(path);
        Assert.Equal(new[] { "x, the first", "say \"y\"" }, data.FeatureNames);
        Assert.Equal(new[] { 1.5, 2, 3, 4 }, data.Features);
    }

    [Fact]
    public void ClassCountOptionWidensTheClasses()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("few.csv", "1,0\n2,1\n");
        Assert.Equal(5, CsvDataset.Load(path, new CsvOptions { ClassCount = 5 }).ClassCount);
        Assert.Equal(2, CsvDataset.Load(path).ClassCount);
    }

    [Fact]
    public void StreamsAreReadPlainOrGzipAndLeftOpen()
    {
        byte[] text = Encoding.UTF8.GetBytes("3,2,a,b\n1,2,0\n3,4,1\n5,6,1\n");
        using var plain = new MemoryStream(text);
        var data = CsvDataset.Load(plain, "memory.csv");
        Assert.Equal((3, 2), (data.Rows, data.Columns));
        Assert.Equal(new[] { "a", "b" }, data.ClassNames);
        Assert.True(plain.CanRead);

        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(text);
        packed.Position = 0;
        var unpacked = CsvDataset.Load(packed, "memory.csv.gz");
        Assert.Equal(data.Features, unpacked.Features);
        Assert.Equal(data.Labels, unpacked.Labels);
    }

    [Fact]
    public void ExplicitNoHeaderReadsTheFirstLineAsData()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("numbers.csv", "1,2,0\n3,4,1\n");
        Assert.Equal(2, CsvDataset.Load(path, new CsvOptions { Header = CsvHeader.None }).Rows);
        Assert.Equal(2, CsvDataset.Load(path).Rows);
        var named = CsvDataset.Load(path, new CsvOptions { Header = CsvHeader.ColumnNames });
        Assert.Equal(1, named.Rows);
        Assert.Equal(new[] { "1", "2" }, named.FeatureNames);
    }

    [Fact]
    public void BadOptionsAreArgumentErrors()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("x.csv", "1,0\n");
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { Separator = '"' }));
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { ClassCount = 0 }));
        Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, new CsvOptions { ClassNames = new[] { "a", "a" } }));
    }

    [Fact]
    public void MissingFileIsNotAFormatError()
        => Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid() + ".csv")));

    [Fact]
    public void UciFirstLineIsRecognisedOnlyWithClassNames()
    {
        using var dir = new TempDirectory();
        // Two integers and then numbers: data, not a header.
        string path = dir.Write("ints.csv", "1,2,3,0\n4,5,6,1\n");
        var data = CsvDataset.Load(path);
        Assert.Equal(2, data.Rows);
        Assert.Null(data.ClassNames);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (double)i), data.Features);
    }
}
