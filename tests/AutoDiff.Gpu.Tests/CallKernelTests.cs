using System;
using System.Linq;
using AutoDiff.Gpu.Models;
using AutoDiff.Models;
using ILGPU;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// Kernels that call other methods (<see cref="CallKernels"/>, and the runtime's loss row <see cref="LossKernels"/>): each
/// variant on ILGPU's CPU accelerator against the generated CPU code of the same method, which calls the primitives'
/// hand-written SIMD rules where the kernels run their device loops.
/// </summary>
public sealed class CallKernelTests : IDisposable
{
    private const int Rows = 60, Columns = 5;
    private readonly AcceleratorContext device = TestDevice.Create();
    private readonly double[] features = TestData.Random(Rows * Columns, seed: 21, scale: 1.5);
    private readonly double[] labels = Enumerable.Range(0, Rows).Select(i => (double)(i % 3 == 0 ? 1 : 0)).ToArray();
    private readonly double[] w = TestData.Random(Columns + 1, seed: 22, scale: 0.7);
    private readonly double[] v = TestData.Random(Columns + 1, seed: 23);
    private readonly int[] samples = Enumerable.Range(0, 80).Select(i => (i * 13 + 4) % Rows).ToArray();

    public void Dispose() => device.Dispose();

    private double[] Row(int i) => features.AsSpan(i * Columns, Columns).ToArray();

    private sealed class Buffers : IDisposable
    {
        public Buffers(Accelerator accelerator, double[] features, double[] labels, int[] samples, double[] w, double[] v, int columns)
        {
            Samples = accelerator.Allocate1D(samples);
            FeatureBuffer = accelerator.Allocate1D(features);
            X = new ArrayView2D<double, Stride2D.DenseY>(FeatureBuffer.View, new LongIndex2D(features.Length / columns, columns), new Stride2D.DenseY(columns));
            Y = accelerator.Allocate1D(labels);
            W = accelerator.Allocate1D(w);
            V = accelerator.Allocate1D(v);
            Values = accelerator.Allocate1D<double>(samples.Length);
            Result = accelerator.Allocate1D<double>(w.Length);
            Result.MemSetToZero();
            RowBuffer = accelerator.Allocate1D<double>(samples.Length * w.Length);
            RowBuffer.MemSetToZero();
            Rows = new ArrayView2D<double, Stride2D.DenseY>(RowBuffer.View, new LongIndex2D(samples.Length, w.Length), new Stride2D.DenseY(w.Length));
        }

        public MemoryBuffer1D<int, Stride1D.Dense> Samples { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> FeatureBuffer { get; }
        public ArrayView2D<double, Stride2D.DenseY> X { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> Y { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> W { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> V { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> Values { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> Result { get; }
        public MemoryBuffer1D<double, Stride1D.Dense> RowBuffer { get; }
        public ArrayView2D<double, Stride2D.DenseY> Rows { get; }

        public void Dispose()
        {
            foreach (var buffer in new MemoryBuffer[] { Samples, FeatureBuffer, Y, W, V, Values, Result, RowBuffer }) buffer.Dispose();
        }
    }

    private delegate double Backward(double[] x, double y, double[] w, double seed, Span<double> dX, ref double dY, Span<double> dW);

    private delegate double[] HessianVector(double[] x, double y, double[] w);

    private void Check(
        Action<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, ArrayView<double>> forwardKernel,
        Action<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, ArrayView<double>, ArrayView<double>> backwardKernel,
        Action<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, ArrayView<double>, ArrayView2D<double, Stride2D.DenseY>> perSampleKernel,
        Action<Index1D, ArrayView<int>, ArrayView2D<double, Stride2D.DenseY>, ArrayView<double>, ArrayView<double>, double, ArrayView<double>, ArrayView<double>, ArrayView<double>> hvKernel,
        Func<double[], double, double[], double> method, Backward backward, HessianVector hessianVector)
    {
        var accelerator = device.Accelerator;
        var expectedValues = samples.Select(i => method(Row(i), labels[i], w)).ToArray();

        // Forward.
        using (var b = new Buffers(accelerator, features, labels, samples, w, v, Columns))
        {
            accelerator.LoadAutoGroupedStreamKernel(forwardKernel)(samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, b.Values.View);
            accelerator.Synchronize();
            Assert.True(TestData.RelativeError(b.Values.GetAsArray1D(), expectedValues) < TestDevice.Tolerance(1e-14));
        }

        // Backward, summed over the batch with seed 0.5.
        var expected = new double[w.Length];
        double dY = 0;
        foreach (int i in samples) backward(Row(i), labels[i], w, 0.5, new double[Columns], ref dY, expected);
        using (var b = new Buffers(accelerator, features, labels, samples, w, v, Columns))
        {
            accelerator.LoadAutoGroupedStreamKernel(backwardKernel)(samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, 0.5, b.Values.View, b.Result.View);
            accelerator.Synchronize();
            Assert.True(TestData.RelativeError(b.Result.GetAsArray1D(), expected) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(b.Result.GetAsArray1D(), expected):E2}");
            Assert.True(TestData.RelativeError(b.Values.GetAsArray1D(), expectedValues) < TestDevice.Tolerance(1e-14));
        }

        // Per-sample rows.
        using (var b = new Buffers(accelerator, features, labels, samples, w, v, Columns))
        {
            accelerator.LoadAutoGroupedStreamKernel(perSampleKernel)(samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, 1.0, b.Values.View, b.Rows);
            accelerator.Synchronize();
            var rows = b.RowBuffer.GetAsArray1D();
            for (int k = 0; k < samples.Length; k++)
            {
                var row = new double[w.Length];
                double ignored = 0;
                backward(Row(samples[k]), labels[samples[k]], w, 1.0, new double[Columns], ref ignored, row);
                Assert.True(TestData.RelativeError(rows.AsSpan(k * w.Length, w.Length), row) < TestDevice.Tolerance(1e-12), $"sample {k}");
            }
        }

        // H·v, summed.
        var expectedHv = new double[w.Length];
        foreach (int i in samples)
        {
            var product = hessianVector(Row(i), labels[i], w);
            for (int j = 0; j < w.Length; j++) expectedHv[j] += product[j];
        }
        using (var b = new Buffers(accelerator, features, labels, samples, w, v, Columns))
        {
            accelerator.LoadAutoGroupedStreamKernel(hvKernel)(samples.Length, b.Samples.View, b.X, b.Y.View, b.W.View, 1.0, b.V.View, b.Values.View, b.Result.View);
            accelerator.Synchronize();
            Assert.True(TestData.RelativeError(b.Result.GetAsArray1D(), expectedHv) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(b.Result.GetAsArray1D(), expectedHv):E2}");
        }
    }

    [Fact]
    public void EveryPrimitiveAndDeviceFunctionAgreesWithTheCpuCode()
        => Check(CallKernels.EveryPrimitiveForwardKernel, CallKernels.EveryPrimitiveBackwardKernel, CallKernels.EveryPrimitivePerSampleBackwardKernel,
            CallKernels.EveryPrimitiveHessianVectorKernel, CallKernels.EveryPrimitive, CallKernels.EveryPrimitiveBackward,
            (x, y, p) => CallKernels.EveryPrimitiveHessianVector(x, y, p, new double[x.Length], 0.0, v).dW);

    [Fact]
    public void TheRuntimesLogisticRowAgreesWithTheCpuCode()
        => Check(LossKernels.BinaryLogisticForwardKernel, LossKernels.BinaryLogisticBackwardKernel, LossKernels.BinaryLogisticPerSampleBackwardKernel,
            LossKernels.BinaryLogisticHessianVectorKernel, LossKernels.BinaryLogistic, LossKernels.BinaryLogisticBackward,
            (x, y, p) => LossKernels.BinaryLogisticHessianVector(x, y, p, new double[x.Length], 0.0, v).dParameters);

    [Fact]
    public void TheRuntimesLogisticRowIsTheRuntimesLoss()
    {
        // Mean of the rows = Losses.BinaryLogistic without its penalty.
        var intLabels = Array.ConvertAll(labels, l => (int)l);
        double expected = Losses.BinaryLogistic(w, features, intLabels, Rows, Columns, 0.0);
        double actual = Enumerable.Range(0, Rows).Average(i => LossKernels.BinaryLogistic(Row(i), labels[i], w));
        Assert.Equal(expected, actual, 1e-12 * Math.Abs(expected));
    }
}
