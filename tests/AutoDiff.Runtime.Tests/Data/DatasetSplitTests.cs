using System;
using System.Linq;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

public class DatasetSplitTests
{
    private static int[] RowIds(Dataset data) => data.Features.Select(x => (int)x).ToArray();

    private static void AssertPartition(Dataset whole, Dataset train, Dataset test)
    {
        var all = RowIds(train).Concat(RowIds(test)).OrderBy(i => i).ToArray();
        Assert.Equal(Enumerable.Range(0, whole.Rows), all);
        foreach (var part in new[] { train, test })
        {
            for (int i = 0; i < part.Rows; i++) Assert.Equal(whole.Labels[(int)part.Features[i]], part.Labels[i]);
        }
    }

    [Fact]
    public void SameSeedSameSplit()
    {
        var data = DatasetTests.Indexed(Enumerable.Range(0, 200).Select(i => i % 4).ToArray(), 4);
        foreach (bool stratify in new[] { true, false })
        {
            var (trainA, testA) = DatasetSplit.TrainTest(data, 0.25, seed: 7, stratify);
            var (trainB, testB) = data.Split(0.25, seed: 7, stratify);
            Assert.Equal(trainA.Features, trainB.Features);
            Assert.Equal(testA.Features, testB.Features);
            var (_, testC) = DatasetSplit.TrainTest(data, 0.25, seed: 8, stratify);
            Assert.NotEqual(testA.Features.OrderBy(x => x), testC.Features.OrderBy(x => x));
        }
    }

    [Fact]
    public void EveryRowLandsInExactlyOnePart()
    {
        var labels = Enumerable.Range(0, 97).Select(i => i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0).ToArray();
        var data = DatasetTests.Indexed(labels, 3);
        foreach (bool stratify in new[] { true, false })
        {
            var (train, test) = data.Split(0.3, seed: 3, stratify);
            Assert.Equal(29, test.Rows); // round(0.3 × 97) = 29
            Assert.Equal(68, train.Rows);
            AssertPartition(data, train, test);
        }
    }

    [Fact]
    public void StratifiedIrisSplitKeepsTheProportions()
    {
        var iris = CsvDataset.Load(TestFiles.Data("iris.csv"));
        var (train, test) = iris.Split(0.2, seed: 1);
        Assert.Equal(new[] { 10, 10, 10 }, test.ClassCounts());
        Assert.Equal(new[] { 40, 40, 40 }, train.ClassCounts());
        Assert.Equal(iris.ClassNames, test.ClassNames);
    }

    [Fact]
    public void StratifiedSharesOfUnevenClassesFollowLargestRemainder()
    {
        // Classes of 50, 30 and 20 rows; 0.15 × 100 = 15 test rows: exact shares 7.5, 4.5 and 3, so the
        // remainders tie and go to the larger class: 8, 4, 3.
        var labels = Enumerable.Repeat(0, 50).Concat(Enumerable.Repeat(1, 30)).Concat(Enumerable.Repeat(2, 20)).ToArray();
        var data = DatasetTests.Indexed(labels, 3);
        var (train, test) = data.Split(0.15, seed: 5);
        Assert.Equal(new[] { 8, 4, 3 }, test.ClassCounts());
        Assert.Equal(new[] { 42, 26, 17 }, train.ClassCounts());
        AssertPartition(data, train, test);
    }

    [Fact]
    public void StratifiedBreastCancerSplitMatchesTheClassFrequencies()
    {
        var data = CsvDataset.Load(TestFiles.Data("breast_cancer.csv"));
        var (train, test) = data.Split(0.2, seed: 0);
        Assert.Equal(114, test.Rows); // round(0.2 × 569)
        // 212 × 114 / 569 = 42.47, 357 × 114 / 569 = 71.53
        Assert.Equal(new[] { 42, 72 }, test.ClassCounts());
        Assert.Equal(455, train.Rows);
    }

    [Fact]
    public void PartsComeOutShuffled()
    {
        var data = DatasetTests.Indexed(Enumerable.Range(0, 100).Select(i => i < 50 ? 0 : 1).ToArray(), 2);
        var (train, _) = data.Split(0.2, seed: 11);
        var ids = RowIds(train);
        Assert.NotEqual(ids.OrderBy(i => i), ids);
        Assert.Contains(1, train.Labels[..10]);
        Assert.Contains(0, train.Labels[..10]);
    }

    [Fact]
    public void EachPartHasAtLeastOneRow()
    {
        var data = DatasetTests.Indexed(new[] { 0, 1, 0 }, 2);
        var (train, test) = data.Split(0.01, seed: 1, stratify: false);
        Assert.Equal((2, 1), (train.Rows, test.Rows));
        (train, test) = data.Split(0.99, seed: 1, stratify: false);
        Assert.Equal((1, 2), (train.Rows, test.Rows));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void FractionMustBeStrictlyBetweenZeroAndOne(double fraction)
        => Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.TrainTest(DatasetTests.Indexed(new int[10], 1), fraction, 1));

    [Fact]
    public void OneRowCannotBeSplit()
        => Assert.Throws<ArgumentException>(() => DatasetSplit.TrainTest(DatasetTests.Indexed(new int[1], 1), 0.5, 1));
}
