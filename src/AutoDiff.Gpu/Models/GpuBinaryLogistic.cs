using System;
using System.Numerics;
using System.Threading;
using AutoDiff.Data;
using AutoDiff.Training;
using AutoDiff.Optimization;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu.Models;

/// <summary>The floating-point type the kernels compute in.</summary>
public enum Precision
{
    /// <summary><c>double</c>: agrees with the CPU path to about 1e-12.</summary>
    Double,

    /// <summary><c>float</c>: half the memory traffic, and far more throughput on consumer GPUs; about 1e-6 relative.</summary>
    Single,
}

/// <summary>
/// The binary logistic loss of a dataset on an accelerator, through the generated kernels of
/// <see cref="LossKernels.BinaryLogistic"/>, the runtime's own loss row (<see cref="AutoDiff.Models.Losses.Softplus"/> and
/// <see cref="AutoDiff.Primitives.VectorMath.DotWithConstant"/>) in double, or of <see cref="KernelLosses.BinaryLogisticSingle"/>
/// in float (the runtime's primitives are double only): the data is uploaded once,
/// and each call uploads the parameters and the batch's row numbers, launches one thread per sample, and reads back the
/// values and the summed gradient. Parameters are d weights then the bias, as for <see cref="AutoDiff.Models.LogisticRegression"/>.
/// </summary>
/// <remarks>Not thread-safe: one call at a time (the buffers are reused).</remarks>
public sealed class GpuBinaryLogistic : IDisposable
{
    private readonly LinearKernelModel model;

    /// <summary>Uploads <paramref name="data"/> (two classes, labels 0 and 1) and loads the kernels.</summary>
    /// <param name="device">The accelerator (<see cref="Accelerators.Create"/>); it must outlive this object.</param>
    /// <param name="data">The samples: features row-major, labels 0 or 1.</param>
    /// <param name="precision">The kernels' floating-point type.</param>
    public GpuBinaryLogistic(AcceleratorContext device, Dataset data, Precision precision = Precision.Double)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(data);
        if (data.ClassCount != 2) throw new ArgumentException($"The binary logistic loss needs two classes; the data has {data.ClassCount}.", nameof(data));
        var accelerator = device.Accelerator;
        LossKernelRunner runner = LinearKernelModel.ForPrecision<LossKernelRunner>(precision,
            () => new Runner<double>(accelerator, data,
                LossKernels.BinaryLogisticForwardKernel, LossKernels.BinaryLogisticBackwardKernel,
                LossKernels.BinaryLogisticPerSampleBackwardKernel, LossKernels.BinaryLogisticHessianVectorKernel,
                PartialSumKernels.ResidualKernel<double, DoubleKernelMath>),
            () => new Runner<float>(accelerator, data,
                KernelLosses.BinaryLogisticSingleForwardKernel, KernelLosses.BinaryLogisticSingleBackwardKernel,
                KernelLosses.BinaryLogisticSinglePerSampleBackwardKernel, KernelLosses.BinaryLogisticSingleHessianVectorKernel,
                PartialSumKernels.ResidualKernel<float, SingleKernelMath>));
        model = new LinearKernelModel(data, outputs: 1, precision, runner);
    }

    /// <summary>The kernels' floating-point type.</summary>
    public Precision Precision => model.Precision;

    /// <summary>The number of samples.</summary>
    public int Rows => model.Rows;

    /// <summary>The number of parameters: the features' weights and the bias.</summary>
    public int ParameterCount => model.ParameterCount;

    /// <summary>
    /// The mean loss over the samples <paramref name="order"/>[start .. start + count) and, in <paramref name="gradient"/>
    /// (overwritten), its gradient with respect to <paramref name="parameters"/>: the shape of
    /// <see cref="AutoDiff.Training.MiniBatchTrainer.BatchGradient"/> once the parameters are bound.
    /// </summary>
    public double BatchGradient(ReadOnlySpan<double> parameters, int[] order, int start, int count, Span<double> gradient)
        => model.BatchGradient(parameters, order, start, count, gradient);

    /// <summary>
    /// <see cref="BatchGradient"/> by per-block partial sums instead of the backward kernel's atomics: hand-written kernels
    /// (<see cref="PartialSumKernels"/>: the residuals, per-tile sums in shared memory, and a reduction of the tiles' rows)
    /// whose sums run in a fixed order, so the result is the same on every run. Internal: the benchmark measures it
    /// against the atomic and per-sample paths, and the tests check it.
    /// </summary>
    internal double BatchGradientByBlocks(ReadOnlySpan<double> parameters, int[] order, int start, int count, Span<double> gradient)
        => model.BatchGradientByBlocks(parameters, order, start, count, gradient);

    /// <summary>The mean loss over <paramref name="samples"/> (row numbers, repeats allowed) by the forward kernel.</summary>
    public double Loss(ReadOnlySpan<double> parameters, int[] samples) => model.Loss(parameters, samples);

    /// <summary>
    /// Each sample's gradient (not averaged), one row per sample of <paramref name="gradients"/>
    /// (samples.Length × <see cref="ParameterCount"/>, overwritten), by the per-sample kernel; returns the mean loss.
    /// </summary>
    public double PerSampleGradients(ReadOnlySpan<double> parameters, int[] samples, double[,] gradients)
        => model.PerSampleGradients(parameters, samples, gradients);

    /// <summary>H·v of the mean loss over <paramref name="samples"/>, written to <paramref name="hv"/>.</summary>
    public void HessianVector(ReadOnlySpan<double> parameters, int[] samples, ReadOnlySpan<double> v, Span<double> hv)
        => model.HessianVector(parameters, samples, v, hv);

    /// <summary>
    /// The mean loss over all rows plus <paramref name="l2"/>·Σw² (the bias not penalised) and its gradient, as the
    /// runtime's minimisers take it: the objective of <see cref="AutoDiff.Models.LogisticRegression.Objective"/>, on the device.
    /// </summary>
    public ValueAndGradient Objective(double l2) => model.Objective(l2);

    /// <summary>H·v of <see cref="Objective"/>, on the device.</summary>
    public HessianVectorProduct HessianVectorProduct(double l2) => model.HessianVectorProduct(l2);

    /// <summary>
    /// Mini-batch training on the device through the runtime's trainer: <see cref="MiniBatchTrainer"/> shuffles, steps the
    /// optimiser of <paramref name="options"/>, validates and reports progress exactly as on the CPU, and each batch's gradient
    /// comes from the backward kernel. <see cref="TrainingOptions.L2"/> adds l2·Σw² (the bias not penalised).
    /// </summary>
    /// <param name="parameters">The d weights and the bias, trained in place.</param>
    /// <param name="options">Epochs, batch size, optimiser, seed, validation.</param>
    /// <param name="progress">Receives a report after each epoch.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public TrainingHistory Train(double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        => model.Train(parameters, options, progress, cancellationToken);

    /// <summary>Adds the gradient of l2·Σw² (weights only) and returns its value.</summary>
    public double Penalty(double l2, ReadOnlySpan<double> parameters, Span<double> gradient) => model.Penalty(l2, parameters, gradient);

    /// <summary>The fraction of <paramref name="samples"/> whose label the parameters predict (z ≥ 0 for class 1), on the host.</summary>
    public double Accuracy(ReadOnlySpan<double> parameters, int[] samples) => model.Accuracy(parameters, samples);

    /// <summary>Frees the device buffers.</summary>
    public void Dispose() => model.Dispose();

    /// <summary>
    /// The four generated kernels of a binary logistic loss row, loaded for <typeparamref name="T"/> (double or float), and
    /// the hand-written partial-sum kernels (<see cref="PartialSumGradient{T}"/>); the labels are uploaded as <typeparamref name="T"/>.
    /// </summary>
    private sealed class Runner<T> : LossKernelRunner<T>
        where T : unmanaged, INumber<T>
    {
        private readonly ArrayView<T> y;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, ArrayView<T>> forward;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>> backward;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>> perSample;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>, ArrayView<T>> hessianVector;
        private readonly PartialSumGradient<T> byBlocks;

        public Runner(Accelerator accelerator, Dataset data,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, ArrayView<T>> forwardKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>> backwardKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>> perSampleKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>, ArrayView<T>> hessianVectorKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>> residualKernel)
            : base(accelerator, data, data.Columns + 1, scratchWidth: 0)
        {
            y = Upload(Array.ConvertAll(data.Labels, label => From(label))).View;
            forward = accelerator.LoadAutoGroupedStreamKernel(forwardKernel);
            backward = accelerator.LoadAutoGroupedStreamKernel(backwardKernel);
            perSample = accelerator.LoadAutoGroupedStreamKernel(perSampleKernel);
            hessianVector = accelerator.LoadAutoGroupedStreamKernel(hessianVectorKernel);
            byBlocks = new PartialSumGradient<T>(accelerator, data.Columns, residualKernel);
        }

        protected override void LaunchForward(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView<T> scratch)
            => forward(count, samples, X, y, w, values);

        protected override void LaunchBackward(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> values, ArrayView<T> gradient, ArrayView<T> scratch)
            => backward(count, samples, X, y, w, seed, values, gradient);

        protected override void LaunchPerSample(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView2D<T, Stride2D.DenseY> gradients, ArrayView<T> scratch)
            => perSample(count, samples, X, y, w, T.One, values, gradients);

        protected override void LaunchHessianVector(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> v, ArrayView<T> values, ArrayView<T> hv, ArrayView<T> scratch)
            => hessianVector(count, samples, X, y, w, seed, v, values, hv);

        protected override void LaunchBackwardByBlocks(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> values, ArrayView<T> gradient)
            => byBlocks.Launch(count, samples, X, y, w, seed, values, gradient);

        public override void Dispose()
        {
            byBlocks.Dispose();
            base.Dispose();
        }
    }
}
