using System;
using System.Numerics;
using System.Threading;
using AutoDiff.Data;
using AutoDiff.Optimization;
using AutoDiff.Training;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// Multinomial (softmax) logistic regression of a dataset on an accelerator: the loss of
/// <see cref="AutoDiff.Models.Losses.MultinomialLogistic"/> (mean cross-entropy, log-sum-exp shifted by the largest logit)
/// through the generated kernels of <see cref="LossKernels.MultinomialLogistic"/>, the runtime's own loss row
/// (<see cref="AutoDiff.Primitives.VectorMath.DotWithConstant"/> and <see cref="AutoDiff.Primitives.VectorMath.LogSumExp"/>) in double,
/// or of <see cref="KernelLosses.MultinomialLogisticSingle"/> in float. The data is uploaded once; each call uploads the
/// parameters and the batch's row numbers, launches one thread per sample (each keeps its logits, and their adjoints and
/// tangents, in its own row of a scratch buffer of batch rows × the kernels' scratch width), and reads back the values and
/// the summed gradient. Parameters are k rows of d weights (row-major) then the k biases, as for
/// <see cref="AutoDiff.Models.LogisticRegression"/> with k &gt; 2 classes.
/// </summary>
/// <remarks>Not thread-safe: one call at a time (the buffers are reused, and grow with the largest batch).</remarks>
public sealed class GpuMultinomialLogistic : IDisposable
{
    private readonly LinearKernelModel model;

    /// <summary>Uploads <paramref name="data"/> (k ≥ 2 classes, labels 0 to k − 1) and loads the kernels.</summary>
    /// <param name="device">The accelerator (<see cref="Accelerators.Create"/>); it must outlive this object.</param>
    /// <param name="data">The samples: features row-major, labels 0 to <see cref="Dataset.ClassCount"/> − 1.</param>
    /// <param name="precision">The kernels' floating-point type.</param>
    /// <exception cref="ArgumentException">The data has fewer than two classes, or a label outside 0 .. k − 1.</exception>
    public GpuMultinomialLogistic(AcceleratorContext device, Dataset data, Precision precision = Precision.Double)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(data);
        int classes = data.ClassCount;
        if (classes < 2) throw new ArgumentException($"The multinomial logistic loss needs at least two classes; the data has {classes}.", nameof(data));
        // Dataset checks its labels when it is made, but its arrays can be written afterwards; a kernel would read out of
        // the thread's scratch row on a bad label, so they are checked again here.
        for (int i = 0; i < data.Labels.Length; i++)
        {
            int label = data.Labels[i];
            if ((uint)label >= (uint)classes) throw new ArgumentException($"Label {label} of row {i} is outside 0..{classes - 1}, the data's classes.", nameof(data));
        }
        var accelerator = device.Accelerator;
        LossKernelRunner runner = LinearKernelModel.ForPrecision<LossKernelRunner>(precision,
            () => new Runner<double>(accelerator, data, LossKernels.MultinomialLogisticKernelScratchWidth(classes),
                LossKernels.MultinomialLogisticForwardKernel, LossKernels.MultinomialLogisticBackwardKernel,
                LossKernels.MultinomialLogisticPerSampleBackwardKernel, LossKernels.MultinomialLogisticHessianVectorKernel),
            () => new Runner<float>(accelerator, data, KernelLosses.MultinomialLogisticSingleKernelScratchWidth(classes),
                KernelLosses.MultinomialLogisticSingleForwardKernel, KernelLosses.MultinomialLogisticSingleBackwardKernel,
                KernelLosses.MultinomialLogisticSinglePerSampleBackwardKernel, KernelLosses.MultinomialLogisticSingleHessianVectorKernel));
        model = new LinearKernelModel(data, outputs: classes, precision, runner);
        ClassCount = classes;
    }

    /// <summary>The kernels' floating-point type.</summary>
    public Precision Precision => model.Precision;

    /// <summary>The number of samples.</summary>
    public int Rows => model.Rows;

    /// <summary>The number of classes k (the data's <see cref="Dataset.ClassCount"/>).</summary>
    public int ClassCount { get; }

    /// <summary>The number of parameters: k·d weights, then k biases.</summary>
    public int ParameterCount => model.ParameterCount;

    /// <summary>
    /// The mean loss over the samples <paramref name="order"/>[start .. start + count) and, in <paramref name="gradient"/>
    /// (overwritten), its gradient with respect to <paramref name="parameters"/>: the shape of
    /// <see cref="MiniBatchTrainer.BatchGradient"/> once the parameters are bound.
    /// </summary>
    /// <param name="parameters">k rows of d weights, then k biases.</param>
    /// <param name="order">Row numbers of the data (a shuffled epoch order, for the trainer).</param>
    /// <param name="start">Where the batch starts in <paramref name="order"/>.</param>
    /// <param name="count">The batch's size (at least 1).</param>
    /// <param name="gradient">Receives the gradient of the batch's mean loss (<see cref="ParameterCount"/> elements).</param>
    /// <returns>The batch's mean loss, without any penalty.</returns>
    public double BatchGradient(ReadOnlySpan<double> parameters, int[] order, int start, int count, Span<double> gradient)
        => model.BatchGradient(parameters, order, start, count, gradient);

    /// <summary>The mean loss over <paramref name="samples"/> (row numbers, repeats allowed) by the forward kernel, without any penalty.</summary>
    /// <param name="parameters">k rows of d weights, then k biases.</param>
    /// <param name="samples">Row numbers of the data.</param>
    public double Loss(ReadOnlySpan<double> parameters, int[] samples) => model.Loss(parameters, samples);

    /// <summary>
    /// Each sample's gradient (not averaged), one row per sample of <paramref name="gradients"/>
    /// (samples.Length × <see cref="ParameterCount"/>, overwritten), by the per-sample kernel; returns the mean loss.
    /// </summary>
    /// <param name="parameters">k rows of d weights, then k biases.</param>
    /// <param name="samples">Row numbers of the data.</param>
    /// <param name="gradients">Receives one gradient per sample.</param>
    public double PerSampleGradients(ReadOnlySpan<double> parameters, int[] samples, double[,] gradients)
        => model.PerSampleGradients(parameters, samples, gradients);

    /// <summary>H·v of the mean loss over <paramref name="samples"/> (no penalty), written to <paramref name="hv"/>, by the H·v kernel.</summary>
    /// <param name="parameters">k rows of d weights, then k biases.</param>
    /// <param name="samples">Row numbers of the data.</param>
    /// <param name="v">The direction (<see cref="ParameterCount"/> elements).</param>
    /// <param name="hv">Receives H·v (<see cref="ParameterCount"/> elements).</param>
    public void HessianVector(ReadOnlySpan<double> parameters, int[] samples, ReadOnlySpan<double> v, Span<double> hv)
        => model.HessianVector(parameters, samples, v, hv);

    /// <summary>
    /// The mean loss over all rows plus <paramref name="l2"/>·Σw² over the k·d weights (biases not penalised) and its
    /// gradient, as the runtime's minimisers take it: the objective of <see cref="AutoDiff.Models.LogisticRegression.Objective"/>
    /// for k &gt; 2 classes (<see cref="AutoDiff.Models.Losses.MultinomialLogistic"/>), on the device.
    /// </summary>
    /// <param name="l2">The weight of the L2 penalty.</param>
    public ValueAndGradient Objective(double l2) => model.Objective(l2);

    /// <summary>H·v of <see cref="Objective"/>, on the device (the penalty adds 2·l2·v on the weights).</summary>
    /// <param name="l2">The weight of the L2 penalty.</param>
    public HessianVectorProduct HessianVectorProduct(double l2) => model.HessianVectorProduct(l2);

    /// <summary>
    /// Mini-batch training on the device through the runtime's trainer: <see cref="MiniBatchTrainer"/> shuffles, steps the
    /// optimiser of <paramref name="options"/>, validates and reports progress exactly as on the CPU, and each batch's gradient
    /// comes from the backward kernel. <see cref="TrainingOptions.L2"/> adds l2·Σw² over the weights (biases not penalised).
    /// </summary>
    /// <param name="parameters">The k rows of d weights and the k biases, trained in place.</param>
    /// <param name="options">Epochs, batch size, optimiser, seed, validation.</param>
    /// <param name="progress">Receives a report after each epoch.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public TrainingHistory Train(double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
        => model.Train(parameters, options, progress, cancellationToken);

    /// <summary>Adds the gradient of l2·Σw² (the k·d weights only: 2·l2·w) to <paramref name="gradient"/> and returns its value.</summary>
    /// <param name="l2">The weight of the penalty.</param>
    /// <param name="parameters">k rows of d weights, then k biases.</param>
    /// <param name="gradient">The gradient the penalty's is added to.</param>
    public double Penalty(double l2, ReadOnlySpan<double> parameters, Span<double> gradient) => model.Penalty(l2, parameters, gradient);

    /// <summary>
    /// The fraction of <paramref name="samples"/> whose label is the class of the largest logit zₖ = wₖ·x + bₖ (the first
    /// one on a tie), on the host.
    /// </summary>
    /// <param name="parameters">k rows of d weights, then k biases.</param>
    /// <param name="samples">Row numbers of the data.</param>
    public double Accuracy(ReadOnlySpan<double> parameters, int[] samples) => model.Accuracy(parameters, samples);

    /// <summary>Frees the device buffers.</summary>
    public void Dispose() => model.Dispose();

    /// <summary>
    /// The four generated kernels of a multinomial logistic loss row, loaded for <typeparamref name="T"/> (double or float):
    /// the labels stay ints, the number of classes is a shared scalar, and each launch takes the scratch rows.
    /// </summary>
    private sealed class Runner<T> : LossKernelRunner<T>
        where T : unmanaged, INumber<T>
    {
        private readonly ArrayView<int> labels;
        private readonly int classes;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, ArrayView<T>, ArrayView<T>, int> forward;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>, ArrayView<T>, int> backward;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, int> perSample;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int> hessianVector;

        public Runner(Accelerator accelerator, Dataset data, int scratchWidth,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, ArrayView<T>, ArrayView<T>, int> forwardKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>, ArrayView<T>, int> backwardKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, int> perSampleKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int> hessianVectorKernel)
            : base(accelerator, data, data.ClassCount * (data.Columns + 1), scratchWidth)
        {
            classes = data.ClassCount;
            labels = Upload(data.Labels).View;
            forward = accelerator.LoadAutoGroupedStreamKernel(forwardKernel);
            backward = accelerator.LoadAutoGroupedStreamKernel(backwardKernel);
            perSample = accelerator.LoadAutoGroupedStreamKernel(perSampleKernel);
            hessianVector = accelerator.LoadAutoGroupedStreamKernel(hessianVectorKernel);
        }

        protected override void LaunchForward(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView<T> scratch)
            => forward(count, samples, X, labels, w, classes, values, scratch, ScratchWidth);

        protected override void LaunchBackward(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> values, ArrayView<T> gradient, ArrayView<T> scratch)
            => backward(count, samples, X, labels, w, classes, seed, values, gradient, scratch, ScratchWidth);

        protected override void LaunchPerSample(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView2D<T, Stride2D.DenseY> gradients, ArrayView<T> scratch)
            => perSample(count, samples, X, labels, w, classes, T.One, values, gradients, scratch, ScratchWidth);

        protected override void LaunchHessianVector(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> v, ArrayView<T> values, ArrayView<T> hv, ArrayView<T> scratch)
            => hessianVector(count, samples, X, labels, w, classes, seed, v, values, hv, scratch, ScratchWidth);
    }
}
