using System;
using System.Linq;
using AutoDiff.Gpu.Models;
using AutoDiff.Models;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// Every generated kernel of <see cref="KernelLosses.BinaryLogistic"/> and <see cref="KernelLosses.BinaryLogisticSingle"/>,
/// run on ILGPU's CPU accelerator, against the CPU code the generator made from the same method, and the objective
/// against the runtime's own logistic regression (a different code path: vector primitives with hand-written rules).
/// </summary>
public sealed class KernelAgreementTests : IDisposable
{
    private readonly AcceleratorContext device = TestDevice.Create();

    public void Dispose() => device.Dispose();

    /// <summary>A batch with repeats and rows out of order, as a shuffled mini-batch or an oversampled one has.</summary>
    private static int[] Batch(int rows) => Enumerable.Range(0, 200).Select(i => (i * 37 + 11) % rows).Append(3).Append(3).ToArray();

    [Fact]
    public void ForwardKernelMatchesTheMethod()
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 1);
        var batch = Batch(data.Rows);
        using var loss = new GpuBinaryLogistic(device, data);
        double expected = batch.Average(i => LossKernels.BinaryLogistic(TestData.Row(data, i), data.Labels[i], w));
        Assert.Equal(expected, loss.Loss(w, batch), TestDevice.Tolerance(1e-12) * Math.Abs(expected));
    }

    [Fact]
    public void BackwardKernelMatchesTheCpuPullbackInDouble()
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 2);
        var batch = Batch(data.Rows);
        var expected = new double[w.Length];
        double expectedLoss = 0;
        double dY = 0;
        foreach (int i in batch) expectedLoss += LossKernels.BinaryLogisticBackward(TestData.Row(data, i), data.Labels[i], w, 1.0 / batch.Length, new double[data.Columns], ref dY, expected);
        expectedLoss /= batch.Length;

        using var loss = new GpuBinaryLogistic(device, data);
        var gradient = new double[w.Length];
        double value = loss.BatchGradient(w, batch, 0, batch.Length, gradient);
        Assert.Equal(expectedLoss, value, TestDevice.Tolerance(1e-12) * Math.Abs(expectedLoss));
        Assert.True(TestData.RelativeError(gradient, expected) < 1e-9, $"relative error {TestData.RelativeError(gradient, expected):E2}");
    }

    [Fact]
    public void BackwardKernelMatchesTheCpuPullbackInFloat()
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 3);
        var wSingle = Array.ConvertAll(w, v => (float)v);
        var batch = Batch(data.Rows);
        var expected = new double[w.Length];
        var one = new float[w.Length];
        float dY = 0;
        foreach (int i in batch)
        {
            Array.Clear(one);
            KernelLosses.BinaryLogisticSingleBackward(Array.ConvertAll(TestData.Row(data, i), v => (float)v), data.Labels[i], wSingle, 1.0f / batch.Length, new float[data.Columns], ref dY, one);
            for (int j = 0; j < w.Length; j++) expected[j] += one[j];
        }

        using var loss = new GpuBinaryLogistic(device, data, Precision.Single);
        var gradient = new double[w.Length];
        loss.BatchGradient(w, batch, 0, batch.Length, gradient);
        Assert.True(TestData.RelativeError(gradient, expected) < 1e-4, $"relative error {TestData.RelativeError(gradient, expected):E2}");
    }

    [Theory]
    [InlineData(Precision.Double, 1e-12)] // widened to 1e-9 on a GPU (TestDevice.Tolerance)
    [InlineData(Precision.Single, 1e-4)]
    public void PerSampleKernelGivesEachSamplesGradient(Precision precision, double tolerance)
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 4);
        var batch = Batch(data.Rows);
        using var loss = new GpuBinaryLogistic(device, data, precision);
        var rows = new double[batch.Length, w.Length];
        loss.PerSampleGradients(w, batch, rows);
        for (int k = 0; k < batch.Length; k++)
        {
            var expected = new double[w.Length];
            double dY = 0;
            LossKernels.BinaryLogisticBackward(TestData.Row(data, batch[k]), data.Labels[batch[k]], w, 1.0, new double[data.Columns], ref dY, expected);
            var actual = Enumerable.Range(0, w.Length).Select(j => rows[k, j]).ToArray();
            Assert.True(TestData.RelativeError(actual, expected) < TestDevice.Tolerance(tolerance), $"sample {k}: relative error {TestData.RelativeError(actual, expected):E2}");
        }
    }

    [Fact]
    public void PerSampleRowsSumToTheBatchGradient()
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 5);
        var batch = Batch(data.Rows);
        using var loss = new GpuBinaryLogistic(device, data);
        var rows = new double[batch.Length, w.Length];
        loss.PerSampleGradients(w, batch, rows);
        var summed = Enumerable.Range(0, w.Length).Select(j => Enumerable.Range(0, batch.Length).Sum(k => rows[k, j]) / batch.Length).ToArray();
        var gradient = new double[w.Length];
        loss.BatchGradient(w, batch, 0, batch.Length, gradient);
        Assert.True(TestData.RelativeError(gradient, summed) < TestDevice.Tolerance(1e-12));
    }

    [Theory]
    [InlineData(Precision.Double, 1e-9)]
    [InlineData(Precision.Single, 1e-4)]
    public void HessianVectorKernelMatchesTheCpuHessianVector(Precision precision, double tolerance)
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 6);
        var v = TestData.Random(data.Columns + 1, seed: 7);
        var batch = Batch(data.Rows);
        var expected = new double[w.Length];
        foreach (int i in batch)
        {
            // The per-sample inputs' directions are zero: H·v along the shared parameters only.
            var hv = LossKernels.BinaryLogisticHessianVector(TestData.Row(data, i), data.Labels[i], w, new double[data.Columns], 0.0, v).dParameters;
            for (int j = 0; j < w.Length; j++) expected[j] += hv[j] / batch.Length;
        }
        using var loss = new GpuBinaryLogistic(device, data, precision);
        var actual = new double[w.Length];
        loss.HessianVector(w, batch, v, actual);
        Assert.True(TestData.RelativeError(actual, expected) < tolerance, $"relative error {TestData.RelativeError(actual, expected):E2}");
    }

    [Fact]
    public void ObjectiveAndHessianVectorMatchTheRuntimesLogisticRegression()
    {
        var data = TestData.BreastCancer;
        const double l2 = 0.01;
        var w = TestData.Random(data.Columns + 1, seed: 8);
        var v = TestData.Random(data.Columns + 1, seed: 9);
        using var loss = new GpuBinaryLogistic(device, data);

        Agreement.MatchesLogisticRegression(data, l2, w, v, loss.Objective(l2), loss.HessianVectorProduct(l2));
    }

    [Fact]
    public void BackwardKernelMatchesCentralDifferencesOfTheForwardKernel()
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 10);
        var batch = Batch(data.Rows);
        using var loss = new GpuBinaryLogistic(device, data);
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
    public void RejectsRowsOutsideTheData()
    {
        var data = TestData.BreastCancer;
        using var loss = new GpuBinaryLogistic(device, data);
        var gradient = new double[data.Columns + 1];
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.BatchGradient(new double[data.Columns + 1], new[] { 0, data.Rows }, 0, 2, gradient));
        Assert.Throws<ArgumentException>(() => loss.BatchGradient(new double[data.Columns], new[] { 0 }, 0, 1, gradient));
    }
}
