using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// A user's kernel that calls the user's own [Differentiable] helpers as device functions (<see cref="HelperKernels"/>):
/// each variant on ILGPU's CPU accelerator against the generated CPU code of the same method, and against central
/// differences of the batch objective Σ seed · F over the launch's samples, in the shared parameters θ = (w, b, s).
/// </summary>
public sealed class HelperKernelTests : IDisposable
{
    private const int Rows = 50, Columns = 4;
    private const double B = 0.2, S = 0.7;
    private readonly AcceleratorContext device = TestDevice.Create();
    private readonly double[] features = TestData.Random(Rows * Columns, seed: 31, scale: 1.5);
    private readonly double[] labels = Enumerable.Range(0, Rows).Select(i => i % 3 == 0 ? 1.0 : -1.0).ToArray();
    private readonly double[] w = TestData.Random(Columns, seed: 32, scale: 0.8);

    /// <summary>The direction of the H·v product: w's part, then b's and s's.</summary>
    private readonly double[] v = TestData.Random(Columns + 2, seed: 33);

    /// <summary>The rows a launch works on, some of them twice.</summary>
    private readonly int[] samples = Enumerable.Range(0, 70).Select(i => (i * 11 + 3) % Rows).ToArray();

    public void Dispose() => device.Dispose();

    private double[] Row(int i) => features.AsSpan(i * Columns, Columns).ToArray();

    /// <summary>θ = (w, b, s) as one vector.</summary>
    private double[] Theta => w.Append(B).Append(S).ToArray();

    /// <summary>Σ seed · F over the launch's samples at θ, on the CPU.</summary>
    private double Objective(double[] theta, double seed)
        => seed * samples.Sum(i => HelperKernels.SmoothHingeLoss(Row(i), labels[i], theta[..Columns], theta[Columns], theta[Columns + 1]));

    /// <summary>The gradient of <see cref="Objective"/> from the generated CPU gradient.</summary>
    private double[] CpuGradient(double[] theta, double seed)
    {
        var sum = new double[Columns + 2];
        foreach (int i in samples) Add(sum, CpuGradientOf(i, theta), seed);
        return sum;
    }

    private double[] CpuGradientOf(int i, double[] theta)
    {
        var (_, _, _, dW, dB, dS) = HelperKernels.SmoothHingeLossGradient(Row(i), labels[i], theta[..Columns], theta[Columns], theta[Columns + 1]);
        return dW.Append(dB).Append(dS).ToArray();
    }

    private static void Add(double[] sum, double[] term, double weight)
    {
        for (int j = 0; j < sum.Length; j++) sum[j] += weight * term[j];
    }

    /// <summary>Central differences of <paramref name="f"/> (vector-valued) along each unit vector, or along <paramref name="direction"/>.</summary>
    private static double[] CentralDifference(Func<double[], double[]> f, double[] at, double[]? direction, int component)
    {
        const double h = 1e-5;
        var plus = (double[])at.Clone();
        var minus = (double[])at.Clone();
        if (direction is null)
        {
            plus[component] += h;
            minus[component] -= h;
        }
        else
        {
            for (int j = 0; j < at.Length; j++)
            {
                plus[j] += h * direction[j];
                minus[j] -= h * direction[j];
            }
        }
        var (fp, fm) = (f(plus), f(minus));
        return fp.Select((value, j) => (value - fm[j]) / (2 * h)).ToArray();
    }

    private sealed class Buffers : IDisposable
    {
        public Buffers(Accelerator accelerator, double[] features, double[] labels, int[] samples, double[] w, double[] vW, int columns)
        {
            Samples = accelerator.Allocate1D(samples);
            FeatureBuffer = accelerator.Allocate1D(features);
            X = new ArrayView2D<double, Stride2D.DenseY>(FeatureBuffer.View, new LongIndex2D(features.Length / columns, columns), new Stride2D.DenseY(columns));
            Y = accelerator.Allocate1D(labels);
            W = accelerator.Allocate1D(w);
            VW = accelerator.Allocate1D(vW);
            Values = accelerator.Allocate1D<double>(samples.Length);
            // One row per thread for the per-sample kernel; the batch-summed kernels use the first row.
            DW = accelerator.Allocate1D<double>(samples.Length * columns);
            DB = accelerator.Allocate1D<double>(samples.Length);
            DS = accelerator.Allocate1D<double>(samples.Length);
            foreach (var buffer in new[] { DW, DB, DS }) buffer.MemSetToZero();
            DWRows = new ArrayView2D<double, Stride2D.DenseY>(DW.View, new LongIndex2D(samples.Length, columns), new Stride2D.DenseY(columns));
            Columns = columns;
        }

        public int Columns { get; }
        public MemoryBuffer1D<int, Stride1D.Dense> Samples { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> FeatureBuffer { get; }
        public ArrayView2D<double, Stride2D.DenseY> X { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> Y { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> W { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> VW { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> Values { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> DW { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> DB { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> DS { get; }
        public ArrayView2D<double, Stride2D.DenseY> DWRows { get; }

        /// <summary>The batch-summed result (w's part, b's, s's), read from the first element of each buffer.</summary>
        public double[] Summed() => DW.View.SubView(0, Columns).GetAsArray1D().Append(DB.View.SubView(0, 1).GetAsArray1D()[0]).Append(DS.View.SubView(0, 1).GetAsArray1D()[0]).ToArray();

        public void Dispose()
        {
            foreach (var buffer in new MemoryBuffer[] { Samples, FeatureBuffer, Y, W, VW, Values, DW, DB, DS }) buffer.Dispose();
        }
    }

    private Buffers Upload() => new(device.Accelerator, features, labels, samples, w, v[..Columns], Columns);

    [Fact]
    public void BothBranchesOfTheHelperAreTaken()
    {
        var margins = samples.Select(i => 1.0 - labels[i] * (B + Row(i).Zip(w, (x, wj) => x * wj).Sum())).ToList();
        Assert.Contains(margins, m => m > 0);
        Assert.Contains(margins, m => m <= 0);
    }

    [Fact]
    public void ForwardKernelAgreesWithTheCpuCode()
    {
        var accelerator = device.Accelerator;
        using var b = Upload();
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, double,
            ArrayView<double>>(HelperKernels.SmoothHingeLossForwardKernel)(samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, B, S, b.Values.View);
        accelerator.Synchronize();
        var expected = samples.Select(i => HelperKernels.SmoothHingeLoss(Row(i), labels[i], w, B, S)).ToArray();
        Assert.True(TestData.RelativeError(b.Values.GetAsArray1D(), expected) < TestDevice.Tolerance(1e-14));
    }

    [Fact]
    public void BackwardKernelAgreesWithTheCpuCodeAndCentralDifferences()
    {
        const double seed = 0.5;
        var accelerator = device.Accelerator;
        using var b = Upload();
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, double,
            double, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(HelperKernels.SmoothHingeLossBackwardKernel)(
            samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, B, S, seed, b.Values.View, b.DW.View, b.DB.View, b.DS.View);
        accelerator.Synchronize();
        var actual = b.Summed();

        // The CPU pullback, summed over the same samples.
        var cpu = new double[Columns + 2];
        var values = new double[samples.Length];
        for (int k = 0; k < samples.Length; k++)
        {
            int i = samples[k];
            var dW = new double[Columns];
            double dY = 0, dB = 0, dS = 0;
            values[k] = HelperKernels.SmoothHingeLossBackward(Row(i), labels[i], w, B, S, seed, new double[Columns], ref dY, dW, ref dB, ref dS);
            Add(cpu, dW.Append(dB).Append(dS).ToArray(), 1.0);
        }
        Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");
        Assert.True(TestData.RelativeError(b.Values.GetAsArray1D(), values) < TestDevice.Tolerance(1e-14));

        var differences = Enumerable.Range(0, Columns + 2).Select(j => CentralDifference(theta => new[] { Objective(theta, seed) }, Theta, null, j)[0]).ToArray();
        Assert.True(TestData.RelativeError(actual, differences) < 1e-7, $"relative error {TestData.RelativeError(actual, differences):E2}");
    }

    [Fact]
    public void PerSampleKernelAgreesWithTheCpuCodeAndCentralDifferences()
    {
        var accelerator = device.Accelerator;
        using var b = Upload();
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, double,
            double, ArrayView<double>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>>(HelperKernels.SmoothHingeLossPerSampleBackwardKernel)(
            samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, B, S, 1.0, b.Values.View, b.DWRows, b.DB.View, b.DS.View);
        accelerator.Synchronize();
        var (dW, dB, dS) = (b.DW.GetAsArray1D(), b.DB.GetAsArray1D(), b.DS.GetAsArray1D());
        for (int k = 0; k < samples.Length; k++)
        {
            int i = samples[k];
            var actual = dW.AsSpan(k * Columns, Columns).ToArray().Append(dB[k]).Append(dS[k]).ToArray();
            var cpu = CpuGradientOf(i, Theta);
            Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"sample {k}");
            var differences = Enumerable.Range(0, Columns + 2).Select(j => CentralDifference(
                theta => new[] { HelperKernels.SmoothHingeLoss(Row(i), labels[i], theta[..Columns], theta[Columns], theta[Columns + 1]) }, Theta, null, j)[0]).ToArray();
            Assert.True(TestData.RelativeError(actual, differences) < 1e-7, $"sample {k}: relative error {TestData.RelativeError(actual, differences):E2}");
        }
    }

    [Fact]
    public void HessianVectorKernelAgreesWithTheCpuCodeAndCentralDifferences()
    {
        const double seed = 0.5;
        var accelerator = device.Accelerator;
        using var b = Upload();
        accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, double,
            double, ArrayView<double>, double, double, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(HelperKernels.SmoothHingeLossHessianVectorKernel)(
            samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, B, S, seed, b.VW.View, v[Columns], v[Columns + 1], b.Values.View, b.DW.View, b.DB.View, b.DS.View);
        accelerator.Synchronize();
        var actual = b.Summed();

        // The CPU H·v (the per-sample inputs' directions are zero), summed with the seed.
        var cpu = new double[Columns + 2];
        foreach (int i in samples)
        {
            var product = HelperKernels.SmoothHingeLossHessianVector(Row(i), labels[i], w, B, S, new double[Columns], 0.0, v[..Columns], v[Columns], v[Columns + 1]);
            Add(cpu, product.dW.Append(product.dB).Append(product.dS).ToArray(), seed);
        }
        Assert.True(TestData.RelativeError(actual, cpu) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(actual, cpu):E2}");

        // The derivative of the gradient along v.
        var differences = CentralDifference(theta => CpuGradient(theta, seed), Theta, v, 0);
        Assert.True(TestData.RelativeError(actual, differences) < 1e-7, $"relative error {TestData.RelativeError(actual, differences):E2}");
    }
}
