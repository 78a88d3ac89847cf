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
/// <see cref="AutoDiff.Primitives.Vector.DotWithConstant"/>) in double, or of <see cref="KernelLosses.BinaryLogisticSingle"/>
/// in float (the runtime's primitives are double only): the data is uploaded once,
/// and each call uploads the parameters and the batch's row numbers, launches one thread per sample, and reads back the
/// values and the summed gradient. Parameters are d weights then the bias, as for <see cref="AutoDiff.Models.LogisticRegression"/>.
/// </summary>
/// <remarks>Not thread-safe: one call at a time (the buffers are reused).</remarks>
public sealed class GpuBinaryLogistic : IDisposable
{
    private readonly Kernels kernels;
    private readonly double[] features;
    private readonly int columns;

    /// <summary>Uploads <paramref name="data"/> (two classes, labels 0 and 1) and loads the kernels.</summary>
    /// <param name="device">The accelerator (<see cref="Accelerators.Create"/>); it must outlive this object.</param>
    /// <param name="data">The samples: features row-major, labels 0 or 1.</param>
    /// <param name="precision">The kernels' floating-point type.</param>
    public GpuBinaryLogistic(AcceleratorContext device, Dataset data, Precision precision = Precision.Double)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(data);
        if (data.ClassCount != 2) throw new ArgumentException($"The binary logistic loss needs two classes; the data has {data.ClassCount}.", nameof(data));
        if (precision is not (Precision.Double or Precision.Single)) throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision.");
        Precision = precision;
        Rows = data.Rows;
        columns = data.Columns;
        features = data.Features;
        var labels = Array.ConvertAll(data.Labels, label => (double)label);
        kernels = precision == Precision.Double
            ? new LoadedKernels<double>(device.Accelerator, data.Features, labels, data.Rows, data.Columns,
                LossKernels.BinaryLogisticForwardKernel, LossKernels.BinaryLogisticBackwardKernel,
                LossKernels.BinaryLogisticPerSampleBackwardKernel, LossKernels.BinaryLogisticHessianVectorKernel)
            : new LoadedKernels<float>(device.Accelerator, data.Features, labels, data.Rows, data.Columns,
                KernelLosses.BinaryLogisticSingleForwardKernel, KernelLosses.BinaryLogisticSingleBackwardKernel,
                KernelLosses.BinaryLogisticSinglePerSampleBackwardKernel, KernelLosses.BinaryLogisticSingleHessianVectorKernel);
    }

    /// <summary>The kernels' floating-point type.</summary>
    public Precision Precision { get; }

    /// <summary>The number of samples.</summary>
    public int Rows { get; }

    /// <summary>The number of parameters: the features' weights and the bias.</summary>
    public int ParameterCount => columns + 1;

    /// <summary>
    /// The mean loss over the samples <paramref name="order"/>[start .. start + count) and, in <paramref name="gradient"/>
    /// (overwritten), its gradient with respect to <paramref name="parameters"/>: the shape of
    /// <see cref="AutoDiff.Training.MiniBatchTrainer.BatchGradient"/> once the parameters are bound.
    /// </summary>
    public double BatchGradient(ReadOnlySpan<double> parameters, int[] order, int start, int count, Span<double> gradient)
    {
        Check(parameters, order, start, count, gradient.Length);
        return kernels.Backward(parameters, order.AsSpan(start, count), gradient);
    }

    /// <summary>The mean loss over <paramref name="samples"/> (row numbers, repeats allowed) by the forward kernel.</summary>
    public double Loss(ReadOnlySpan<double> parameters, int[] samples)
    {
        Check(parameters, samples, 0, samples.Length, ParameterCount);
        return kernels.Forward(parameters, samples);
    }

    /// <summary>
    /// Each sample's gradient (not averaged), one row per sample of <paramref name="gradients"/>
    /// (samples.Length × <see cref="ParameterCount"/>, overwritten), by the per-sample kernel; returns the mean loss.
    /// </summary>
    public double PerSampleGradients(ReadOnlySpan<double> parameters, int[] samples, double[,] gradients)
    {
        Check(parameters, samples, 0, samples.Length, ParameterCount);
        if (gradients.GetLength(0) != samples.Length || gradients.GetLength(1) != ParameterCount)
        {
            throw new ArgumentException($"The gradients must be {samples.Length} × {ParameterCount}.", nameof(gradients));
        }
        return kernels.PerSample(parameters, samples, gradients);
    }

    /// <summary>H·v of the mean loss over <paramref name="samples"/>, written to <paramref name="hv"/>.</summary>
    public void HessianVector(ReadOnlySpan<double> parameters, int[] samples, ReadOnlySpan<double> v, Span<double> hv)
    {
        Check(parameters, samples, 0, samples.Length, hv.Length);
        if (v.Length != ParameterCount) throw new ArgumentException($"v has {v.Length} elements; {ParameterCount} expected.", nameof(v));
        kernels.HessianVector(parameters, samples, v, hv);
    }

    /// <summary>
    /// The mean loss over all rows plus <paramref name="l2"/>·Σw² (the bias not penalised) and its gradient, as the
    /// runtime's minimisers take it: the objective of <see cref="AutoDiff.Models.LogisticRegression.Objective"/>, on the device.
    /// </summary>
    public ValueAndGradient Objective(double l2)
    {
        var all = AllRows();
        return (x, gradient) =>
        {
            double value = BatchGradient(x, all, 0, all.Length, gradient);
            return value + Penalty(l2, x, gradient);
        };
    }

    /// <summary>H·v of <see cref="Objective"/>, on the device.</summary>
    public HessianVectorProduct HessianVectorProduct(double l2)
    {
        var all = AllRows();
        return (x, v, hv) =>
        {
            HessianVector(x, all, v, hv);
            for (int j = 0; j < columns; j++) hv[j] += 2 * l2 * v[j];
        };
    }

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
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        if (parameters.Length != ParameterCount) throw new ArgumentException($"There are {parameters.Length} parameters; {ParameterCount} expected.", nameof(parameters));
        double l2 = options.L2;
        return MiniBatchTrainer.Train(parameters, Rows,
            (order, start, count, gradient) => BatchGradient(parameters, order, start, count, gradient),
            samples => (Loss(parameters, samples), Accuracy(parameters, samples)),
            options, progress, cancellationToken,
            l2 > 0 ? (p, gradient) => Penalty(l2, p, gradient) : null);
    }

    /// <summary>Adds the gradient of l2·Σw² (weights only) and returns its value.</summary>
    public double Penalty(double l2, ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        if (l2 == 0) return 0;
        double sum = 0;
        for (int j = 0; j < columns; j++)
        {
            sum += parameters[j] * parameters[j];
            gradient[j] += 2 * l2 * parameters[j];
        }
        return l2 * sum;
    }

    /// <summary>The fraction of <paramref name="samples"/> whose label the parameters predict (z ≥ 0 for class 1), on the host.</summary>
    public double Accuracy(ReadOnlySpan<double> parameters, int[] samples)
    {
        int correct = 0;
        var labels = kernels.Labels;
        foreach (int row in samples)
        {
            double z = parameters[columns];
            for (int j = 0; j < columns; j++) z += parameters[j] * features[row * columns + j];
            if ((z >= 0 ? 1.0 : 0.0) == labels[row]) correct++;
        }
        return samples.Length == 0 ? double.NaN : (double)correct / samples.Length;
    }

    private int[] AllRows()
    {
        var all = new int[Rows];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        return all;
    }

    private void Check(ReadOnlySpan<double> parameters, int[] order, int start, int count, int gradientLength)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (parameters.Length != ParameterCount) throw new ArgumentException($"There are {parameters.Length} parameters; {ParameterCount} expected.", nameof(parameters));
        if (gradientLength != ParameterCount) throw new ArgumentException($"The gradient has {gradientLength} elements; {ParameterCount} expected.");
        if (count <= 0 || start < 0 || start + count > order.Length) throw new ArgumentOutOfRangeException(nameof(count), "The batch must be a non-empty range of the order.");
        foreach (int row in order.AsSpan(start, count))
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(order), $"Row {row} is not a row of the data (0 to {Rows - 1}).");
        }
    }

    /// <summary>Frees the device buffers.</summary>
    public void Dispose() => kernels.Dispose();

    /// <summary>The buffers and kernels of one precision; <typeparamref name="T"/> is double or float.</summary>
    private abstract class Kernels<T> : Kernels where T : unmanaged
    {
        private readonly Accelerator accelerator;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> x;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> y;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> w;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> v;
        private readonly MemoryBuffer1D<T, Stride1D.Dense> gradient;
        private readonly T[] hostParameters;
        private readonly T[] hostGradient;
        private readonly int parameterCount;
        private MemoryBuffer1D<int, Stride1D.Dense>? samples;
        private MemoryBuffer1D<T, Stride1D.Dense>? values;
        private MemoryBuffer1D<T, Stride1D.Dense>? perSample;
        private T[] hostValues = Array.Empty<T>();

        protected Kernels(Accelerator accelerator, double[] features, double[] labels, int rows, int columns)
        {
            this.accelerator = accelerator;
            Labels = labels;
            parameterCount = columns + 1;
            x = accelerator.Allocate1D(Array.ConvertAll(features, From));
            y = accelerator.Allocate1D(Array.ConvertAll(labels, From));
            X = new ArrayView2D<T, Stride2D.DenseY>(x.View, new LongIndex2D(rows, columns), new Stride2D.DenseY(columns));
            w = accelerator.Allocate1D<T>(parameterCount);
            v = accelerator.Allocate1D<T>(parameterCount);
            gradient = accelerator.Allocate1D<T>(parameterCount);
            hostParameters = new T[parameterCount];
            hostGradient = new T[parameterCount];
        }

        protected ArrayView2D<T, Stride2D.DenseY> X { get; }

        protected ArrayView<T> Y => y.View;

        protected abstract T From(double value);

        protected abstract double To(T value);

        protected abstract void LaunchForward(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values);

        protected abstract void LaunchBackward(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> values, ArrayView<T> gradient);

        protected abstract void LaunchPerSample(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView2D<T, Stride2D.DenseY> gradients);

        protected abstract void LaunchHessianVector(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> v, ArrayView<T> values, ArrayView<T> hv);

        public override double Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows)
        {
            var (sampleView, valueView) = Prepare(parameters, rows);
            LaunchForward(rows.Length, sampleView, w.View, valueView);
            return MeanOfValues(rows.Length);
        }

        public override double Backward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, Span<double> result)
        {
            var (sampleView, valueView) = Prepare(parameters, rows);
            gradient.MemSetToZero();
            LaunchBackward(rows.Length, sampleView, w.View, From(1.0 / rows.Length), valueView, gradient.View);
            double mean = MeanOfValues(rows.Length);
            gradient.View.CopyToCPU(hostGradient);
            for (int i = 0; i < result.Length; i++) result[i] = To(hostGradient[i]);
            return mean;
        }

        public override double PerSample(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, double[,] result)
        {
            var (sampleView, valueView) = Prepare(parameters, rows);
            long size = (long)rows.Length * parameterCount;
            if (perSample is null || perSample.Length < size)
            {
                perSample?.Dispose();
                perSample = accelerator.Allocate1D<T>(size);
            }
            var view = perSample.View.SubView(0, size);
            view.MemSetToZero();
            LaunchPerSample(rows.Length, sampleView, w.View, valueView,
                new ArrayView2D<T, Stride2D.DenseY>(view, new LongIndex2D(rows.Length, parameterCount), new Stride2D.DenseY(parameterCount)));
            double mean = MeanOfValues(rows.Length);
            var host = new T[size];
            view.CopyToCPU(host);
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < parameterCount; j++) result[i, j] = To(host[(long)i * parameterCount + j]);
            }
            return mean;
        }

        public override void HessianVector(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, ReadOnlySpan<double> direction, Span<double> result)
        {
            var (sampleView, valueView) = Prepare(parameters, rows);
            for (int i = 0; i < parameterCount; i++) hostParameters[i] = From(direction[i]);
            v.View.CopyFromCPU(hostParameters);
            gradient.MemSetToZero();
            LaunchHessianVector(rows.Length, sampleView, w.View, From(1.0 / rows.Length), v.View, valueView, gradient.View);
            accelerator.Synchronize();
            gradient.View.CopyToCPU(hostGradient);
            for (int i = 0; i < result.Length; i++) result[i] = To(hostGradient[i]);
        }

        /// <summary>Uploads the parameters and the row numbers; returns the launch's sample and value views.</summary>
        private (ArrayView<int> Samples, ArrayView<T> Values) Prepare(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows)
        {
            for (int i = 0; i < parameterCount; i++) hostParameters[i] = From(parameters[i]);
            w.View.CopyFromCPU(hostParameters);
            if (samples is null || samples.Length < rows.Length)
            {
                samples?.Dispose();
                values?.Dispose();
                samples = accelerator.Allocate1D<int>(rows.Length);
                values = accelerator.Allocate1D<T>(rows.Length);
                hostValues = new T[rows.Length];
            }
            var sampleView = samples.View.SubView(0, rows.Length);
            sampleView.CopyFromCPU(rows.ToArray());
            return (sampleView, values!.View.SubView(0, rows.Length));
        }

        /// <summary>Waits for the launch and averages the per-sample values in double, in sample order.</summary>
        private double MeanOfValues(int count)
        {
            accelerator.Synchronize();
            var valueView = values!.View.SubView(0, count);
            var host = hostValues.Length == count ? hostValues : new T[count];
            valueView.CopyToCPU(host);
            double sum = 0;
            for (int i = 0; i < count; i++) sum += To(host[i]);
            return sum / count;
        }

        public override void Dispose()
        {
            x.Dispose();
            y.Dispose();
            w.Dispose();
            v.Dispose();
            gradient.Dispose();
            samples?.Dispose();
            values?.Dispose();
            perSample?.Dispose();
        }
    }

    private abstract class Kernels : IDisposable
    {
        public double[] Labels { get; protected init; } = Array.Empty<double>();

        public abstract double Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows);

        public abstract double Backward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, Span<double> result);

        public abstract double PerSample(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, double[,] result);

        public abstract void HessianVector(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, ReadOnlySpan<double> direction, Span<double> result);

        public abstract void Dispose();
    }

    /// <summary>A loss's four generated kernels, loaded for element type <typeparamref name="T"/> (double or float).</summary>
    private sealed class LoadedKernels<T> : Kernels<T>
        where T : unmanaged, INumber<T>
    {
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, ArrayView<T>> forward;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>> backward;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>> perSample;
        private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>, ArrayView<T>> hessianVector;

        public LoadedKernels(Accelerator accelerator, double[] features, double[] labels, int rows, int columns,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, ArrayView<T>> forwardKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>> backwardKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView2D<T, Stride2D.DenseY>> perSampleKernel,
            Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, T, ArrayView<T>, ArrayView<T>, ArrayView<T>> hessianVectorKernel)
            : base(accelerator, features, labels, rows, columns)
        {
            forward = accelerator.LoadAutoGroupedStreamKernel(forwardKernel);
            backward = accelerator.LoadAutoGroupedStreamKernel(backwardKernel);
            perSample = accelerator.LoadAutoGroupedStreamKernel(perSampleKernel);
            hessianVector = accelerator.LoadAutoGroupedStreamKernel(hessianVectorKernel);
            Labels = labels;
        }

        protected override T From(double value) => T.CreateTruncating(value);

        protected override double To(T value) => double.CreateTruncating(value);

        protected override void LaunchForward(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values)
            => forward(count, samples, X, Y, w, values);

        protected override void LaunchBackward(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> values, ArrayView<T> gradient)
            => backward(count, samples, X, Y, w, seed, values, gradient);

        protected override void LaunchPerSample(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView2D<T, Stride2D.DenseY> gradients)
            => perSample(count, samples, X, Y, w, T.One, values, gradients);

        protected override void LaunchHessianVector(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> v, ArrayView<T> values, ArrayView<T> hv)
            => hessianVector(count, samples, X, Y, w, seed, v, values, hv);
    }
}
