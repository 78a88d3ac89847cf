using System;
using System.Linq;
using System.Threading;
using AutoDiff.Data;
using AutoDiff.Models;
using AutoDiff.Training;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// The runtime's <see cref="MultilayerPerceptron"/> on an accelerator: the loss of <see cref="Losses.PerceptronSample"/>
/// (mean over a batch) and its gradient, computed layer by layer for the whole batch (<see cref="PerceptronKernels"/>:
/// forward layers, the loss, then each layer's weight gradient and the adjoint of the layer below), so that each thread
/// keeps a few scalars and the per-sample units live in batch × units buffers. Weight gradients are sums over the batch
/// by one thread per parameter, in sample order: no atomics, and the same result on every run.
/// </summary>
/// <remarks>
/// The data is uploaded once; each call uploads the parameters and the batch's row numbers and reads back the per-sample
/// values and the gradient. Not thread-safe: one call at a time (the buffers are reused, and grow with the largest batch).
/// </remarks>
public sealed class GpuPerceptron : IDisposable
{
    private readonly Runner runner;
    private readonly Dataset data;

    /// <summary>Uploads <paramref name="data"/> and loads the kernels for <paramref name="network"/>'s shape.</summary>
    /// <param name="device">The accelerator (<see cref="Accelerators.Create"/>); it must outlive this object.</param>
    /// <param name="network">The network: its layer sizes, activation and output (its parameters are passed to each call, or trained by <see cref="Train"/>).</param>
    /// <param name="data">The samples: features row-major (as many as the network's inputs), labels among its outputs.</param>
    /// <param name="precision">The kernels' floating-point type.</param>
    public GpuPerceptron(AcceleratorContext device, MultilayerPerceptron network, Dataset data, Precision precision = Precision.Double)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Columns != network.InputCount) throw new ArgumentException($"The data has {data.Columns} features; the network takes {network.InputCount}.", nameof(data));
        foreach (int label in data.Labels)
        {
            if (label < 0 || label >= network.OutputCount) throw new ArgumentException($"Label {label} is outside 0..{network.OutputCount - 1}, the network's classes.", nameof(data));
        }
        Network = network;
        Precision = precision;
        this.data = data;
        var shape = new Shape(network.LayerSizes.ToArray(), (int)network.Activation, network.Output == OutputLoss.SquaredError);
        runner = precision switch
        {
            Precision.Double => new Runner<double>(device.Accelerator, shape, data, v => v, v => v, new Kernels<double>(device.Accelerator,
                PerceptronKernels.Forward<double, DoubleKernelMath>, PerceptronKernels.Loss<double, DoubleKernelMath>,
                PerceptronKernels.WeightGradient<double, DoubleKernelMath>, PerceptronKernels.InputGradient<double, DoubleKernelMath>)),
            Precision.Single => new Runner<float>(device.Accelerator, shape, data, v => (float)v, v => v, new Kernels<float>(device.Accelerator,
                PerceptronKernels.Forward<float, SingleKernelMath>, PerceptronKernels.Loss<float, SingleKernelMath>,
                PerceptronKernels.WeightGradient<float, SingleKernelMath>, PerceptronKernels.InputGradient<float, SingleKernelMath>)),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
        };
    }

    /// <summary>The network whose shape the kernels compute (and whose parameters <see cref="Train"/> trains).</summary>
    public MultilayerPerceptron Network { get; }

    /// <summary>The kernels' floating-point type.</summary>
    public Precision Precision { get; }

    /// <summary>The number of samples.</summary>
    public int Rows => data.Rows;

    /// <summary>The number of weights and biases.</summary>
    public int ParameterCount => Network.Parameters.Length;

    /// <summary>
    /// The mean loss over the samples <paramref name="order"/>[start .. start + count) and, in <paramref name="gradient"/>
    /// (overwritten), its gradient with respect to <paramref name="parameters"/>: what the CPU trainer gets by summing
    /// <c>Losses.PerceptronSampleBackward</c> over the batch, the shape of <see cref="MiniBatchTrainer.BatchGradient"/>.
    /// </summary>
    public double BatchGradient(ReadOnlySpan<double> parameters, int[] order, int start, int count, Span<double> gradient)
    {
        Check(parameters, order, start, count);
        if (gradient.Length != ParameterCount) throw new ArgumentException($"The gradient has {gradient.Length} elements; {ParameterCount} expected.", nameof(gradient));
        return runner.Run(parameters, order.AsSpan(start, count), gradient, out _);
    }

    /// <summary>The mean loss and the accuracy over <paramref name="samples"/> (row numbers), from the forward kernels.</summary>
    public (double Loss, double Accuracy) Evaluate(ReadOnlySpan<double> parameters, int[] samples)
    {
        Check(parameters, samples, 0, samples.Length);
        double loss = runner.Run(parameters, samples, Span<double>.Empty, out int correct);
        return (loss, (double)correct / samples.Length);
    }

    /// <summary>
    /// Trains <see cref="Network"/>'s parameters in place through the runtime's trainer, as
    /// <see cref="MultilayerPerceptron.Fit"/> does on the CPU (same shuffling, optimiser, validation, early stopping,
    /// penalty and progress reports), with each batch's gradient and each validation score from the kernels.
    /// </summary>
    /// <param name="options">Epochs, batch size, optimiser, seed, validation, L2.</param>
    /// <param name="progress">Receives a report after each epoch.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public TrainingHistory Train(TrainingOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrainingOptions();
        var parameters = Network.Parameters;
        var sizes = Network.LayerSizes.ToArray();
        MiniBatchTrainer.Penalty? penalty = options.L2 > 0
            ? (p, gradient) => Losses.PerceptronPenaltyBackward(p, sizes, options.L2, 1.0, gradient)
            : null;
        return MiniBatchTrainer.Train(parameters, Rows,
            (order, start, count, gradient) => BatchGradient(parameters, order, start, count, gradient),
            samples => Evaluate(parameters, samples),
            options, progress, cancellationToken, penalty);
    }

    private void Check(ReadOnlySpan<double> parameters, int[] order, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (parameters.Length != ParameterCount) throw new ArgumentException($"There are {parameters.Length} parameters; {ParameterCount} expected.", nameof(parameters));
        if (count <= 0 || start < 0 || start + count > order.Length) throw new ArgumentOutOfRangeException(nameof(count), "The batch must be a non-empty range of the order.");
        foreach (int row in order.AsSpan(start, count))
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(order), $"Row {row} is not a row of the data (0 to {Rows - 1}).");
        }
    }

    /// <summary>Frees the device buffers.</summary>
    public void Dispose() => runner.Dispose();

    /// <summary>Layer sizes, the activation's code, and whether the output is squared error (else softmax cross-entropy).</summary>
    private sealed record Shape(int[] Sizes, int Activation, bool SquaredError)
    {
        public int Layers => Sizes.Length - 1;
    }

    /// <summary>The loaded kernels of one precision.</summary>
    private sealed class Kernels<T> where T : unmanaged
    {
        public Kernels(Accelerator accelerator,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, int, int, int, int, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>> forward,
            Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>, int, int, int, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>> loss,
            Action<Index1D, int, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>, int, int, int, ArrayView<T>> weightGradient,
            Action<Index1D, ArrayView<T>, int, int, int, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>, int, ArrayView2D<T, Stride2D.DenseY>> inputGradient)
        {
            Forward = accelerator.LoadAutoGroupedStreamKernel(forward);
            Loss = accelerator.LoadAutoGroupedStreamKernel(loss);
            WeightGradient = accelerator.LoadAutoGroupedStreamKernel(weightGradient);
            InputGradient = accelerator.LoadAutoGroupedStreamKernel(inputGradient);
        }

        public Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, int, int, int, int, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>> Forward { get; }

        public Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>, int, int, int, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<int>> Loss { get; }

        public Action<Index1D, int, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>, int, int, int, ArrayView<T>> WeightGradient { get; }

        public Action<Index1D, ArrayView<T>, int, int, int, ArrayView2D<T, Stride2D.DenseY>, ArrayView2D<T, Stride2D.DenseY>, int, ArrayView2D<T, Stride2D.DenseY>> InputGradient { get; }
    }

    private abstract class Runner : IDisposable
    {
        /// <summary>
        /// The mean loss over <paramref name="rows"/>; with a non-empty <paramref name="gradient"/>, also its gradient;
        /// <paramref name="correct"/> counts the samples whose predicted class is their label.
        /// </summary>
        public abstract double Run(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, Span<double> gradient, out int correct);

        public abstract void Dispose();
    }

    /// <summary>The buffers of one precision, and the order of launches for a batch.</summary>
    private sealed class Runner<T> : Runner where T : unmanaged
    {
        private readonly Accelerator accelerator;
        private readonly Shape shape;
        private readonly Kernels<T> kernels;
        private readonly Func<double, T> from;
        private readonly Func<T, double> to;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> features;
        private readonly ArrayView2D<T, Stride2D.DenseY> x;
        private readonly MemoryBuffer1D<int, Stride1D.Dense> labels;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> parameters;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> gradient;
        private readonly T[] hostParameters;
        private readonly T[] hostGradient;
        private readonly int[] weightOffsets;
        private readonly int[] hostLabels;
        private int capacity;
        private MemoryBuffer1D<int, Stride1D.Dense>? samples;
        private MemoryBuffer1D<int, Stride1D.Dense>? identity;
        private MemoryBuffer1D<int, Stride1D.Dense>? predicted;
        private MemoryBuffer1D<T, Stride1D.Dense>? values;
        private MemoryBuffer1D<T, Stride1D.Dense>[] z = Array.Empty<MemoryBuffer1D<T, Stride1D.Dense>>();
        private MemoryBuffer1D<T, Stride1D.Dense>[] a = Array.Empty<MemoryBuffer1D<T, Stride1D.Dense>>();
        private MemoryBuffer1D<T, Stride1D.Dense>[] dZ = Array.Empty<MemoryBuffer1D<T, Stride1D.Dense>>();
        private T[] hostValues = Array.Empty<T>();
        private int[] hostPredicted = Array.Empty<int>();

        public Runner(Accelerator accelerator, Shape shape, Dataset data, Func<double, T> from, Func<T, double> to, Kernels<T> kernels)
        {
            this.accelerator = accelerator;
            this.shape = shape;
            this.kernels = kernels;
            this.from = from;
            this.to = to;
            features = accelerator.Allocate1D(Array.ConvertAll(data.Features, v => from(v)));
            x = new ArrayView2D<T, Stride2D.DenseY>(features.View, new LongIndex2D(data.Rows, data.Columns), new Stride2D.DenseY(data.Columns));
            labels = accelerator.Allocate1D(data.Labels);
            hostLabels = data.Labels;
            int count = MultilayerPerceptron.ParameterCount(shape.Sizes);
            parameters = accelerator.Allocate1D<T>(count);
            gradient = accelerator.Allocate1D<T>(count);
            hostParameters = new T[count];
            hostGradient = new T[count];
            weightOffsets = new int[shape.Layers];
            for (int l = 1; l < shape.Layers; l++) weightOffsets[l] = weightOffsets[l - 1] + shape.Sizes[l] * (shape.Sizes[l - 1] + 1);
        }

        /// <summary>The batch × units view of a layer's buffer.</summary>
        private ArrayView2D<T, Stride2D.DenseY> Units(MemoryBuffer1D<T, Stride1D.Dense> buffer, int layer, int count)
        {
            int width = shape.Sizes[layer + 1];
            return new ArrayView2D<T, Stride2D.DenseY>(buffer.View.SubView(0, (long)count * width), new LongIndex2D(count, width), new Stride2D.DenseY(width));
        }

        private void Reserve(int count)
        {
            if (count <= capacity) return;
            FreeBatchBuffers();
            capacity = Math.Max(count, 2 * capacity);
            samples = accelerator.Allocate1D<int>(capacity);
            identity = accelerator.Allocate1D(Enumerable.Range(0, capacity).ToArray());
            predicted = accelerator.Allocate1D<int>(capacity);
            values = accelerator.Allocate1D<T>(capacity);
            z = new MemoryBuffer1D<T, Stride1D.Dense>[shape.Layers];
            a = new MemoryBuffer1D<T, Stride1D.Dense>[shape.Layers];
            dZ = new MemoryBuffer1D<T, Stride1D.Dense>[shape.Layers];
            for (int l = 0; l < shape.Layers; l++)
            {
                long size = (long)capacity * shape.Sizes[l + 1];
                z[l] = accelerator.Allocate1D<T>(size);
                a[l] = accelerator.Allocate1D<T>(size);
                dZ[l] = accelerator.Allocate1D<T>(size);
            }
            hostValues = new T[capacity];
            hostPredicted = new int[capacity];
        }

        public override double Run(ReadOnlySpan<double> parameterValues, ReadOnlySpan<int> rows, Span<double> result, out int correct)
        {
            int count = rows.Length;
            Reserve(count);
            for (int i = 0; i < hostParameters.Length; i++) hostParameters[i] = from(parameterValues[i]);
            parameters.View.CopyFromCPU(hostParameters);
            var sampleView = samples!.View.SubView(0, count);
            sampleView.CopyFromCPU(rows.ToArray());
            var identityView = identity!.View.SubView(0, count);
            var sizes = shape.Sizes;
            int last = shape.Layers - 1;

            // Forward, layer by layer: layer 0 reads the data's rows, the others the layer below's units.
            for (int l = 0; l <= last; l++)
            {
                int activation = l < last || shape.SquaredError ? shape.Activation : -1;
                kernels.Forward(count * sizes[l + 1], l == 0 ? sampleView : identityView, l == 0 ? x : Units(a[l - 1], l - 1, count),
                    parameters.View, weightOffsets[l], sizes[l], sizes[l + 1], activation, Units(z[l], l, count), Units(a[l], l, count));
            }
            bool backward = !result.IsEmpty;
            kernels.Loss(count, sampleView, labels.View, Units(z[last], last, count), Units(a[last], last, count), sizes[^1], shape.SquaredError ? 1 : 0,
                shape.Activation, from(backward ? 1.0 / count : 0.0), values!.View.SubView(0, count), Units(dZ[last], last, count), predicted!.View.SubView(0, count));

            // Backward: each layer's parameters' gradient from its dZ and its input, then the layer below's dZ.
            if (backward)
            {
                for (int l = last; l >= 0; l--)
                {
                    var input = l == 0 ? x : Units(a[l - 1], l - 1, count);
                    kernels.WeightGradient(sizes[l + 1] * (sizes[l] + 1), count, l == 0 ? sampleView : identityView, input, Units(dZ[l], l, count),
                        weightOffsets[l], sizes[l], sizes[l + 1], gradient.View);
                    if (l > 0)
                    {
                        kernels.InputGradient(count * sizes[l], parameters.View, weightOffsets[l], sizes[l], sizes[l + 1], Units(dZ[l], l, count),
                            Units(z[l - 1], l - 1, count), shape.Activation, Units(dZ[l - 1], l - 1, count));
                    }
                }
            }
            accelerator.Synchronize();

            values.View.SubView(0, count).AsContiguous().CopyToCPU(hostValues.AsSpan(0, count));
            predicted.View.SubView(0, count).AsContiguous().CopyToCPU(hostPredicted.AsSpan(0, count));
            double sum = 0;
            correct = 0;
            for (int i = 0; i < count; i++)
            {
                sum += to(hostValues[i]);
                if (hostPredicted[i] == hostLabels[rows[i]]) correct++;
            }
            if (backward)
            {
                gradient.View.CopyToCPU(hostGradient);
                for (int i = 0; i < result.Length; i++) result[i] = to(hostGradient[i]);
            }
            return sum / count;
        }

        private void FreeBatchBuffers()
        {
            samples?.Dispose();
            identity?.Dispose();
            predicted?.Dispose();
            values?.Dispose();
            foreach (var buffer in z.Concat(a).Concat(dZ)) buffer.Dispose();
        }

        public override void Dispose()
        {
            FreeBatchBuffers();
            features.Dispose();
            labels.Dispose();
            parameters.Dispose();
            gradient.Dispose();
        }
    }
}
