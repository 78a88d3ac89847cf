using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Data;
using AutoDiff.Gpu.Models;
using AutoDiff.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// <see cref="GpuMultinomialLogistic"/> (the generated kernels of <see cref="LossKernels.MultinomialLogistic"/> in double and
/// <see cref="KernelLosses.MultinomialLogisticSingle"/> in float, with their scratch rows) on ILGPU's CPU accelerator, against
/// the runtime's own <see cref="Losses.MultinomialLogistic"/> and its generated CPU derivatives on the same rows, against
/// central differences of its own gradient, and its training against the CPU trainer and the runtime's
/// <see cref="LogisticRegression.Fit"/>. Data: wine (3 classes, 13 features) and UCI digits (10 classes, 64 features), standardised.
/// </summary>
public sealed class MultinomialTests : IDisposable
{
    private const double L2 = 0.01;

    private readonly AcceleratorContext device = TestDevice.Create();

    public void Dispose() => device.Dispose();

    /// <summary>A batch with repeats and rows out of order, as a shuffled mini-batch or an oversampled one has.</summary>
    private static int[] Batch(int rows) => Enumerable.Range(0, 200).Select(i => (i * 37 + 11) % rows).Append(3).Append(3).ToArray();

    /// <summary>The batch's rows as a data set of their own (repeats kept), for the runtime's loss over all its rows.</summary>
    private static (double[] Features, int[] Labels) Gather(Dataset data, int[] batch)
        => (batch.SelectMany(i => TestData.Row(data, i)).ToArray(), batch.Select(i => data.Labels[i]).ToArray());

    private static double[] Parameters(Dataset data, int seed) => TestData.Random(data.ClassCount * (data.Columns + 1), seed);

    [Fact]
    public void ShapeFollowsTheData()
    {
        var data = TestData.Wine;
        using var loss = new GpuMultinomialLogistic(device, data);
        Assert.Equal(3, loss.ClassCount);
        Assert.Equal(data.Rows, loss.Rows);
        Assert.Equal(3 * 13 + 3, loss.ParameterCount);
        Assert.Equal(Precision.Double, loss.Precision);
        using var single = new GpuMultinomialLogistic(device, data, Precision.Single);
        Assert.Equal(Precision.Single, single.Precision);
    }

    [Theory]
    [InlineData("wine", Precision.Double, 1e-9)]
    [InlineData("wine", Precision.Single, 1e-4)]
    [InlineData("digits", Precision.Double, 1e-9)]
    [InlineData("digits", Precision.Single, 1e-4)]
    public void BatchGradientMatchesTheRuntimesLoss(string name, Precision precision, double tolerance)
    {
        var data = TestData.Multiclass(name);
        var w = Parameters(data, seed: 1);
        var batch = Batch(data.Rows);
        var (features, labels) = Gather(data, batch);
        var expected = new double[w.Length];
        double expectedValue = Losses.MultinomialLogisticBackward(w, features, labels, batch.Length, data.Columns, data.ClassCount, L2, 1.0, expected);

        using var loss = new GpuMultinomialLogistic(device, data, precision);
        var gradient = new double[w.Length];
        double value = loss.BatchGradient(w, batch, 0, batch.Length, gradient);
        value += loss.Penalty(L2, w, gradient);
        Assert.Equal(expectedValue, value, tolerance * expectedValue);
        Assert.True(TestData.RelativeError(gradient, expected) < tolerance, $"relative error {TestData.RelativeError(gradient, expected):E2}");
    }

    [Theory]
    [InlineData(Precision.Double, 1e-12)] // widened to 1e-9 on a GPU (TestDevice.Tolerance)
    [InlineData(Precision.Single, 1e-5)]
    public void LossMatchesTheRuntimesLoss(Precision precision, double tolerance)
    {
        var data = TestData.Digits;
        var w = Parameters(data, seed: 2);
        var batch = Batch(data.Rows);
        var (features, labels) = Gather(data, batch);
        double expected = Losses.MultinomialLogistic(w, features, labels, batch.Length, data.Columns, data.ClassCount, 0.0);
        using var loss = new GpuMultinomialLogistic(device, data, precision);
        Assert.Equal(expected, loss.Loss(w, batch), TestDevice.Tolerance(tolerance) * expected);
    }

    [Theory]
    [InlineData(Precision.Double, 1e-12)] // widened to 1e-9 on a GPU (TestDevice.Tolerance)
    [InlineData(Precision.Single, 1e-4)]
    public void PerSampleGradientsMatchTheRuntimePerRow(Precision precision, double tolerance)
    {
        var data = TestData.Wine;
        var w = Parameters(data, seed: 3);
        var batch = Batch(data.Rows);
        using var loss = new GpuMultinomialLogistic(device, data, precision);
        var rows = new double[batch.Length, w.Length];
        double mean = loss.PerSampleGradients(w, batch, rows);
        double expectedMean = 0;
        for (int k = 0; k < batch.Length; k++)
        {
            var expected = new double[w.Length];
            int i = batch[k];
            expectedMean += Losses.MultinomialLogisticBackward(w, TestData.Row(data, i), new[] { data.Labels[i] }, 1, data.Columns, data.ClassCount, 0.0, 1.0, expected);
            var actual = Enumerable.Range(0, w.Length).Select(j => rows[k, j]).ToArray();
            Assert.True(TestData.RelativeError(actual, expected) < TestDevice.Tolerance(tolerance), $"sample {k}: relative error {TestData.RelativeError(actual, expected):E2}");
        }
        expectedMean /= batch.Length;
        Assert.Equal(expectedMean, mean, TestDevice.Tolerance(tolerance) * expectedMean);

        // The rows, averaged, are the batch gradient.
        var summed = Enumerable.Range(0, w.Length).Select(j => Enumerable.Range(0, batch.Length).Sum(k => rows[k, j]) / batch.Length).ToArray();
        var gradient = new double[w.Length];
        loss.BatchGradient(w, batch, 0, batch.Length, gradient);
        Assert.True(TestData.RelativeError(gradient, summed) < TestDevice.Tolerance(tolerance));
    }

    [Theory]
    [InlineData("wine", Precision.Double, 1e-9)]
    [InlineData("wine", Precision.Single, 1e-4)]
    [InlineData("digits", Precision.Double, 1e-9)]
    [InlineData("digits", Precision.Single, 1e-4)]
    public void HessianVectorMatchesTheRuntimesHessianVector(string name, Precision precision, double tolerance)
    {
        var data = TestData.Multiclass(name);
        var w = Parameters(data, seed: 4);
        var v = Parameters(data, seed: 5);
        var batch = Batch(data.Rows);
        var (features, labels) = Gather(data, batch);
        var expected = Losses.MultinomialLogisticHessianVector(w, features, labels, batch.Length, data.Columns, data.ClassCount, 0.0, v);
        using var loss = new GpuMultinomialLogistic(device, data, precision);
        var actual = new double[w.Length];
        loss.HessianVector(w, batch, v, actual);
        Assert.True(TestData.RelativeError(actual, expected) < tolerance, $"relative error {TestData.RelativeError(actual, expected):E2}");
    }

    [Fact]
    public void HessianVectorMatchesCentralDifferencesOfTheGradient()
    {
        var data = TestData.Wine;
        var w = Parameters(data, seed: 6);
        var v = Parameters(data, seed: 7);
        var batch = Batch(data.Rows);
        using var loss = new GpuMultinomialLogistic(device, data);
        var hv = new double[w.Length];
        loss.HessianVector(w, batch, v, hv);
        const double h = 1e-5;
        var plus = w.Select((x, j) => x + h * v[j]).ToArray();
        var minus = w.Select((x, j) => x - h * v[j]).ToArray();
        var gradientPlus = new double[w.Length];
        var gradientMinus = new double[w.Length];
        loss.BatchGradient(plus, batch, 0, batch.Length, gradientPlus);
        loss.BatchGradient(minus, batch, 0, batch.Length, gradientMinus);
        var differences = gradientPlus.Select((g, j) => (g - gradientMinus[j]) / (2 * h)).ToArray();
        Assert.True(TestData.RelativeError(hv, differences) < 1e-7, $"relative error {TestData.RelativeError(hv, differences):E2}");
    }

    [Fact]
    public void BackwardKernelMatchesCentralDifferencesOfTheForwardKernel()
    {
        var data = TestData.Wine;
        var w = Parameters(data, seed: 8);
        var batch = Batch(data.Rows);
        using var loss = new GpuMultinomialLogistic(device, data);
        var gradient = new double[w.Length];
        loss.BatchGradient(w, batch, 0, batch.Length, gradient);
        const double h = 1e-5;
        for (int j = 0; j < w.Length; j++)
        {
            var plus = (double[])w.Clone();
            var minus = (double[])w.Clone();
            plus[j] += h;
            minus[j] -= h;
            double difference = (loss.Loss(plus, batch) - loss.Loss(minus, batch)) / (2 * h);
            Assert.True(Math.Abs(difference - gradient[j]) < 1e-7 * (1 + Math.Abs(difference)), $"parameter {j}: kernel {gradient[j]}, differences {difference}");
        }
    }

    [Fact]
    public void ObjectiveAndHessianVectorMatchTheRuntimesLogisticRegression()
    {
        var data = TestData.Wine;
        var w = Parameters(data, seed: 9);
        var v = Parameters(data, seed: 10);
        using var loss = new GpuMultinomialLogistic(device, data);

        Agreement.MatchesLogisticRegression(data, L2, w, v, loss.Objective(L2), loss.HessianVectorProduct(L2));
    }

    [Fact]
    public void BuffersGrowAndShrinkWithTheBatch()
    {
        // One object serves batches of any size in any order (its per-launch buffers, scratch rows included, grow with
        // the largest), with the results of a fresh object for each.
        var data = TestData.Digits;
        var w = Parameters(data, seed: 11);
        using var loss = new GpuMultinomialLogistic(device, data);
        foreach (int size in new[] { 3, 500, 17, 1, 500 })
        {
            var batch = Enumerable.Range(0, size).Select(i => (i * 131 + 7) % data.Rows).ToArray();
            using var fresh = new GpuMultinomialLogistic(device, data);
            var expected = new double[w.Length];
            double expectedValue = fresh.BatchGradient(w, batch, 0, size, expected);
            var gradient = new double[w.Length];
            double value = loss.BatchGradient(w, batch, 0, size, gradient);
            Assert.Equal(expectedValue, value, TestDevice.Tolerance(1e-14) * expectedValue);
            Assert.True(TestData.RelativeError(gradient, expected) < TestDevice.Tolerance(1e-14));
        }
    }

    private static TrainingOptions Options => new()
    {
        Epochs = 4,
        BatchSize = 16,
        Optimizer = () => new Adam(0.01),
        Seed = 7,
        ValidationFraction = 0.2,
        Patience = 0,
        L2 = 0.001,
    };

    /// <summary>The class of the largest logit, the first on a tie; written here so that the test does not score with the class under test.</summary>
    private static int Predict(Dataset data, double[] parameters, int row)
    {
        int classes = data.ClassCount, columns = data.Columns, predicted = 0;
        double largest = double.NegativeInfinity;
        for (int k = 0; k < classes; k++)
        {
            double z = parameters[classes * columns + k];
            for (int j = 0; j < columns; j++) z += parameters[k * columns + j] * data.Features[row * columns + j];
            if (z > largest) (largest, predicted) = (z, k);
        }
        return predicted;
    }

    /// <summary>
    /// The CPU path of the same training: each sample's gradient by the runtime's generated <c>Losses.MultinomialLogisticBackward</c>
    /// on that row (double), or by the generated CPU pullback of <see cref="KernelLosses.MultinomialLogisticSingle"/>
    /// (float, converting), summed over each batch on the CPU's cores by <see cref="ParallelGradient"/>.
    /// </summary>
    private static (double[] Parameters, TrainingHistory History) TrainOnCpu(Dataset data, Precision precision)
    {
        int classes = data.ClassCount, columns = data.Columns;
        var parameters = new double[classes * (columns + 1)];
        var rows = Enumerable.Range(0, data.Rows).Select(i => TestData.Row(data, i)).ToArray();
        var rowsSingle = rows.Select(r => Array.ConvertAll(r, v => (float)v)).ToArray();
        ParallelGradient.SampleBackward backward = precision == Precision.Double
            ? (i, seed, gradient) => Losses.MultinomialLogisticBackward(parameters, rows[i], new[] { data.Labels[i] }, 1, columns, classes, 0.0, seed, gradient)
            : (i, seed, gradient) =>
            {
                var one = new float[parameters.Length];
                float value = KernelLosses.MultinomialLogisticSingleBackward(rowsSingle[i], data.Labels[i], Array.ConvertAll(parameters, v => (float)v), classes,
                    (float)seed, new float[columns], one);
                for (int j = 0; j < one.Length; j++) gradient[j] += one[j];
                return value;
            };
        MiniBatchTrainer.Evaluate evaluate = samples =>
        {
            double loss = precision == Precision.Double
                ? samples.Average(i => Losses.MultinomialLogistic(parameters, rows[i], new[] { data.Labels[i] }, 1, columns, classes, 0.0))
                : samples.Average(i => (double)KernelLosses.MultinomialLogisticSingle(rowsSingle[i], data.Labels[i], Array.ConvertAll(parameters, v => (float)v), classes));
            return (loss, samples.Count(i => Predict(data, parameters, i) == data.Labels[i]) / (double)samples.Length);
        };
        double l2 = Options.L2;
        MiniBatchTrainer.Penalty penalty = (p, gradient) =>
        {
            double sum = 0;
            for (int j = 0; j < classes * columns; j++)
            {
                sum += p[j] * p[j];
                gradient[j] += 2 * l2 * p[j];
            }
            return l2 * sum;
        };
        var history = MiniBatchTrainer.Train(parameters, data.Rows, backward, evaluate, Options, penalty: penalty);
        return (parameters, history);
    }

    [Theory]
    [InlineData(Precision.Double, 1e-9)]
    [InlineData(Precision.Single, 1e-4)]
    public void GpuTrainerReproducesTheCpuTrainer(Precision precision, double tolerance)
    {
        var data = TestData.Wine;
        var (expected, expectedHistory) = TrainOnCpu(data, precision);

        using var loss = new GpuMultinomialLogistic(device, data, precision);
        var parameters = new double[loss.ParameterCount];
        var reports = new List<EpochReport>();
        var history = loss.Train(parameters, Options, new SynchronousProgress(reports.Add));

        Agreement.SameRun(expected, expectedHistory, parameters, reports, Options.Epochs, tolerance, sameAccuracy: true);
        // The run learned something: the three cultivars are nearly linearly separable.
        Assert.True(history.Epochs[^1].ValidationAccuracy > 0.9, $"validation accuracy {history.Epochs[^1].ValidationAccuracy}");
    }

    [Fact]
    public void LbfgsOnTheDeviceReachesTheRuntimesFit()
    {
        var data = TestData.Wine;
        var model = new LogisticRegression();
        var options = new LogisticRegressionOptions { L2 = L2 };
        model.Fit(data, options);
        double expected = model.Loss(data);

        using var loss = new GpuMultinomialLogistic(device, data);
        // The solver and options that Fit uses (L-BFGS, at most MaxIterations), on the device's objective.
        var result = Lbfgs.Minimize(loss.Objective(L2), new double[loss.ParameterCount], new LbfgsOptions { MaxIterations = options.MaxIterations });
        Assert.Equal(expected, result.Value, 1e-9 * expected);
        Assert.True(TestData.RelativeError(result.X, model.Parameters!) < 1e-4, $"relative error {TestData.RelativeError(result.X, model.Parameters!):E2}");
        // The device model's accuracy is the runtime's prediction's.
        var all = Enumerable.Range(0, data.Rows).ToArray();
        double accuracy = model.Predict(data).Where((p, i) => p == data.Labels[i]).Count() / (double)data.Rows;
        Assert.Equal(accuracy, loss.Accuracy(model.Parameters!, all));
    }

    [Fact]
    public void RejectsBadInput()
    {
        var wine = TestData.Wine;
        // A label out of range: Dataset checks its labels when made, but its arrays can be written afterwards.
        var labels = (int[])wine.Labels.Clone();
        var data = new Dataset(wine.Features, wine.Rows, wine.Columns, labels, wine.ClassCount);
        labels[5] = wine.ClassCount;
        var error = Assert.Throws<ArgumentException>(() => new GpuMultinomialLogistic(device, data));
        Assert.Contains("Label 3 of row 5", error.Message);
        labels[5] = -1;
        Assert.Throws<ArgumentException>(() => new GpuMultinomialLogistic(device, data, Precision.Single));
        // One class is not a classification.
        Assert.Throws<ArgumentException>(() => new GpuMultinomialLogistic(device, new Dataset(wine.Features, wine.Rows, wine.Columns, new int[wine.Rows], 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GpuMultinomialLogistic(device, wine, (Precision)7));

        using var loss = new GpuMultinomialLogistic(device, wine);
        int count = loss.ParameterCount;
        var gradient = new double[count];
        // Parameters of the wrong length: the binary layout (d + 1), and one short.
        Assert.Throws<ArgumentException>(() => loss.BatchGradient(new double[wine.Columns + 1], new[] { 0 }, 0, 1, gradient));
        Assert.Throws<ArgumentException>(() => loss.Loss(new double[count - 1], new[] { 0 }));
        Assert.Throws<ArgumentException>(() => loss.Train(new double[count - 1], Options));
        Assert.Throws<ArgumentException>(() => loss.HessianVector(new double[count], new[] { 0 }, new double[count - 1], gradient));
        Assert.Throws<ArgumentException>(() => loss.PerSampleGradients(new double[count], new[] { 0, 1 }, new double[1, count]));
        Assert.Throws<ArgumentException>(() => loss.BatchGradient(new double[count], new[] { 0 }, 0, 1, new double[count + 1]));
        // Rows outside the data, and empty batches.
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.BatchGradient(new double[count], new[] { 0, wine.Rows }, 0, 2, gradient));
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Loss(new double[count], Array.Empty<int>()));
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
