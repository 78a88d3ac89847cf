using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Samples.IrisClassifier;
using Xunit;

namespace AutoDiff.Samples.Tests;

public sealed class IrisDatasetTests : IDisposable
{
    private const string GoodHeader = "3,4,a,b,c";
    private const string GoodRow = "1.5,2,3.25,-4e-1,0";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "AutoDiff.Samples.Tests." + Guid.NewGuid().ToString("N"));

    public IrisDatasetTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>The copy of samples/data/iris.csv that the sample project puts into the output directory.</summary>
    private static string ShippedIrisPath => Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");

    [Fact]
    public void LoadsTheShippedIrisFile()
    {
        Assert.True(File.Exists(ShippedIrisPath), $"missing {ShippedIrisPath}");

        var data = IrisDataset.Load(ShippedIrisPath);

        Assert.Equal(150, data.Count);
        Assert.Equal(4, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, data.ClassNames);
        Assert.All(data.Features, x => Assert.Equal(4, x.Length));
        Assert.Equal(new[] { 50, 50, 50 }, Enumerable.Range(0, 3).Select(k => data.Labels.Count(l => l == k)));
        // First and last rows of Fisher's table.
        Assert.Equal(new[] { 5.1, 3.5, 1.4, 0.2 }, data.Features[0]);
        Assert.Equal(0, data.Labels[0]);
        Assert.Equal(new[] { 5.9, 3.0, 5.1, 1.8 }, data.Features[149]);
        Assert.Equal(2, data.Labels[149]);
    }

    [Fact]
    public void FindDefaultFileFindsTheShippedFile()
        => Assert.Equal(Path.GetFullPath(ShippedIrisPath), Path.GetFullPath(IrisDataset.FindDefaultFile()));

    [Fact]
    public void LoadsAWellFormedFileWithCrLfAndATrailingBlankLine()
    {
        string path = Write("good.csv", $"{GoodHeader}\r\n{GoodRow}\r\n0,0,0,0,1\r\n9,8,7,6,2\r\n\r\n");

        var data = IrisDataset.Load(path);

        Assert.Equal(3, data.Count);
        Assert.Equal(new[] { "a", "b", "c" }, data.ClassNames);
        Assert.Equal(new[] { 1.5, 2, 3.25, -0.4 }, data.Features[0]);
        Assert.Equal(new[] { 0, 1, 2 }, data.Labels);
    }

    [Fact]
    public void ParsesWithTheInvariantCultureWhateverTheCurrentCulture()
    {
        string path = Write("culture.csv", $"1,4,a,b\n{GoodRow}\n");
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // decimal comma
            Assert.Equal(new[] { 1.5, 2, 3.25, -0.4 }, IrisDataset.Load(path).Features[0]);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    public static TheoryData<string, string, int, string> MalformedFiles => new()
    {
        // name, content, 1-based line at fault, a phrase the message must contain
        { "empty", "", 1, "empty" },
        { "header-non-numeric-count", $"three,4,a,b,c\n{GoodRow}\n", 1, "'three'" },
        { "header-bad-feature-count", $"1,0,a,b,c\n{GoodRow}\n", 1, "feature count '0'" },
        { "header-too-short", $"1,4\n{GoodRow}\n", 1, "header" },
        { "header-empty-class", $"1,4,a,,c\n{GoodRow}\n", 1, "class name is empty" },
        { "too-few-fields", $"{GoodHeader}\n{GoodRow}\n1,2,3,0\n{GoodRow}\n", 3, "expected 5 fields" },
        { "too-many-fields", $"{GoodHeader}\n{GoodRow}\n{GoodRow}\n1,2,3,4,5,0\n", 4, "found 6" },
        { "non-numeric-feature", $"{GoodHeader}\n{GoodRow}\n{GoodRow}\n1,2,x3,4,0\n", 4, "feature 3 ('x3')" },
        { "decimal-comma", $"{GoodHeader}\n1;5,2,3,4,0\n{GoodRow}\n{GoodRow}\n", 2, "feature 1" },
        { "nan-feature", $"{GoodHeader}\n{GoodRow}\nNaN,2,3,4,0\n{GoodRow}\n", 3, "not a finite number" },
        { "label-too-large", $"{GoodHeader}\n1,2,3,4,3\n{GoodRow}\n{GoodRow}\n", 2, "label 3 is out of range" },
        { "label-negative", $"{GoodHeader}\n{GoodRow}\n1,2,3,4,-1\n{GoodRow}\n", 3, "label -1 is out of range" },
        { "label-not-integer", $"{GoodHeader}\n{GoodRow}\n{GoodRow}\n1,2,3,4,1.5\n", 4, "label '1.5'" },
        { "blank-line-inside", $"{GoodHeader}\n{GoodRow}\n\n{GoodRow}\n{GoodRow}\n", 3, "empty" },
        { "more-rows-than-header", $"{GoodHeader}\n{GoodRow}\n{GoodRow}\n{GoodRow}\n{GoodRow}\n", 5, "declares 3 rows" },
        { "fewer-rows-than-header", $"{GoodHeader}\n{GoodRow}\n{GoodRow}\n", 1, "only 2" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void RejectsAMalformedFileNamingTheFileAndLine(string name, string content, int expectedLine, string expectedPhrase)
    {
        string path = Write(name + ".csv", content);

        var e = Assert.Throws<DataFormatException>(() => IrisDataset.Load(path));

        Assert.IsAssignableFrom<FormatException>(e);
        Assert.Equal(path, e.FilePath);
        Assert.Equal(expectedLine, e.LineNumber);
        Assert.Contains(path, e.Message);
        Assert.Contains($"line {expectedLine}:", e.Message);
        Assert.Contains(expectedPhrase, e.Message);
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
