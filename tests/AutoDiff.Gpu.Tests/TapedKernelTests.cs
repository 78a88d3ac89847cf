using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// Kernels whose pullbacks keep values in the scratch row (<see cref="ScratchKernels"/>): a recurrence whose tape holds
/// rounds × d values per sample, and a local array at fixed positions with an overwritten element. Each of the four
/// kernels on ILGPU's CPU accelerator against the generated CPU code and central differences, with the scratch memory
/// filled with NaN first and sized exactly by the generated <c>FKernelScratchWidth</c>, so that a kernel that read a value
/// it had not written, or wrote past its row into the next thread's, would show it.
/// </summary>
public sealed class TapedKernelTests : IDisposable
{
    private const int Rows = 30, Columns = 6, Rounds = 3;
    private const double A = 0.6;
    private readonly AcceleratorContext device = TestDevice.Create();
    private readonly double[] features = TestData.Random(Rows * Columns, seed: 51, scale: 1.2);
    private readonly double[] targets = TestData.Random(Rows, seed: 52);
    private readonly double[] w = TestData.Random(Columns, seed: 53, scale: 0.9);
    private readonly double[] v = TestData.Random(Columns + 1, seed: 54);
    private readonly int[] samples = Enumerable.Range(0, 45).Select(i => (i * 7 + 2) % Rows).ToArray();

    public void Dispose() => device.Dispose();

    private double[] Row(int i) => features.AsSpan(i * Columns, Columns).ToArray();

    private Accelerator Accelerator => device.Accelerator;

    private MemoryBuffer1D<double, Stride1D.Dense> Scratch(int width)
        => Accelerator.Allocate1D(Enumerable.Repeat(double.NaN, samples.Length * width).ToArray());

    private ArrayView2D<double, Stride2D.DenseY> Rows2D(MemoryBuffer1D<double, Stride1D.Dense> buffer, int rows, int columns)
        => new(buffer.View, new LongIndex2D(rows, columns), new Stride2D.DenseY(columns));

    private static double[] Read(Accelerator accelerator, MemoryBuffer1D<double, Stride1D.Dense> buffer)
    {
        accelerator.Synchronize();
        return buffer.GetAsArray1D();
    }

    private static double[] CentralDifferences(Func<double[], double> f, double[] at, double[]? direction = null)
    {
        const double h = 1e-5;
        double Along(double[] step) => (f(at.Zip(step, (x, s) => x + h * s).ToArray()) - f(at.Zip(step, (x, s) => x - h * s).ToArray())) / (2 * h);
        return direction is not null
            ? new[] { Along(direction) }
            : Enumerable.Range(0, at.Length).Select(j => Along(Enumerable.Range(0, at.Length).Select(k => k == j ? 1.0 : 0.0).ToArray())).ToArray();
    }

    /// <summary>θ = (w, a): the recurrence's shared parameters.</summary>
    private double[] Theta => w.Append(A).ToArray();

    private double RecurrenceObjective(double[] theta, double seed)
        => seed * samples.Sum(i => ScratchKernels.Recurrence(Row(i), targets[i], theta[..Columns], theta[Columns], Rounds));

    private double[] RecurrenceGradient(double[] theta, double seed)
    {
        var sum = new double[Columns + 1];
        foreach (int i in samples)
        {
            var (_, _, _, dW, dA) = ScratchKernels.RecurrenceGradient(Row(i), targets[i], theta[..Columns], theta[Columns], Rounds);
            for (int j = 0; j < Columns; j++) sum[j] += seed * dW[j];
            sum[Columns] += seed * dA;
        }
        return sum;
    }

    [Fact]
    public void TheRecurrenceTapeIsSizedByTheHost()
    {
        // The H·v kernel keeps each step's p and its tangent: 2 × rounds × d.
        Assert.Equal(2 * Rounds * Columns, ScratchKernels.RecurrenceKernelScratchWidth(Columns, Rounds));
        Assert.Equal(0, ScratchKernels.RecurrenceKernelScratchWidth(Columns, -1));
    }

    [Fact]
    public void RecurrenceKernelsAgreeWithTheCpuCodeAndCentralDifferences()
    {
        const double seed = 0.25;
        int width = ScratchKernels.RecurrenceKernelScratchWidth(Columns, Rounds);
        using var sampleBuffer = Accelerator.Allocate1D(samples);
        using var x = Accelerator.Allocate1D(features);
        using var y = Accelerator.Allocate1D(targets);
        using var wBuffer = Accelerator.Allocate1D(w);
        using var vW = Accelerator.Allocate1D(v[..Columns]);
        using var values = Accelerator.Allocate1D<double>(samples.Length);
        using var dW = Accelerator.Allocate1D<double>(samples.Length * Columns);
        using var dA = Accelerator.Allocate1D<double>(samples.Length);
        var x2D = Rows2D(x, Rows, Columns);
        var expectedValues = samples.Select(i => ScratchKernels.Recurrence(Row(i), targets[i], w, A, Rounds)).ToArray();

        using (var scratch = Scratch(width))
        {
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, int,
                ArrayView<double>, ArrayView<double>, int>(ScratchKernels.RecurrenceForwardKernel)(
                samples.Length, sampleBuffer.View, x2D, y.View, wBuffer.View, A, Rounds, values.View, scratch.View, width);
            Assert.True(TestData.RelativeError(Read(Accelerator, values), expectedValues) < TestDevice.Tolerance(1e-14));
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            dA.MemSetToZero();
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, int,
                double, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(ScratchKernels.RecurrenceBackwardKernel)(
                samples.Length, sampleBuffer.View, x2D, y.View, wBuffer.View, A, Rounds, seed, values.View, dW.View, dA.View, scratch.View, width);
            var actual = Read(Accelerator, dW)[..Columns].Append(Read(Accelerator, dA)[0]).ToArray();
            var cpu = RecurrenceGradient(Theta, seed);
            Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");
            var differences = CentralDifferences(theta => RecurrenceObjective(theta, seed), Theta);
            Assert.True(TestData.RelativeError(actual, differences) < 1e-7, $"relative error {TestData.RelativeError(actual, differences):E2}");
            Assert.True(TestData.RelativeError(Read(Accelerator, values), expectedValues) < TestDevice.Tolerance(1e-14));
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            dA.MemSetToZero();
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, int,
                double, ArrayView<double>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, int>(ScratchKernels.RecurrencePerSampleBackwardKernel)(
                samples.Length, sampleBuffer.View, x2D, y.View, wBuffer.View, A, Rounds, 1.0, values.View, Rows2D(dW, samples.Length, Columns), dA.View, scratch.View, width);
            var (rows, scalars) = (Read(Accelerator, dW), Read(Accelerator, dA));
            for (int k = 0; k < samples.Length; k++)
            {
                int i = samples[k];
                var (_, _, _, cpuW, cpuA) = ScratchKernels.RecurrenceGradient(Row(i), targets[i], w, A, Rounds);
                var actual = rows.AsSpan(k * Columns, Columns).ToArray().Append(scalars[k]).ToArray();
                Assert.True(TestData.RelativeError(actual, cpuW.Append(cpuA).ToArray()) < TestDevice.Tolerance(1e-12), $"sample {k}");
            }
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            dA.MemSetToZero();
            double vA = v[Columns];
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, int,
                double, ArrayView<double>, double, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(ScratchKernels.RecurrenceHessianVectorKernel)(
                samples.Length, sampleBuffer.View, x2D, y.View, wBuffer.View, A, Rounds, seed, vW.View, vA, values.View, dW.View, dA.View, scratch.View, width);
            var actual = Read(Accelerator, dW)[..Columns].Append(Read(Accelerator, dA)[0]).ToArray();
            var cpu = new double[Columns + 1];
            foreach (int i in samples)
            {
                var (_, _, hvW, hvA) = ScratchKernels.RecurrenceHessianVector(Row(i), targets[i], w, A, Rounds, new double[Columns], 0.0, v[..Columns], vA);
                for (int j = 0; j < Columns; j++) cpu[j] += seed * hvW[j];
                cpu[Columns] += seed * hvA;
            }
            Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");
            var differences = Enumerable.Range(0, Columns + 1)
                .Select(j => CentralDifferences(theta => RecurrenceGradient(theta, seed)[j], Theta, v)[0]).ToArray();
            Assert.True(TestData.RelativeError(actual, differences) < 1e-6, $"relative error {TestData.RelativeError(actual, differences):E2}");
        }
    }

    [Fact]
    public void VariableLengthKernelsAreSizedByTheLongestSampleAndAgreeWithTheCpuCode()
    {
        const double seed = 0.5;
        // Sequences of 0 to Columns steps; the scratch row is sized for the longest one launched.
        var steps = Enumerable.Range(0, Rows).Select(i => (i * 5) % (Columns + 1)).ToArray();
        int longest = samples.Max(i => steps[i]);
        Assert.Equal(Columns, longest);
        Assert.Contains(samples, i => steps[i] == 0);
        int width = ScratchKernels.VariableLengthRecurrenceKernelScratchWidth(longest);
        using var sampleBuffer = Accelerator.Allocate1D(samples);
        using var x = Accelerator.Allocate1D(features);
        using var stepBuffer = Accelerator.Allocate1D(steps);
        using var y = Accelerator.Allocate1D(targets);
        using var wBuffer = Accelerator.Allocate1D(w);
        using var vW = Accelerator.Allocate1D(v[..Columns]);
        using var values = Accelerator.Allocate1D<double>(samples.Length);
        using var dW = Accelerator.Allocate1D<double>(samples.Length * Columns);
        using var dA = Accelerator.Allocate1D<double>(samples.Length);
        var x2D = Rows2D(x, Rows, Columns);
        double Loss(int i, double[] theta) => ScratchKernels.VariableLengthRecurrence(Row(i), steps[i], targets[i], theta[..Columns], theta[Columns]);
        double[] Gradient(int i, double[] theta)
        {
            var (_, _, _, gW, gA) = ScratchKernels.VariableLengthRecurrenceGradient(Row(i), steps[i], targets[i], theta[..Columns], theta[Columns]);
            return gW.Append(gA).ToArray();
        }
        double[] Summed(Func<int, double[]> term) => samples.Select(term).Aggregate(new double[Columns + 1], (sum, t) => sum.Zip(t, (a, b) => a + seed * b).ToArray());

        using (var scratch = Scratch(width))
        {
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<int>, ArrayView<double>, ArrayView<double>, double,
                ArrayView<double>, ArrayView<double>, int>(ScratchKernels.VariableLengthRecurrenceForwardKernel)(
                samples.Length, sampleBuffer.View, x2D, stepBuffer.View, y.View, wBuffer.View, A, values.View, scratch.View, width);
            Assert.True(TestData.RelativeError(Read(Accelerator, values), samples.Select(i => Loss(i, Theta)).ToArray()) < TestDevice.Tolerance(1e-14));
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            dA.MemSetToZero();
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<int>, ArrayView<double>, ArrayView<double>, double,
                double, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(ScratchKernels.VariableLengthRecurrenceBackwardKernel)(
                samples.Length, sampleBuffer.View, x2D, stepBuffer.View, y.View, wBuffer.View, A, seed, values.View, dW.View, dA.View, scratch.View, width);
            var actual = Read(Accelerator, dW)[..Columns].Append(Read(Accelerator, dA)[0]).ToArray();
            var cpu = Summed(i => Gradient(i, Theta));
            Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");
            var differences = CentralDifferences(theta => seed * samples.Sum(i => Loss(i, theta)), Theta);
            Assert.True(TestData.RelativeError(actual, differences) < 1e-7, $"relative error {TestData.RelativeError(actual, differences):E2}");
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            dA.MemSetToZero();
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<int>, ArrayView<double>, ArrayView<double>, double,
                double, ArrayView<double>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, int>(ScratchKernels.VariableLengthRecurrencePerSampleBackwardKernel)(
                samples.Length, sampleBuffer.View, x2D, stepBuffer.View, y.View, wBuffer.View, A, 1.0, values.View, Rows2D(dW, samples.Length, Columns), dA.View, scratch.View, width);
            var (rows, scalars) = (Read(Accelerator, dW), Read(Accelerator, dA));
            for (int k = 0; k < samples.Length; k++)
            {
                var actual = rows.AsSpan(k * Columns, Columns).ToArray().Append(scalars[k]).ToArray();
                var cpu = Gradient(samples[k], Theta);
                Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12) || cpu.All(g => g == 0) && actual.All(g => g == 0), $"sample {k}");
            }
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            dA.MemSetToZero();
            double vA = v[Columns];
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<int>, ArrayView<double>, ArrayView<double>, double,
                double, ArrayView<double>, double, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(ScratchKernels.VariableLengthRecurrenceHessianVectorKernel)(
                samples.Length, sampleBuffer.View, x2D, stepBuffer.View, y.View, wBuffer.View, A, seed, vW.View, vA, values.View, dW.View, dA.View, scratch.View, width);
            var actual = Read(Accelerator, dW)[..Columns].Append(Read(Accelerator, dA)[0]).ToArray();
            var cpu = Summed(i =>
            {
                var (_, _, hvW, hvA) = ScratchKernels.VariableLengthRecurrenceHessianVector(Row(i), steps[i], targets[i], w, A, new double[Columns], 0.0, v[..Columns], vA);
                return hvW.Append(hvA).ToArray();
            });
            Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");
        }
    }

    [Fact]
    public void FixedPositionKernelsAgreeWithTheCpuCodeAndCentralDifferences()
    {
        const double seed = 0.5;
        var weights = new[] { 0.7, -0.4, 1.3 };
        var direction = new[] { 0.3, 0.8, -0.5 };
        int width = ScratchKernels.TwoStagesKernelScratchWidth();
        using var sampleBuffer = Accelerator.Allocate1D(samples);
        using var x = Accelerator.Allocate1D(features);
        using var wBuffer = Accelerator.Allocate1D(weights);
        using var vW = Accelerator.Allocate1D(direction);
        using var values = Accelerator.Allocate1D<double>(samples.Length);
        using var dW = Accelerator.Allocate1D<double>(samples.Length * 3);
        var x2D = Rows2D(x, Rows, Columns);
        // Both branches of h₁ are taken.
        Assert.Contains(samples, i => weights[0] * features[i * Columns] + weights[1] * features[i * Columns + 1] > 0);
        Assert.Contains(samples, i => weights[0] * features[i * Columns] + weights[1] * features[i * Columns + 1] <= 0);
        double Objective(double[] theta) => seed * samples.Sum(i => ScratchKernels.TwoStages(Row(i), theta));

        using (var scratch = Scratch(width))
        {
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(
                ScratchKernels.TwoStagesForwardKernel)(samples.Length, sampleBuffer.View, x2D, wBuffer.View, values.View, scratch.View, width);
            var expected = samples.Select(i => ScratchKernels.TwoStages(Row(i), weights)).ToArray();
            Assert.True(TestData.RelativeError(Read(Accelerator, values), expected) < TestDevice.Tolerance(1e-14));
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, double, ArrayView<double>, ArrayView<double>,
                ArrayView<double>, int>(ScratchKernels.TwoStagesBackwardKernel)(samples.Length, sampleBuffer.View, x2D, wBuffer.View, seed, values.View, dW.View, scratch.View, width);
            var actual = Read(Accelerator, dW)[..3];
            var cpu = new double[3];
            foreach (int i in samples)
            {
                var (_, _, g) = ScratchKernels.TwoStagesGradient(Row(i), weights);
                for (int j = 0; j < 3; j++) cpu[j] += seed * g[j];
            }
            Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");
            Assert.True(TestData.RelativeError(actual, CentralDifferences(Objective, weights)) < 1e-7);
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, double, ArrayView<double>,
                ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, int>(ScratchKernels.TwoStagesPerSampleBackwardKernel)(
                samples.Length, sampleBuffer.View, x2D, wBuffer.View, 1.0, values.View, Rows2D(dW, samples.Length, 3), scratch.View, width);
            var rows = Read(Accelerator, dW);
            for (int k = 0; k < samples.Length; k++)
            {
                var (_, _, g) = ScratchKernels.TwoStagesGradient(Row(samples[k]), weights);
                Assert.True(TestData.RelativeError(rows.AsSpan(k * 3, 3), g) < TestDevice.Tolerance(1e-12), $"sample {k}");
            }
        }

        using (var scratch = Scratch(width))
        {
            dW.MemSetToZero();
            Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, double, ArrayView<double>, ArrayView<double>,
                ArrayView<double>, ArrayView<double>, int>(ScratchKernels.TwoStagesHessianVectorKernel)(
                samples.Length, sampleBuffer.View, x2D, wBuffer.View, seed, vW.View, values.View, dW.View, scratch.View, width);
            var actual = Read(Accelerator, dW)[..3];
            var cpu = new double[3];
            foreach (int i in samples)
            {
                var (_, hv) = ScratchKernels.TwoStagesHessianVector(Row(i), weights, new double[Columns], direction);
                for (int j = 0; j < 3; j++) cpu[j] += seed * hv[j];
            }
            Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");
            var differences = Enumerable.Range(0, 3).Select(j => CentralDifferences(theta =>
                seed * samples.Sum(i => ScratchKernels.TwoStagesGradient(Row(i), theta).dW[j]), weights, direction)[0]).ToArray();
            Assert.True(TestData.RelativeError(actual, differences) < 1e-6, $"relative error {TestData.RelativeError(actual, differences):E2}");
        }
    }
}
