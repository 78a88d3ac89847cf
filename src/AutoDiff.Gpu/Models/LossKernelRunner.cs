using System;
using System.Collections.Generic;
using System.Numerics;
using AutoDiff.Data;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// The device side of a per-sample <c>[GpuKernel]</c> loss whose kernels take the parameters as one shared array: the four
/// generated kernels (forward, batch-summed backward, per-sample backward, H·v) run over a batch of row numbers, with the
/// values averaged on the host in double. <see cref="LinearKernelModel"/> checks the arguments before calling it.
/// </summary>
internal abstract class LossKernelRunner : IDisposable
{
    /// <summary>The mean loss over <paramref name="rows"/>, by the forward kernel.</summary>
    public abstract double Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows);

    /// <summary>The mean loss over <paramref name="rows"/>, and its gradient written to <paramref name="result"/>, by the backward kernel.</summary>
    public abstract double Backward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, Span<double> result);

    /// <summary>
    /// The mean loss over <paramref name="rows"/>, and its gradient written to <paramref name="result"/>, by per-block
    /// partial sums instead of atomics (<see cref="PartialSumKernels"/>), where the loss has them: only the binary logistic
    /// loss does; the others throw <see cref="NotSupportedException"/>.
    /// </summary>
    public virtual double BackwardByBlocks(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, Span<double> result)
        => throw new NotSupportedException("This loss has no per-block partial-sum kernels.");

    /// <summary>Each row's gradient (seed 1) in a row of <paramref name="result"/>, by the per-sample kernel; returns the mean loss.</summary>
    public abstract double PerSample(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, double[,] result);

    /// <summary>H·<paramref name="direction"/> of the mean loss over <paramref name="rows"/>, written to <paramref name="result"/>.</summary>
    public abstract void HessianVector(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, ReadOnlySpan<double> direction, Span<double> result);

    /// <summary>Frees the device buffers.</summary>
    public abstract void Dispose();
}

/// <summary>
/// The buffers of <see cref="LossKernelRunner"/> in element type <typeparamref name="T"/> (double or float): the features
/// (uploaded once, as a dense rows × columns view), the parameters, the direction of H·v and the summed gradient (one
/// parameter vector each), and the per-launch buffers, which grow with the largest batch: the row numbers, the values, the
/// per-sample gradient rows and, for kernels with local arrays, the scratch rows (batch rows × <see cref="ScratchWidth"/>).
/// A subclass uploads its per-sample labels (<see cref="Upload{TValue}"/>) and launches its kernels.
/// </summary>
internal abstract class LossKernelRunner<T> : LossKernelRunner where T : unmanaged, INumber<T>
{
    private readonly Accelerator accelerator;
    private readonly List<IDisposable> owned = new();
    private readonly MemoryBuffer1D<T, Stride1D.Dense> w;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> v;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> gradient;
    private readonly T[] hostParameters;
    private readonly T[] hostGradient;
    private readonly int parameterCount;
    private MemoryBuffer1D<int, Stride1D.Dense>? samples;
    private MemoryBuffer1D<T, Stride1D.Dense>? values;
    private MemoryBuffer1D<T, Stride1D.Dense>? perSample;
    private MemoryBuffer1D<T, Stride1D.Dense>? scratch;
    private T[] hostValues = Array.Empty<T>();

    /// <summary>Uploads the features of <paramref name="data"/> and allocates the parameter-sized buffers.</summary>
    /// <param name="accelerator">The device.</param>
    /// <param name="data">The samples.</param>
    /// <param name="parameterCount">The length of the shared parameter array.</param>
    /// <param name="scratchWidth">The length of a thread's scratch row (the kernels' <c>…KernelScratchWidth</c>), or 0 when the kernels take no scratch memory.</param>
    protected LossKernelRunner(Accelerator accelerator, Dataset data, int parameterCount, int scratchWidth)
    {
        this.accelerator = accelerator;
        this.parameterCount = parameterCount;
        ScratchWidth = scratchWidth;
        var x = Upload(Array.ConvertAll(data.Features, From));
        X = new ArrayView2D<T, Stride2D.DenseY>(x.View, new LongIndex2D(data.Rows, data.Columns), new Stride2D.DenseY(data.Columns));
        w = Own(accelerator.Allocate1D<T>(parameterCount));
        v = Own(accelerator.Allocate1D<T>(parameterCount));
        gradient = Own(accelerator.Allocate1D<T>(parameterCount));
        hostParameters = new T[parameterCount];
        hostGradient = new T[parameterCount];
    }

    /// <summary>The device.</summary>
    protected Accelerator Accelerator => accelerator;

    /// <summary>The features: one row per sample.</summary>
    protected ArrayView2D<T, Stride2D.DenseY> X { get; }

    /// <summary>The length of a thread's row of the scratch view the launches receive (0: no scratch memory).</summary>
    protected int ScratchWidth { get; }

    /// <summary>Copies <paramref name="values"/> to a device buffer that this object frees.</summary>
    protected MemoryBuffer1D<TValue, Stride1D.Dense> Upload<TValue>(TValue[] values) where TValue : unmanaged
        => Own(accelerator.Allocate1D(values));

    /// <summary>A double as <typeparamref name="T"/>.</summary>
    protected static T From(double value) => T.CreateTruncating(value);

    /// <summary>A <typeparamref name="T"/> as a double.</summary>
    protected static double To(T value) => double.CreateTruncating(value);

    /// <summary>Launches the forward kernel on <paramref name="count"/> threads.</summary>
    protected abstract void LaunchForward(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView<T> scratch);

    /// <summary>Launches the batch-summed backward kernel on <paramref name="count"/> threads.</summary>
    protected abstract void LaunchBackward(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> values, ArrayView<T> gradient, ArrayView<T> scratch);

    /// <summary>
    /// Launches the per-block partial-sum kernels over <paramref name="count"/> samples, writing the values and
    /// <paramref name="seed"/> × the summed gradient (overwriting <paramref name="gradient"/>); only a loss that has them overrides it.
    /// </summary>
    protected virtual void LaunchBackwardByBlocks(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> values, ArrayView<T> gradient)
        => throw new NotSupportedException("This loss has no per-block partial-sum kernels.");

    /// <summary>Launches the per-sample backward kernel on <paramref name="count"/> threads, seed 1.</summary>
    protected abstract void LaunchPerSample(int count, ArrayView<int> samples, ArrayView<T> w, ArrayView<T> values, ArrayView2D<T, Stride2D.DenseY> gradients, ArrayView<T> scratch);

    /// <summary>Launches the H·v kernel on <paramref name="count"/> threads.</summary>
    protected abstract void LaunchHessianVector(int count, ArrayView<int> samples, ArrayView<T> w, T seed, ArrayView<T> v, ArrayView<T> values, ArrayView<T> hv, ArrayView<T> scratch);

    public override double Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows)
    {
        var launch = Prepare(parameters, rows);
        LaunchForward(rows.Length, launch.Samples, w.View, launch.Values, launch.Scratch);
        return MeanOfValues(rows.Length);
    }

    public override double Backward(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, Span<double> result)
    {
        var launch = Prepare(parameters, rows);
        gradient.MemSetToZero();
        LaunchBackward(rows.Length, launch.Samples, w.View, From(1.0 / rows.Length), launch.Values, gradient.View, launch.Scratch);
        double mean = MeanOfValues(rows.Length);
        gradient.View.CopyToCPU(hostGradient);
        for (int i = 0; i < result.Length; i++) result[i] = To(hostGradient[i]);
        return mean;
    }

    public override double BackwardByBlocks(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, Span<double> result)
    {
        var launch = Prepare(parameters, rows);
        LaunchBackwardByBlocks(rows.Length, launch.Samples, w.View, From(1.0 / rows.Length), launch.Values, gradient.View);
        double mean = MeanOfValues(rows.Length);
        gradient.View.CopyToCPU(hostGradient);
        for (int i = 0; i < result.Length; i++) result[i] = To(hostGradient[i]);
        return mean;
    }

    public override double PerSample(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows, double[,] result)
    {
        var launch = Prepare(parameters, rows);
        long size = (long)rows.Length * parameterCount;
        var view = Grow(ref perSample, size);
        view.MemSetToZero();
        LaunchPerSample(rows.Length, launch.Samples, w.View, launch.Values,
            new ArrayView2D<T, Stride2D.DenseY>(view, new LongIndex2D(rows.Length, parameterCount), new Stride2D.DenseY(parameterCount)), launch.Scratch);
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
        var launch = Prepare(parameters, rows);
        for (int i = 0; i < parameterCount; i++) hostParameters[i] = From(direction[i]);
        v.View.CopyFromCPU(hostParameters);
        gradient.MemSetToZero();
        LaunchHessianVector(rows.Length, launch.Samples, w.View, From(1.0 / rows.Length), v.View, launch.Values, gradient.View, launch.Scratch);
        accelerator.Synchronize();
        gradient.View.CopyToCPU(hostGradient);
        for (int i = 0; i < result.Length; i++) result[i] = To(hostGradient[i]);
    }

    /// <summary>
    /// Uploads the parameters and the row numbers, growing the per-launch buffers to the batch; returns the launch's views of
    /// the row numbers, the values and the scratch rows (empty when the kernels take none).
    /// </summary>
    private (ArrayView<int> Samples, ArrayView<T> Values, ArrayView<T> Scratch) Prepare(ReadOnlySpan<double> parameters, ReadOnlySpan<int> rows)
    {
        for (int i = 0; i < parameterCount; i++) hostParameters[i] = From(parameters[i]);
        w.View.CopyFromCPU(hostParameters);
        var sampleView = Grow(ref samples, rows.Length);
        var valueView = Grow(ref values, rows.Length);
        if (hostValues.Length < rows.Length) hostValues = new T[rows.Length];
        sampleView.CopyFromCPU(rows.ToArray());
        var scratchView = default(ArrayView<T>);
        if (ScratchWidth > 0)
        {
            // The generated kernels find a thread's row at index × width in int arithmetic.
            long scratchSize = (long)rows.Length * ScratchWidth;
            if (scratchSize > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(rows), $"A batch of {rows.Length} rows needs {scratchSize} scratch elements; at most {int.MaxValue} can be addressed.");
            scratchView = Grow(ref scratch, scratchSize);
        }
        return (sampleView, valueView, scratchView);
    }

    /// <summary>The first <paramref name="length"/> elements of <paramref name="buffer"/>, reallocated first when it is shorter.</summary>
    private ArrayView<TValue> Grow<TValue>(ref MemoryBuffer1D<TValue, Stride1D.Dense>? buffer, long length) where TValue : unmanaged
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = accelerator.Allocate1D<TValue>(length);
        }
        return buffer.View.SubView(0, length);
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

    private TBuffer Own<TBuffer>(TBuffer buffer) where TBuffer : IDisposable
    {
        owned.Add(buffer);
        return buffer;
    }

    public override void Dispose()
    {
        foreach (var buffer in owned) buffer.Dispose();
        owned.Clear();
        samples?.Dispose();
        values?.Dispose();
        perSample?.Dispose();
        scratch?.Dispose();
    }
}
