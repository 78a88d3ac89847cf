using System;
using AutoDiff.Metrics;
using Xunit;

namespace AutoDiff.Runtime.Tests.Metrics;

public class ConfusionMatrixTests
{
    // Rows true, columns predicted:  cat [2 1 0], dog [0 2 0], bird [1 0 3].
    private static readonly int[] Truth = { 0, 0, 0, 1, 1, 2, 2, 2, 2 };
    private static readonly int[] Predicted = { 0, 0, 1, 1, 1, 2, 2, 0, 2 };

    private static ConfusionMatrix Matrix(string[]? names = null) => new(Truth, Predicted, 3, names);

    [Fact]
    public void CountsPairsOfTrueAndPredictedClasses()
    {
        var m = Matrix();
        Assert.Equal(new[,] { { 2, 1, 0 }, { 0, 2, 0 }, { 1, 0, 3 } }, m.Counts);
        Assert.Equal(3, m[2, 2]);
        Assert.Equal(9, m.Total);
        Assert.Equal(7 / 9.0, m.Accuracy, 15);
        Assert.Equal(new[] { 3, 2, 4 }, new[] { m.Support(0), m.Support(1), m.Support(2) });
    }

    [Fact]
    public void PrecisionRecallAndF1PerClass()
    {
        var m = Matrix();
        Assert.Equal(2 / 3.0, m.Precision(0), 15);
        Assert.Equal(2 / 3.0, m.Precision(1), 15);
        Assert.Equal(1.0, m.Precision(2));
        Assert.Equal(2 / 3.0, m.Recall(0), 15);
        Assert.Equal(1.0, m.Recall(1));
        Assert.Equal(0.75, m.Recall(2));
        Assert.Equal(2 / 3.0, m.F1Score(0), 15);
        Assert.Equal(0.8, m.F1Score(1), 15);
        Assert.Equal(6 / 7.0, m.F1Score(2), 15);
        Assert.Equal((2 / 3.0 + 0.8 + 6 / 7.0) / 3, m.MacroF1Score, 15);
    }

    [Fact]
    public void ScoresWithoutSamplesAreZero()
    {
        var m = new ConfusionMatrix(new[] { 0, 0 }, new[] { 0, 0 }, 3);
        Assert.Equal(0.0, m.Precision(1));
        Assert.Equal(0.0, m.Recall(2));
        Assert.Equal(0.0, m.F1Score(2));
    }

    [Fact]
    public void CountsAreACopy()
    {
        var m = Matrix();
        m.Counts[0, 0] = 100;
        Assert.Equal(2, m[0, 0]);
    }

    [Fact]
    public void PrintsAnAlignedTableWithClassNames()
    {
        string expected = string.Join(Environment.NewLine,
            @"actual \ predicted    cat    dog   bird  recall",
            "cat                     2      1      0   0.667",
            "dog                     0      2      0   1.000",
            "bird                    1      0      3   0.750",
            "precision           0.667  0.667  1.000",
            "accuracy 0.778 (7 of 9)");
        Assert.Equal(expected, Matrix(new[] { "cat", "dog", "bird" }).ToString());
    }

    [Fact]
    public void LongNamesAndNumbersWidenTheirColumns()
    {
        var truth = new int[1200];
        var predicted = new int[1200];
        predicted[0] = 1;
        string[] lines = new ConfusionMatrix(truth, predicted, 2, new[] { "a-rather-long-class-name", "b" }).ToString().Split(Environment.NewLine);
        Assert.Equal(lines[0].Length, lines[1].Length);
        Assert.Equal(lines[0].Length, lines[2].Length);
        Assert.StartsWith("a-rather-long-class-name", lines[1]);
        Assert.Contains("1199", lines[1]);
        // Each count ends where its column's name ends.
        int bEnds = lines[0].IndexOf("  b  ", StringComparison.Ordinal) + 3;
        Assert.Equal('1', lines[1][bEnds - 1]);
        Assert.Equal(' ', lines[1][bEnds]);
    }

    [Fact]
    public void NumbersStandInForMissingNames()
    {
        Assert.Equal(new[] { "0", "1", "2" }, Matrix().ClassNames);
        Assert.StartsWith(@"actual \ predicted      0      1      2  recall", Matrix().ToString());
    }

    [Fact]
    public void RefusesClassesOutOfRange()
    {
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[] { 0, 3 }, new[] { 0, 1 }, 3));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[] { 0, 1 }, new[] { 0, -1 }, 3));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[] { 0 }, new[] { 0, 1 }, 3));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(new[] { 0 }, new[] { 0 }, 3, new[] { "a" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix().Precision(3));
    }
}
