using System;
using System.Linq;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

public class StandardizerTests
{
    // Columns: 1, 2, 3, 4 (mean 2.5, population std √1.25); 10, 10, 10, 10 (constant); -2, 0, 2, 8 (mean 2, std √14).
    private static readonly double[] Train = { 1, 10, -2, 2, 10, 0, 3, 10, 2, 4, 10, 8 };

    [Fact]
    public void FitLearnsMeanAndPopulationStd()
    {
        var scaler = new Standardizer().Fit(Train, 3);
        Assert.True(scaler.IsFitted);
        Assert.Equal(3, scaler.Columns);
        Assert.Equal(new[] { 2.5, 10, 2 }, scaler.Mean);
        Assert.Equal(Math.Sqrt(1.25), scaler.Scale[0], 15);
        Assert.Equal(1.0, scaler.Scale[1]); // constant column
        Assert.Equal(Math.Sqrt(14), scaler.Scale[2], 14);
    }

    [Fact]
    public void TransformedTrainingColumnsHaveZeroMeanAndUnitStd()
    {
        var data = new Dataset(Train, 4, 3, new[] { 0, 1, 0, 1 }, 2);
        var z = new Standardizer().FitTransform(data);
        Assert.Equal(data.Labels, z.Labels);
        for (int j = 0; j < 3; j++)
        {
            var column = Enumerable.Range(0, 4).Select(i => z.Features[i * 3 + j]).ToArray();
            Assert.Equal(0, column.Average(), 14);
            double variance = column.Select(x => x * x).Average();
            Assert.Equal(j == 1 ? 0 : 1, variance, 14);
        }

        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0.0, z.Features[i * 3 + 1]));
        Assert.Equal(Train, data.Features.ToArray()); // the input is not changed
    }

    [Fact]
    public void TestDataUsesTheTrainingStatistics()
    {
        var scaler = new Standardizer().Fit(Train, 3);
        double[] test = scaler.Transform(new double[] { 2.5, 11, 2 + Math.Sqrt(14) }, 3);
        Assert.Equal(0, test[0], 15);
        Assert.Equal(1, test[1], 15); // (11 − 10) / 1
        Assert.Equal(1, test[2], 14);
    }

    [Fact]
    public void InverseTransformUndoesTransform()
    {
        var scaler = new Standardizer().Fit(Train, 3);
        double[] z = scaler.Transform(Train, 3);
        scaler.InverseTransformInPlace(z, 3);
        for (int i = 0; i < Train.Length; i++) Assert.Equal(Train[i], z[i], 13);
    }

    [Fact]
    public void StoredStatisticsGiveTheSameTransform()
    {
        var fitted = new Standardizer().Fit(Train, 3);
        var restored = new Standardizer(fitted.Mean, fitted.Scale);
        Assert.Equal(fitted.Transform(Train, 3), restored.Transform(Train, 3));
        Assert.Throws<ArgumentException>(() => new Standardizer(new double[2], new double[] { 1, 0 }));
    }

    [Fact]
    public void MisuseIsReported()
    {
        Assert.Throws<InvalidOperationException>(() => new Standardizer().Transform(Train, 3));
        Assert.Throws<InvalidOperationException>(() => new Standardizer().Mean);
        var scaler = new Standardizer().Fit(Train, 3);
        Assert.Throws<ArgumentException>(() => scaler.Transform(Train, 4));
        Assert.Throws<ArgumentException>(() => new Standardizer().Fit(new double[5], 3));
        Assert.Throws<ArgumentException>(() => new Standardizer().Fit(Array.Empty<double>(), 3));
    }

    [Fact]
    public void RealDataStandardises()
    {
        var (train, test) = CsvDataset.Load(TestFiles.Data("wine_data.csv")).Split(0.25, seed: 2);
        var scaler = new Standardizer().Fit(train);
        var z = scaler.Transform(train);
        for (int j = 0; j < z.Columns; j++)
        {
            var column = Enumerable.Range(0, z.Rows).Select(i => z.Features[i * z.Columns + j]).ToArray();
            Assert.Equal(0, column.Average(), 12);
            Assert.Equal(1, Math.Sqrt(column.Select(x => x * x).Average()), 12);
        }

        Assert.Equal(test.Rows, scaler.Transform(test).Rows);
    }
}
