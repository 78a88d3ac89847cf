using System;
using System.Collections.Generic;
using System.Linq;

namespace Samples.IrisClassifier;

/// <summary>The settings of one training run. <see cref="Default"/> is what the sample runs.</summary>
/// <param name="Seed">Seeds the train/test shuffle, the initial parameters and the mini-batch order.</param>
/// <param name="TrainCount">How many of the shuffled samples go to training; the rest are the test split.</param>
/// <param name="Epochs">Passes over the training split.</param>
/// <param name="BatchSize">Samples per gradient step.</param>
/// <param name="LearningRate">The SGD step size.</param>
/// <param name="Momentum">The momentum coefficient (0 for plain SGD).</param>
/// <param name="L2">The strength of the L2 penalty on the weights.</param>
/// <param name="InitialScale">Initial parameters are drawn uniformly from [−InitialScale, InitialScale].</param>
public sealed record TrainingOptions(
    int Seed = 42,
    int TrainCount = 120,
    int Epochs = 100,
    int BatchSize = 10,
    double LearningRate = 0.05,
    double Momentum = 0.9,
    double L2 = 1e-3,
    double InitialScale = 0.1)
{
    /// <summary>The sample's settings.</summary>
    public static TrainingOptions Default { get; } = new();
}

/// <summary>The state of the model after one epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">The mean <see cref="IrisModel.SampleLoss"/> (cross-entropy plus L2) over the training split.</param>
/// <param name="TrainAccuracy">The fraction of the training split classified correctly.</param>
/// <param name="TestAccuracy">The fraction of the test split classified correctly.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy);

/// <summary>The outcome of <see cref="IrisTrainer.Train"/>.</summary>
/// <param name="History">The metrics after every epoch.</param>
/// <param name="Parameters">The trained parameters (layout as in <see cref="IrisModel"/>).</param>
/// <param name="ConfusionMatrix">On the test split: <c>[actual, predicted]</c> counts.</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, double[] Parameters, int[,] ConfusionMatrix)
{
    /// <summary>The metrics after the last epoch.</summary>
    public EpochMetrics Final => History[^1];

    /// <summary>The final accuracy on the test split.</summary>
    public double TestAccuracy => Final.TestAccuracy;

    /// <summary>The final accuracy on the training split.</summary>
    public double TrainAccuracy => Final.TrainAccuracy;
}

/// <summary>
/// Trains <see cref="IrisModel"/> with mini-batch SGD with momentum. The constructor does the preparation:
/// the seeded train/test split, the standardisation (with the training split's statistics) and the initial parameters.
/// </summary>
public sealed class IrisTrainer
{
    private readonly TrainingOptions options;
    private readonly Random random;
    private readonly double[] initialParameters;

    /// <summary>Splits and standardises <paramref name="data"/> and draws the initial parameters.</summary>
    public IrisTrainer(IrisDataset data, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.FeatureCount != IrisModel.FeatureCount || data.ClassCount != IrisModel.ClassCount)
            throw new ArgumentException($"The model needs {IrisModel.FeatureCount} features and {IrisModel.ClassCount} classes; the data has {data.FeatureCount} and {data.ClassCount}.", nameof(data));
        if (options.TrainCount <= 0 || options.TrainCount >= data.Count)
            throw new ArgumentOutOfRangeException(nameof(options), $"TrainCount must be between 1 and {data.Count - 1}.");
        if (options.Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(options), "Epochs must be positive.");
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be positive.");

        this.options = options;
        random = new Random(options.Seed);

        // Seeded Fisher-Yates shuffle, then the first TrainCount samples train and the rest test.
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        random.Shuffle(order);
        int[] trainIndices = order[..options.TrainCount];
        int[] testIndices = order[options.TrainCount..];

        // Standardise with the training split only, so that nothing about the test split leaks into training.
        (Mean, StandardDeviation) = Statistics(trainIndices.Select(i => data.Features[i]).ToArray());
        TrainFeatures = trainIndices.Select(i => Standardise(data.Features[i])).ToArray();
        TrainLabels = trainIndices.Select(i => data.Labels[i]).ToArray();
        TestFeatures = testIndices.Select(i => Standardise(data.Features[i])).ToArray();
        TestLabels = testIndices.Select(i => data.Labels[i]).ToArray();

        initialParameters = new double[IrisModel.ParameterCount];
        for (int i = 0; i < initialParameters.Length; i++)
            initialParameters[i] = options.InitialScale * (2 * random.NextDouble() - 1);
    }

    /// <summary>The per-feature mean of the training split.</summary>
    public double[] Mean { get; }

    /// <summary>The per-feature (population) standard deviation of the training split.</summary>
    public double[] StandardDeviation { get; }

    /// <summary>The standardised training features.</summary>
    public double[][] TrainFeatures { get; }

    /// <summary>The training labels.</summary>
    public int[] TrainLabels { get; }

    /// <summary>The standardised test features.</summary>
    public double[][] TestFeatures { get; }

    /// <summary>The test labels.</summary>
    public int[] TestLabels { get; }

    /// <summary>A copy of the parameters training starts from.</summary>
    public double[] InitialParameters => (double[])initialParameters.Clone();

    /// <summary>The mean training loss (cross-entropy plus L2) at <paramref name="parameters"/>.</summary>
    public double TrainingLoss(ReadOnlySpan<double> parameters)
    {
        double sum = 0;
        for (int i = 0; i < TrainFeatures.Length; i++)
            sum += IrisModel.Loss(parameters, TrainFeatures[i], TrainLabels[i], options.L2);
        return sum / TrainFeatures.Length;
    }

    /// <summary>The gradient of <see cref="TrainingLoss"/>, from the generated <c>SampleLossBackward</c>.</summary>
    public double[] TrainingLossGradient(ReadOnlySpan<double> parameters)
    {
        var gradient = new double[IrisModel.ParameterCount];
        double seed = 1.0 / TrainFeatures.Length;
        for (int i = 0; i < TrainFeatures.Length; i++)
            IrisModel.AccumulateGradient(parameters, TrainFeatures[i], TrainLabels[i], options.L2, seed, gradient);
        return gradient;
    }

    /// <summary>
    /// Compares the generated gradient of the mean training loss at the initial parameters with central
    /// finite differences, and returns the largest relative difference over the 15 parameters.
    /// </summary>
    public double MaxRelativeGradientError(double step = 1e-5)
    {
        double[] p = InitialParameters;
        double[] generated = TrainingLossGradient(p);
        double worst = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i];
            p[i] = saved + step;
            double up = TrainingLoss(p);
            p[i] = saved - step;
            double down = TrainingLoss(p);
            p[i] = saved;
            double numeric = (up - down) / (2 * step);
            double scale = Math.Max(Math.Max(Math.Abs(generated[i]), Math.Abs(numeric)), 1e-12);
            worst = Math.Max(worst, Math.Abs(generated[i] - numeric) / scale);
        }
        return worst;
    }

    /// <summary>Trains from the initial parameters for <see cref="TrainingOptions.Epochs"/> epochs.</summary>
    /// <param name="onEpoch">Called after every epoch, e.g. to print progress.</param>
    /// <remarks>Call once per trainer: the mini-batch order continues the trainer's random sequence.</remarks>
    public TrainingResult Train(Action<EpochMetrics>? onEpoch = null)
    {
        double[] p = InitialParameters;
        var velocity = new double[p.Length];
        var gradient = new double[p.Length];
        int[] order = Enumerable.Range(0, TrainFeatures.Length).ToArray();
        var history = new List<EpochMetrics>(options.Epochs);

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                int end = Math.Min(start + options.BatchSize, order.Length);

                // The gradient of the batch's mean loss, accumulated by the generated pullback.
                Array.Clear(gradient);
                double seed = 1.0 / (end - start);
                for (int b = start; b < end; b++)
                {
                    int i = order[b];
                    IrisModel.AccumulateGradient(p, TrainFeatures[i], TrainLabels[i], options.L2, seed, gradient);
                }

                // SGD with (heavy-ball) momentum.
                for (int j = 0; j < p.Length; j++)
                {
                    velocity[j] = options.Momentum * velocity[j] - options.LearningRate * gradient[j];
                    p[j] += velocity[j];
                }
            }

            var metrics = new EpochMetrics(
                epoch,
                TrainingLoss(p),
                Accuracy(p, TrainFeatures, TrainLabels),
                Accuracy(p, TestFeatures, TestLabels));
            history.Add(metrics);
            onEpoch?.Invoke(metrics);
        }

        return new TrainingResult(history, p, ConfusionMatrix(p, TestFeatures, TestLabels));
    }

    /// <summary>The fraction of <paramref name="features"/> that <paramref name="parameters"/> classify as <paramref name="labels"/>.</summary>
    public static double Accuracy(ReadOnlySpan<double> parameters, double[][] features, int[] labels)
    {
        int correct = 0;
        for (int i = 0; i < features.Length; i++)
            if (IrisModel.Predict(parameters, features[i]) == labels[i]) correct++;
        return (double)correct / features.Length;
    }

    /// <summary>Counts of <c>[actual, predicted]</c> classes.</summary>
    public static int[,] ConfusionMatrix(ReadOnlySpan<double> parameters, double[][] features, int[] labels)
    {
        var matrix = new int[IrisModel.ClassCount, IrisModel.ClassCount];
        for (int i = 0; i < features.Length; i++)
            matrix[labels[i], IrisModel.Predict(parameters, features[i])]++;
        return matrix;
    }

    private double[] Standardise(double[] x)
    {
        var z = new double[x.Length];
        for (int j = 0; j < x.Length; j++) z[j] = (x[j] - Mean[j]) / StandardDeviation[j];
        return z;
    }

    private static (double[] Mean, double[] StandardDeviation) Statistics(double[][] rows)
    {
        int d = rows[0].Length;
        var mean = new double[d];
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = rows.Average(r => r[j]);
            double variance = rows.Average(r => (r[j] - mean[j]) * (r[j] - mean[j]));
            // A constant feature carries no information; leave it centred but unscaled rather than divide by zero.
            std[j] = variance > 0 ? Math.Sqrt(variance) : 1.0;
        }
        return (mean, std);
    }
}
