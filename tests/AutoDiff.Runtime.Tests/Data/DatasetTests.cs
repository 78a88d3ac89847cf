using System;
using System.Linq;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

public class DatasetTests
{
    /// <summary>A data set whose single feature is the row's index, so rows can be traced through subsets.</summary>
    internal static Dataset Indexed(int[] labels, int classCount)
        => new(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels.Length, 1, labels, classCount);

    [Fact]
    public void RowsAreSlicesOfTheRowMajorFeatures()
    {
        var data = new Dataset(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2, new[] { 0, 1, 1 }, 2, new[] { "no", "yes" });
        Assert.Equal(new double[] { 3, 4 }, data.Row(1).ToArray());
        Assert.Equal("yes", data.ClassName(1));
        Assert.Equal(new[] { 1, 2 }, data.ClassCounts());
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Row(3));
        Assert.Equal("Dataset: 3 rows × 2 features, 2 classes (no, yes)", data.ToString());
    }

    [Fact]
    public void ConstructorChecksSizesAndLabels()
    {
        Assert.Throws<ArgumentException>(() => new Dataset(new double[5], 3, 2, new int[3], 1));
        Assert.Throws<ArgumentException>(() => new Dataset(new double[6], 3, 2, new int[2], 1));
        Assert.Throws<ArgumentException>(() => new Dataset(new double[6], 3, 2, new[] { 0, 2, 1 }, 2));
        Assert.Throws<ArgumentException>(() => new Dataset(new double[6], 3, 2, new int[3], 2, new[] { "one" }));
        Assert.Throws<ArgumentException>(() => new Dataset(new double[6], 3, 2, new int[3], 1, null, new[] { "a" }));
    }

    [Fact]
    public void SubsetTakesRowsInTheGivenOrderAndKeepsNames()
    {
        var data = new Dataset(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2, new[] { 0, 1, 1 }, 2, new[] { "no", "yes" }, new[] { "a", "b" });
        var subset = data.Subset(new[] { 2, 0, 2 });
        Assert.Equal(new double[] { 5, 6, 1, 2, 5, 6 }, subset.Features);
        Assert.Equal(new[] { 1, 0, 1 }, subset.Labels);
        Assert.Same(data.ClassNames, subset.ClassNames);
        Assert.Same(data.FeatureNames, subset.FeatureNames);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset(new[] { 3 }));
    }

    [Fact]
    public void ShuffleIsADeterministicPermutation()
    {
        var data = Indexed(Enumerable.Range(0, 100).Select(i => i % 3).ToArray(), 3);
        var a = data.Shuffle(42);
        var b = data.Shuffle(42);
        var c = data.Shuffle(43);
        Assert.Equal(a.Features, b.Features);
        Assert.NotEqual(a.Features, c.Features);
        Assert.NotEqual(data.Features, a.Features);
        Assert.Equal(data.Features, a.Features.OrderBy(x => x));
        for (int i = 0; i < a.Rows; i++) Assert.Equal((int)a.Features[i] % 3, a.Labels[i]);
    }

    [Fact]
    public void ShuffleOfAFixedSeedIsFixedForever()
    {
        // The generator is part of the contract: this order must not change between versions.
        var shuffled = Indexed(new int[8], 1).Shuffle(1);
        Assert.Equal(ExpectedShuffleOfEight, shuffled.Features.Select(x => (int)x).ToArray());
    }

    private static readonly int[] ExpectedShuffleOfEight = { 6, 1, 7, 0, 4, 3, 2, 5 }; // SplitMix64 from seed 1, computed independently

    [Fact]
    public void WithFeaturesKeepsLabelsAndClasses()
    {
        var data = new Dataset(new double[] { 1, 2 }, 2, 1, new[] { 0, 1 }, 2, new[] { "a", "b" }, new[] { "x" });
        var wider = data.WithFeatures(new double[] { 1, 2, 3, 4 }, 2);
        Assert.Equal(data.Labels, wider.Labels);
        Assert.Equal(data.ClassNames, wider.ClassNames);
        Assert.Null(wider.FeatureNames);
        Assert.Equal(new[] { "x" }, data.WithFeatures(new double[] { 5, 6 }, 1).FeatureNames);
    }
}
