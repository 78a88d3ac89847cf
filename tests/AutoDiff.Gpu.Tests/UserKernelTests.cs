using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// A user's kernels launched directly (as the docs show): shared scalars, whose adjoints are one-element views, and
/// per-sample scalars; each variant against the generated CPU code of the same method on ILGPU's CPU accelerator.
/// </summary>
public sealed class UserKernelTests : IDisposable
{
    private const double A = 0.8, B = -0.6, C = 0.3;
    private readonly AcceleratorContext device = TestDevice.Create();
    private readonly double[] t = TestData.Random(300, seed: 11, scale: 2.0);
    private readonly double[] y;
    private readonly int[] samples;

    public UserKernelTests()
    {
        var noise = TestData.Random(t.Length, seed: 12, scale: 0.8);
        y = t.Select((ti, i) => 1.1 * Math.Exp(-0.5 * ti) + noise[i]).ToArray();
        samples = Enumerable.Range(0, 250).Select(i => (i * 7 + 5) % t.Length).ToArray();
    }

    public void Dispose() => device.Dispose();

    private MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] values) where T : unmanaged => device.Accelerator.Allocate1D(values);

    [Fact]
    public void BackwardKernelSumsTheCpuGradientsIntoOneElementViews()
    {
        var accelerator = device.Accelerator;
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<double>, ArrayView<double>, double, double, double, double,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(UserKernels.ExponentialFitBackwardKernel);
        using var sampleBuffer = Upload(samples);
        using var tBuffer = Upload(t);
        using var yBuffer = Upload(y);
        using var values = accelerator.Allocate1D<double>(samples.Length);
        using var dA = accelerator.Allocate1D<double>(1);
        using var dB = accelerator.Allocate1D<double>(1);
        using var dC = accelerator.Allocate1D<double>(1);
        dA.MemSetToZero();
        dB.MemSetToZero();
        dC.MemSetToZero();
        kernel(samples.Length, sampleBuffer.View, tBuffer.View, yBuffer.View, A, B, C, 0.5, values.View, dA.View, dB.View, dC.View);
        accelerator.Synchronize();

        double ea = 0, eb = 0, ec = 0, dT = 0, dY = 0;
        var expectedValues = samples.Select(i => UserKernels.ExponentialFitBackward(t[i], y[i], A, B, C, 0.5, ref dT, ref dY, ref ea, ref eb, ref ec)).ToArray();
        var actual = new[] { dA.GetAsArray1D()[0], dB.GetAsArray1D()[0], dC.GetAsArray1D()[0] };
        Assert.True(TestData.RelativeError(actual, new[] { ea, eb, ec }) < TestDevice.Tolerance(1e-12));
        Assert.True(TestData.RelativeError(values.GetAsArray1D(), expectedValues) < TestDevice.Tolerance(1e-15));
        Assert.Contains(samples, i => A * Math.Exp(B * t[i]) + C - y[i] > 0.25);   // both branches are taken
        Assert.Contains(samples, i => A * Math.Exp(B * t[i]) + C - y[i] <= 0.25);
    }

    [Fact]
    public void PerSampleKernelWritesEachSamplesGradient()
    {
        var accelerator = device.Accelerator;
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<double>, ArrayView<double>, double, double, double, double,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(UserKernels.ExponentialFitPerSampleBackwardKernel);
        using var sampleBuffer = Upload(samples);
        using var tBuffer = Upload(t);
        using var yBuffer = Upload(y);
        using var values = accelerator.Allocate1D<double>(samples.Length);
        using var dA = accelerator.Allocate1D<double>(samples.Length);
        using var dB = accelerator.Allocate1D<double>(samples.Length);
        using var dC = accelerator.Allocate1D<double>(samples.Length);
        dA.MemSetToZero();
        dB.MemSetToZero();
        dC.MemSetToZero();
        kernel(samples.Length, sampleBuffer.View, tBuffer.View, yBuffer.View, A, B, C, 1.0, values.View, dA.View, dB.View, dC.View);
        accelerator.Synchronize();
        var (a, b, c) = (dA.GetAsArray1D(), dB.GetAsArray1D(), dC.GetAsArray1D());
        for (int k = 0; k < samples.Length; k++)
        {
            int i = samples[k];
            var (_, _, _, ea, eb, ec) = UserKernels.ExponentialFitGradient(t[i], y[i], A, B, C);
            Assert.True(TestData.RelativeError(new[] { a[k], b[k], c[k] }, new[] { ea, eb, ec }) < TestDevice.Tolerance(1e-12), $"sample {k}");
        }
    }

    [Fact]
    public void HessianVectorKernelSumsTheCpuProducts()
    {
        var accelerator = device.Accelerator;
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<double>, ArrayView<double>, double, double, double, double,
            double, double, double, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(UserKernels.ExponentialFitHessianVectorKernel);
        using var sampleBuffer = Upload(samples);
        using var tBuffer = Upload(t);
        using var yBuffer = Upload(y);
        using var values = accelerator.Allocate1D<double>(samples.Length);
        using var hv = accelerator.Allocate1D<double>(3);   // one element per shared scalar, each its own view below
        hv.MemSetToZero();
        const double va = 0.3, vb = -1.2, vc = 0.7;
        kernel(samples.Length, sampleBuffer.View, tBuffer.View, yBuffer.View, A, B, C, 1.0, va, vb, vc, values.View,
            hv.View.SubView(0, 1), hv.View.SubView(1, 1), hv.View.SubView(2, 1));
        accelerator.Synchronize();
        var expected = new double[3];
        foreach (int i in samples)
        {
            // The per-sample inputs' directions are zero.
            var product = UserKernels.ExponentialFitHessianVector(t[i], y[i], A, B, C, 0.0, 0.0, va, vb, vc);
            expected[0] += product.dA;
            expected[1] += product.dB;
            expected[2] += product.dC;
        }
        Assert.True(TestData.RelativeError(hv.GetAsArray1D(), expected) < TestDevice.Tolerance(1e-12));
    }

    [Fact]
    public void EveryMathFunctionAgreesWithTheCpuCode()
    {
        var accelerator = device.Accelerator;
        var backward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<double>, ArrayView<double>, double, ArrayView<double>, ArrayView<double>>(MathKernels.EveryFunctionBackwardKernel);
        var x = TestData.Random(64, seed: 13, scale: 0.9);
        var p = new[] { 0.7, 1.3 };
        var rows = Enumerable.Range(0, x.Length).ToArray();
        using var sampleBuffer = Upload(rows);
        using var xBuffer = Upload(x);
        using var pBuffer = Upload(p);
        using var values = accelerator.Allocate1D<double>(x.Length);
        using var dP = accelerator.Allocate1D<double>(2);
        dP.MemSetToZero();
        backward(x.Length, sampleBuffer.View, xBuffer.View, pBuffer.View, 1.0, values.View, dP.View);
        accelerator.Synchronize();
        var expected = new double[2];
        double dX = 0;
        var expectedValues = x.Select(xi => MathKernels.EveryFunctionBackward(xi, p, 1.0, ref dX, expected)).ToArray();
        Assert.True(TestData.RelativeError(dP.GetAsArray1D(), expected) < TestDevice.Tolerance(1e-12));
        Assert.True(TestData.RelativeError(values.GetAsArray1D(), expectedValues) < TestDevice.Tolerance(1e-15));
    }
}
