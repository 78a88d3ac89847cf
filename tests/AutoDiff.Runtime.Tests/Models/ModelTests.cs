using System;
using System.IO;
using System.Linq;
using System.Threading;
using AutoDiff.Data;
using AutoDiff.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using Xunit;

namespace AutoDiff.Runtime.Tests.Models;

/// <summary>The models and the trainer: convergence on real data, determinism, early stopping, refusal of non-finite values.</summary>
public class ModelTests
{
    private static Dataset Load(string file) => CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", file));

    private static (Dataset Train, Dataset Test) Standardized(string file, int seed = 3)
    {
        var (train, test) = Load(file).Split(0.25, seed);
        var scaler = new Standardizer().Fit(train);
        return (scaler.Transform(train), scaler.Transform(test));
    }

    [Fact]
    public void PredictionForwardAgreesWithTheDifferentiatedLoss()
    {
        var network = new MultilayerPerceptron(new[] { 4, 6, 3 }, Activation.Tanh, seed: 5);
        var features = new[] { 0.3, -1.2, 0.8, 2.0 };
        var probabilities = network.PredictProbabilities(features);
        for (int label = 0; label < 3; label++)
        {
            double loss = Losses.PerceptronSample(network.Parameters, features, 0, new[] { 4, 6, 3 }, 9, (int)Activation.Tanh,
                (int)OutputLoss.SoftmaxCrossEntropy, label, Array.Empty<double>(), 0);
            Assert.Equal(-Math.Log(probabilities[label]), loss, 10);
        }
    }

    [Theory]
    [InlineData(OutputLoss.SoftmaxCrossEntropy)]
    [InlineData(OutputLoss.SquaredError)]
    public void ReportedLossIsTheDifferentiatedLoss(OutputLoss output)
    {
        var (train, _) = Standardized("iris.csv");
        int[] sizes = { 4, 5, 3 };
        var network = new MultilayerPerceptron(sizes, Activation.SymmetricSigmoid, output, seed: 2);
        var targets = OneHot.Encode(train.Labels, 3);
        double expected = Enumerable.Range(0, train.Rows).Average(i => Losses.PerceptronSample(network.Parameters, train.Features, i * 4, sizes, 8,
            (int)Activation.SymmetricSigmoid, (int)output, train.Labels[i], targets, i * 3));
        Assert.Equal(expected, network.Loss(train), 12);
    }

    [Theory]
    [InlineData(Activation.Tanh, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.Glorot)]
    [InlineData(Activation.Relu, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.He)]
    [InlineData(Activation.SymmetricSigmoid, OutputLoss.SquaredError, WeightInitialization.NguyenWidrow)]
    [InlineData(Activation.Sigmoid, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.Glorot)]
    public void PerceptronLearnsWine(Activation activation, OutputLoss output, WeightInitialization initialization)
    {
        var (train, test) = Standardized("wine_data.csv");
        var network = new MultilayerPerceptron(new[] { train.Columns, 16, train.ClassCount }, activation, output, initialization, seed: 1);
        var options = new TrainingOptions { Epochs = 60, BatchSize = 16, Optimizer = () => new Adam(0.01), Seed = 2, ValidationFraction = 0, Patience = 0 };
        var history = network.Fit(train, options);
        Assert.True(history.Epochs[^1].TrainingLoss < history.Epochs[0].TrainingLoss / 3, $"loss {history.Epochs[0].TrainingLoss} → {history.Epochs[^1].TrainingLoss}");
        double accuracy = AutoDiff.Metrics.Classification.Accuracy(test.Labels, network.Predict(test));
        Assert.True(accuracy >= 0.93, $"test accuracy {accuracy}");
    }

    [Fact]
    public void TrainingIsDeterministicUnderASeedAndAnyNumberOfThreads()
    {
        var (train, _) = Standardized("iris.csv");
        double[] Run(int threads)
        {
            var network = new MultilayerPerceptron(new[] { 4, 8, 3 }, seed: 7);
            network.Fit(train, new TrainingOptions { Epochs = 5, BatchSize = 10, Seed = 11, MaxDegreeOfParallelism = threads, Optimizer = () => new Sgd(0.1, 0.9, nesterov: true) });
            return network.Parameters;
        }
        var once = Run(1);
        Assert.Equal(once, Run(4));
        Assert.Equal(once, Run(-1));
        var other = new MultilayerPerceptron(new[] { 4, 8, 3 }, seed: 7);
        other.Fit(train, new TrainingOptions { Epochs = 5, BatchSize = 10, Seed = 12, Optimizer = () => new Sgd(0.1, 0.9, nesterov: true) });
        Assert.NotEqual(once, other.Parameters);
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestEpoch()
    {
        var (train, _) = Standardized("wine_data.csv");
        var network = new MultilayerPerceptron(new[] { train.Columns, 32, train.ClassCount }, seed: 1);
        // A learning rate this high makes the validation loss worsen quickly.
        var options = new TrainingOptions { Epochs = 200, BatchSize = 8, Optimizer = () => new Adam(0.05), Seed = 4, ValidationFraction = 0.3, Patience = 3 };
        var reports = new System.Collections.Generic.List<EpochReport>();
        var history = network.Fit(train, options, new Collector(reports));
        Assert.True(history.StoppedEarly);
        Assert.Equal(reports.Count, history.Epochs.Count);
        Assert.Equal(history.BestEpoch + 3, history.Epochs.Count);
        double best = history.Epochs.Min(e => e.ValidationLoss);
        Assert.Equal(best, history.Epochs[history.BestEpoch - 1].ValidationLoss);
    }

    [Fact]
    public void NonFiniteLossIsRefusedWithWhereItHappened()
    {
        var (train, _) = Standardized("iris.csv");
        var poisoned = (double[])train.Features.Clone();
        poisoned[5 * train.Columns + 2] = double.NaN;
        var data = new Dataset(poisoned, train.Rows, train.Columns, train.Labels, train.ClassCount);
        var network = new MultilayerPerceptron(new[] { 4, 5, 3 }, seed: 1);
        var error = Assert.Throws<NonFiniteException>(() => network.Fit(data, new TrainingOptions { Epochs = 2, ValidationFraction = 0 }));
        Assert.Contains("epoch 1, batch", error.Message);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        var (train, _) = Standardized("iris.csv");
        var network = new MultilayerPerceptron(new[] { 4, 5, 3 }, seed: 1);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => network.Fit(train, new TrainingOptions(), cancellationToken: cancellation.Token));
    }

    [Fact]
    public void SavedNetworkPredictsIdentically()
    {
        var (train, test) = Standardized("iris.csv");
        var network = new MultilayerPerceptron(new[] { 4, 7, 3 }, Activation.Relu, seed: 3);
        network.Fit(train, new TrainingOptions { Epochs = 10, ValidationFraction = 0 });
        var path = Path.Combine(Path.GetTempPath(), $"autodiff-{Guid.NewGuid():N}.admf");
        try
        {
            network.Save(path);
            var loaded = MultilayerPerceptron.Load(path);
            Assert.Equal(network.LayerSizes, loaded.LayerSizes);
            Assert.Equal(network.Parameters, loaded.Parameters);
            Assert.Equal(network.Predict(test), loaded.Predict(test));
            for (int i = 0; i < test.Rows; i++) Assert.Equal(network.PredictProbabilities(test.Row(i)), loaded.PredictProbabilities(test.Row(i)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ModelFileOfAnotherKindIsRefused()
    {
        var data = new AutoDiff.Serialization.ModelData("SomethingElse");
        var error = Assert.Throws<InvalidDataException>(() => MultilayerPerceptron.FromModelData(data, "other.admf"));
        Assert.Contains("other.admf", error.Message);
    }

    [Theory]
    [InlineData(LogisticSolver.Lbfgs)]
    [InlineData(LogisticSolver.NewtonCg)]
    public void LogisticRegressionOnBreastCancer(LogisticSolver solver)
    {
        var (train, test) = Standardized("breast_cancer.csv", seed: 1);
        var model = new LogisticRegression();
        var result = model.Fit(train, new LogisticRegressionOptions { L2 = 0.01, Solver = solver });
        Assert.True(result.Converged, result.ToString());
        double accuracy = AutoDiff.Metrics.Classification.Accuracy(test.Labels, model.Predict(test));
        Assert.True(accuracy >= 0.96, $"test accuracy {accuracy}");
    }

    [Fact]
    public void LogisticLossIsTheMinimisedObjective()
    {
        var (train, _) = Standardized("wine_data.csv");
        var model = new LogisticRegression();
        var result = model.Fit(train, new LogisticRegressionOptions { L2 = 0.01 });
        Assert.Equal(result.Value, model.Loss(train), 12);
    }

    [Fact]
    public void NewtonCgAndLbfgsFindTheSameMinimum()
    {
        var (train, _) = Standardized("wine_data.csv");
        var lbfgs = new LogisticRegression();
        var newton = new LogisticRegression();
        var a = lbfgs.Fit(train, new LogisticRegressionOptions { L2 = 0.01, Solver = LogisticSolver.Lbfgs });
        var b = newton.Fit(train, new LogisticRegressionOptions { L2 = 0.01, Solver = LogisticSolver.NewtonCg });
        Assert.Equal(a.Value, b.Value, 7);
        Assert.True(b.HessianVectorProducts > 0);
        double scale = 1 + a.X.Max(Math.Abs);
        double difference = a.X.Zip(b.X, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(difference < 1e-3 * scale, $"the minimisers differ by {difference} (scale {scale})");
        Assert.Equal(lbfgs.Predict(train), newton.Predict(train));
    }

    [Fact]
    public void GradientOfTheObjectiveMatchesTheGradientChecker()
    {
        var (train, _) = Standardized("iris.csv");
        var objective = LogisticRegression.Objective(train, 0.01);
        var x = Enumerable.Range(0, LogisticRegression.ParameterCount(3, 4)).Select(i => Math.Sin(i)).ToArray();
        GradientChecker.Assert(objective, x);
    }

    private sealed class Collector(System.Collections.Generic.List<EpochReport> reports) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => reports.Add(value);
    }
}
