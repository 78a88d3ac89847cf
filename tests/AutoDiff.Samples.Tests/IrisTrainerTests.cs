using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Samples.IrisClassifier;
using Xunit;

namespace AutoDiff.Samples.Tests;

public sealed class IrisTrainerTests
{
    private static readonly IrisDataset Iris = IrisDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"));

    [Fact]
    public void DefaultTrainingReachesNinetyPercentTestAccuracy()
    {
        var options = TrainingOptions.Default;
        var clock = Stopwatch.StartNew();
        var result = new IrisTrainer(Iris, options).Train();
        clock.Stop();

        Assert.Equal(options.Epochs, result.History.Count);
        Assert.True(result.TestAccuracy >= 0.9, $"test accuracy {result.TestAccuracy:P1}");
        Assert.True(result.TrainAccuracy >= 0.9, $"train accuracy {result.TrainAccuracy:P1}");
        Assert.True(result.Final.TrainLoss < result.History[0].TrainLoss, "the training loss did not fall");
        Assert.True(result.Final.TrainLoss < Math.Log(3), "the loss is no better than guessing");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"training took {clock.Elapsed}");
    }

    [Fact]
    public void ConfusionMatrixAgreesWithTestAccuracy()
    {
        var trainer = new IrisTrainer(Iris, TrainingOptions.Default);
        var result = trainer.Train();
        int[,] m = result.ConfusionMatrix;

        int total = 0, diagonal = 0;
        for (int a = 0; a < 3; a++)
        {
            // Row a counts the test samples whose true class is a.
            Assert.Equal(trainer.TestLabels.Count(l => l == a), Enumerable.Range(0, 3).Sum(p => m[a, p]));
            for (int p = 0; p < 3; p++) total += m[a, p];
            diagonal += m[a, a];
        }
        Assert.Equal(30, total);
        Assert.Equal(diagonal / 30.0, result.TestAccuracy, 1e-12);
    }

    [Fact]
    public void SplitIs120By30DisjointAndStandardisedWithTrainingStatistics()
    {
        var trainer = new IrisTrainer(Iris, TrainingOptions.Default);

        Assert.Equal(120, trainer.TrainFeatures.Length);
        Assert.Equal(30, trainer.TestFeatures.Length);

        // Every original sample lands in exactly one split: undo the standardisation and match rows.
        var restored = trainer.TrainFeatures.Concat(trainer.TestFeatures)
            .Select(z => z.Select((v, j) => v * trainer.StandardDeviation[j] + trainer.Mean[j]).ToArray())
            .Zip(trainer.TrainLabels.Concat(trainer.TestLabels))
            .Select(r => string.Join(",", r.First.Select(v => Math.Round(v, 6))) + ":" + r.Second)
            .OrderBy(s => s, StringComparer.Ordinal);
        var original = Iris.Features.Zip(Iris.Labels)
            .Select(r => string.Join(",", r.First.Select(v => Math.Round(v, 6))) + ":" + r.Second)
            .OrderBy(s => s, StringComparer.Ordinal);
        Assert.Equal(original, restored);

        // The training features have mean 0 and standard deviation 1, the test features need not.
        for (int j = 0; j < 4; j++)
        {
            double mean = trainer.TrainFeatures.Average(z => z[j]);
            double variance = trainer.TrainFeatures.Average(z => (z[j] - mean) * (z[j] - mean));
            Assert.Equal(0.0, mean, 1e-12);
            Assert.Equal(1.0, variance, 1e-12);
        }
    }

    [Fact]
    public void SameSeedGivesTheSameRun()
    {
        var first = new IrisTrainer(Iris, TrainingOptions.Default);
        var second = new IrisTrainer(Iris, TrainingOptions.Default);
        var other = new IrisTrainer(Iris, TrainingOptions.Default with { Seed = 7 });

        Assert.Equal(first.TestLabels, second.TestLabels);
        Assert.Equal(first.InitialParameters, second.InitialParameters);
        Assert.Equal(first.Train().Parameters, second.Train().Parameters);
        Assert.NotEqual(first.InitialParameters, other.InitialParameters);
    }

    [Fact]
    public void TrainingLossGradientMatchesCentralDifferences()
    {
        // The same check the sample prints, done here from the outside.
        var trainer = new IrisTrainer(Iris, TrainingOptions.Default);
        double[] p = trainer.InitialParameters;
        double[] generated = trainer.TrainingLossGradient(p);

        const double h = 1e-5;
        for (int i = 0; i < p.Length; i++)
        {
            double[] up = (double[])p.Clone(), down = (double[])p.Clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (trainer.TrainingLoss(up) - trainer.TrainingLoss(down)) / (2 * h);
            double scale = Math.Max(0.01, Math.Abs(numeric));
            Assert.True(Math.Abs(generated[i] - numeric) <= 1e-6 * scale, $"parameter {i}: generated {generated[i]:R}, finite difference {numeric:R}");
        }
        Assert.True(trainer.MaxRelativeGradientError() < 1e-6);
    }
}
