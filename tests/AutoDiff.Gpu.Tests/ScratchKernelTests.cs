using System;
using System.Linq;
using System.Numerics;
using AutoDiff.Gpu.Models;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// Kernels with local arrays, which live in the thread's row of the scratch memory: the multiclass losses
/// <see cref="LossKernels.MultinomialLogistic"/> (double, the runtime's primitives) and
/// <see cref="KernelLosses.MultinomialLogisticSingle"/> (float, loops). Each of the four kernels on ILGPU's CPU accelerator
/// against the generated CPU code of the same method, and the double ones against central differences. The scratch memory
/// is filled with NaN before each launch, so a kernel that read a slice before zeroing it, or another thread's row, would
/// show it.
/// </summary>
public sealed class ScratchKernelTests : IDisposable
{
    private const int Rows = 40, Columns = 5, Classes = 4;
    private readonly AcceleratorContext device = TestDevice.Create();
    private readonly double[] features = TestData.Random(Rows * Columns, seed: 41, scale: 1.5);
    private readonly int[] labels = Enumerable.Range(0, Rows).Select(i => (i * 7) % Classes).ToArray();
    private readonly double[] parameters = TestData.Random(Classes * Columns + Classes, seed: 42, scale: 0.8);
    private readonly double[] v = TestData.Random(Classes * Columns + Classes, seed: 43);

    /// <summary>The rows a launch works on, some of them twice.</summary>
    private readonly int[] samples = Enumerable.Range(0, 57).Select(i => (i * 13 + 5) % Rows).ToArray();

    public void Dispose() => device.Dispose();

    private double[] Row(int i) => features.AsSpan(i * Columns, Columns).ToArray();

    /// <summary>One multiclass loss: its kernels, the width of their scratch rows, and its generated CPU code.</summary>
    private sealed record Loss<T>(
        Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, ArrayView<T>, ArrayView<T>, int> Forward,
        Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>, ArrayView<T>, int> Backward,
        Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, int> PerSample,
        Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int> HessianVector,
        Func<int, int> ScratchWidth,
        Func<T[], int, T[], T> CpuValue,
        Func<T[], int, T[], T[]> CpuGradient,
        Func<T[], int, T[], T[], T[]> CpuHessianVector)
        where T : unmanaged;

    private static readonly Loss<double> Double = new(
        LossKernels.MultinomialLogisticForwardKernel, LossKernels.MultinomialLogisticBackwardKernel,
        LossKernels.MultinomialLogisticPerSampleBackwardKernel, LossKernels.MultinomialLogisticHessianVectorKernel,
        LossKernels.MultinomialLogisticKernelScratchWidth,
        (x, label, p) => LossKernels.MultinomialLogistic(x, label, p, Classes),
        (x, label, p) => LossKernels.MultinomialLogisticGradient(x, label, p, Classes).dParameters,
        (x, label, p, direction) => LossKernels.MultinomialLogisticHessianVector(x, label, p, Classes, new double[x.Length], direction).dParameters);

    private static readonly Loss<float> Single = new(
        KernelLosses.MultinomialLogisticSingleForwardKernel, KernelLosses.MultinomialLogisticSingleBackwardKernel,
        KernelLosses.MultinomialLogisticSinglePerSampleBackwardKernel, KernelLosses.MultinomialLogisticSingleHessianVectorKernel,
        KernelLosses.MultinomialLogisticSingleKernelScratchWidth,
        (x, label, w) => KernelLosses.MultinomialLogisticSingle(x, label, w, Classes),
        (x, label, w) => KernelLosses.MultinomialLogisticSingleGradient(x, label, w, Classes).dW,
        (x, label, w, direction) => KernelLosses.MultinomialLogisticSingleHessianVector(x, label, w, Classes, new float[x.Length], direction).dW);

    /// <summary>The data, parameters and result buffers of one launch of <paramref name="loss"/>.</summary>
    private sealed class Launch<T> : IDisposable
        where T : unmanaged, INumber<T>
    {
        private readonly MemoryBuffer1D<T, Stride1D.Dense> features;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> scratch;
        private readonly int width;

        public Launch(Accelerator accelerator, Loss<T> loss, double[] featureValues, int[] labels, int[] samples, double[] parameters, double[] v)
        {
            Accelerator = accelerator;
            Samples = accelerator.Allocate1D(samples);
            features = accelerator.Allocate1D(Convert<T>(featureValues));
            X = new ArrayView2D<T, Stride2D.DenseY>(features.View, new LongIndex2D(featureValues.Length / Columns, Columns), new Stride2D.DenseY(Columns));
            Labels = accelerator.Allocate1D(labels);
            Parameters = accelerator.Allocate1D(Convert<T>(parameters));
            Direction = accelerator.Allocate1D(Convert<T>(v));
            Values = accelerator.Allocate1D<T>(samples.Length);
            Result = accelerator.Allocate1D<T>((long)samples.Length * parameters.Length);
            Result.MemSetToZero();
            ResultRows = new ArrayView2D<T, Stride2D.DenseY>(Result.View, new LongIndex2D(samples.Length, parameters.Length), new Stride2D.DenseY(parameters.Length));
            width = loss.ScratchWidth(Classes);
            scratch = accelerator.Allocate1D(Enumerable.Repeat(T.CreateTruncating(double.NaN), samples.Length * width).ToArray());
            Count = samples.Length;
        }

        public Accelerator Accelerator { get; }
        public int Count { get; }
        public MemoryBuffer1D<int, Stride1D.Dense> Samples { get; }
        public ArrayView2D<T, Stride2D.DenseY> X { get; }
        public MemoryBuffer1D<int, Stride1D.Dense> Labels { get; }
        public MemoryBuffer1D<T, Stride1D.Dense> Parameters { get; }
        public MemoryBuffer1D<T, Stride1D.Dense> Direction { get; }
        public MemoryBuffer1D<T, Stride1D.Dense> Values { get; }
        public MemoryBuffer1D<T, Stride1D.Dense> Result { get; }
        public ArrayView2D<T, Stride2D.DenseY> ResultRows { get; }
        public ArrayView<T> Scratch => scratch.View;
        public int Width => width;

        public double[] Read(MemoryBuffer1D<T, Stride1D.Dense> buffer, int length)
        {
            Accelerator.Synchronize();
            return buffer.View.SubView(0, length).GetAsArray1D().Select(double.CreateTruncating).ToArray();
        }

        public void Dispose()
        {
            foreach (var buffer in new MemoryBuffer[] { Samples, features, Labels, Parameters, Direction, Values, Result, scratch }) buffer.Dispose();
        }
    }

    private static T[] Convert<T>(double[] values) where T : INumber<T> => values.Select(T.CreateTruncating).ToArray();

    private Launch<T> Upload<T>(Loss<T> loss) where T : unmanaged, INumber<T>
        => new(device.Accelerator, loss, features, labels, samples, parameters, v);

    private double[] CpuValues<T>(Loss<T> loss) where T : unmanaged, INumber<T>
        => samples.Select(i => double.CreateTruncating(loss.CpuValue(Convert<T>(Row(i)), labels[i], Convert<T>(parameters)))).ToArray();

    private double[] CpuGradient<T>(Loss<T> loss, int i, double[] at) where T : unmanaged, INumber<T>
        => loss.CpuGradient(Convert<T>(Row(i)), labels[i], Convert<T>(at)).Select(double.CreateTruncating).ToArray();

    private double[] CpuSummedGradient<T>(Loss<T> loss, double seed, double[] at) where T : unmanaged, INumber<T>
    {
        var sum = new double[at.Length];
        foreach (int i in samples)
        {
            var gradient = CpuGradient(loss, i, at);
            for (int j = 0; j < sum.Length; j++) sum[j] += seed * gradient[j];
        }
        return sum;
    }

    /// <summary>Σ seed · loss over the launch's samples, in double on the CPU.</summary>
    private double Objective(double[] at, double seed) => seed * samples.Sum(i => LossKernels.MultinomialLogistic(Row(i), labels[i], at, Classes));

    private static double[] CentralDifferences(Func<double[], double[]> f, double[] at, double[]? direction)
    {
        const double h = 1e-5;
        var components = direction is null ? Enumerable.Range(0, at.Length).ToArray() : new[] { -1 };
        var result = components.Select(component =>
        {
            var plus = (double[])at.Clone();
            var minus = (double[])at.Clone();
            for (int j = 0; j < at.Length; j++)
            {
                double step = direction is null ? (j == component ? h : 0) : h * direction[j];
                plus[j] += step;
                minus[j] -= step;
            }
            var (fp, fm) = (f(plus), f(minus));
            return fp.Select((value, j) => (value - fm[j]) / (2 * h)).ToArray();
        }).ToArray();
        return direction is null ? result.Select(r => r[0]).ToArray() : result[0];
    }

    /// <summary>Agreement with the CPU code of the same precision; double to 1e-12 on the CPU accelerator, float to 1e-5.</summary>
    private static double Tolerance<T>() => typeof(T) == typeof(double) ? TestDevice.Tolerance(1e-12) : 1e-5;

    [Fact]
    public void TheLabelsCoverEveryClassAndTheScratchRowHoldsAllArrays()
    {
        Assert.Equal(Classes, samples.Select(i => labels[i]).Distinct().Count());
        // The H·v kernel keeps the most: the logits, their tangents, their adjoints and the adjoints' tangents.
        Assert.Equal(4 * Classes, LossKernels.MultinomialLogisticKernelScratchWidth(Classes));
        Assert.True(KernelLosses.MultinomialLogisticSingleKernelScratchWidth(Classes) >= 4 * Classes);
    }

    [Fact]
    public void ForwardKernelsAgreeWithTheCpuCode()
    {
        Forward(Double);
        Forward(Single);
    }

    private void Forward<T>(Loss<T> loss) where T : unmanaged, INumber<T>
    {
        using var b = Upload(loss);
        b.Accelerator.LoadAutoGroupedStreamKernel(loss.Forward)(b.Count, b.Samples.View, b.X, b.Labels.View, b.Parameters.View, Classes, b.Values.View, b.Scratch, b.Width);
        var actual = b.Read(b.Values, b.Count);
        Assert.True(TestData.RelativeError(actual, CpuValues(loss)) < Tolerance<T>(), typeof(T).Name);
    }

    [Fact]
    public void BackwardKernelsAgreeWithTheCpuCodeAndCentralDifferences()
    {
        const double seed = 0.5;
        var double_ = Backward(Double, seed);
        var single = Backward(Single, seed);
        var differences = CentralDifferences(at => new[] { Objective(at, seed) }, parameters, null);
        Assert.True(TestData.RelativeError(double_, differences) < 1e-7, $"relative error {TestData.RelativeError(double_, differences):E2}");
        // The float kernel computes the same loss in float: 1e-4 relative, the bound for float.
        Assert.True(TestData.RelativeError(single, differences) < 1e-4, $"relative error {TestData.RelativeError(single, differences):E2}");
    }

    private double[] Backward<T>(Loss<T> loss, double seed) where T : unmanaged, INumber<T>
    {
        using var b = Upload(loss);
        b.Accelerator.LoadAutoGroupedStreamKernel(loss.Backward)(b.Count, b.Samples.View, b.X, b.Labels.View, b.Parameters.View, Classes, T.CreateTruncating(seed),
            b.Values.View, b.Result.View, b.Scratch, b.Width);
        var actual = b.Read(b.Result, parameters.Length);
        var cpu = CpuSummedGradient(loss, seed, parameters);
        Assert.True(TestData.RelativeError(actual, cpu) < Tolerance<T>() * 10, $"{typeof(T).Name}: relative error {TestData.RelativeError(actual, cpu):E2}");
        Assert.True(TestData.RelativeError(b.Read(b.Values, b.Count), CpuValues(loss)) < Tolerance<T>());
        return actual;
    }

    [Fact]
    public void PerSampleKernelsAgreeWithTheCpuCode()
    {
        PerSample(Double);
        PerSample(Single);
    }

    private void PerSample<T>(Loss<T> loss) where T : unmanaged, INumber<T>
    {
        using var b = Upload(loss);
        b.Accelerator.LoadAutoGroupedStreamKernel(loss.PerSample)(b.Count, b.Samples.View, b.X, b.Labels.View, b.Parameters.View, Classes, T.One,
            b.Values.View, b.ResultRows, b.Scratch, b.Width);
        var rows = b.Read(b.Result, b.Count * parameters.Length);
        for (int k = 0; k < samples.Length; k++)
        {
            var actual = rows.AsSpan(k * parameters.Length, parameters.Length).ToArray();
            var cpu = CpuGradient(loss, samples[k], parameters);
            Assert.True(TestData.RelativeError(actual, cpu) < Tolerance<T>(), $"{typeof(T).Name}, sample {k}");
        }
    }

    [Fact]
    public void HessianVectorKernelsAgreeWithTheCpuCodeAndCentralDifferences()
    {
        const double seed = 0.5;
        var double_ = HessianVector(Double, seed);
        var single = HessianVector(Single, seed);
        // H·v of the batch objective: central differences of the CPU gradient along v.
        var differences = CentralDifferences(at => CpuSummedGradient(Double, seed, at), parameters, v);
        Assert.True(TestData.RelativeError(double_, differences) < 1e-6, $"relative error {TestData.RelativeError(double_, differences):E2}");
        Assert.True(TestData.RelativeError(single, differences) < 1e-4, $"relative error {TestData.RelativeError(single, differences):E2}");
    }

    private double[] HessianVector<T>(Loss<T> loss, double seed) where T : unmanaged, INumber<T>
    {
        using var b = Upload(loss);
        b.Accelerator.LoadAutoGroupedStreamKernel(loss.HessianVector)(b.Count, b.Samples.View, b.X, b.Labels.View, b.Parameters.View, Classes, T.CreateTruncating(seed),
            b.Direction.View, b.Values.View, b.Result.View, b.Scratch, b.Width);
        var actual = b.Read(b.Result, parameters.Length);
        var cpu = new double[parameters.Length];
        foreach (int i in samples)
        {
            var hv = loss.CpuHessianVector(Convert<T>(Row(i)), labels[i], Convert<T>(parameters), Convert<T>(v));
            for (int j = 0; j < cpu.Length; j++) cpu[j] += seed * double.CreateTruncating(hv[j]);
        }
        Assert.True(TestData.RelativeError(actual, cpu) < Tolerance<T>() * 10, $"{typeof(T).Name}: relative error {TestData.RelativeError(actual, cpu):E2}");
        return actual;
    }
}
