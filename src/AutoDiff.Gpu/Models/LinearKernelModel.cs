using System;
using System.Threading;
using AutoDiff.Data;
using AutoDiff.Optimization;
using AutoDiff.Training;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// The host side that <see cref="GpuBinaryLogistic"/> and <see cref="GpuMultinomialLogistic"/> share: a linear model with
/// <c>outputs</c> logits zₖ = wₖ·x + bₖ whose parameters are <c>outputs</c> rows of d weights (row-major) then the
/// <c>outputs</c> biases (for one output, the d weights then the bias), a per-sample loss whose generated kernels a
/// <see cref="LossKernelRunner"/> runs, and what the models build on it: argument checks, the L2 penalty on the weights
/// (biases not penalised), the full objective and H·v for the runtime's minimisers, training through
/// <see cref="MiniBatchTrainer"/>, and the accuracy (for one output, z ≥ 0 predicts class 1; otherwise the largest logit).
/// </summary>
internal sealed class LinearKernelModel : IDisposable
{
    private readonly LossKernelRunner runner;
    private readonly double[] features;
    private readonly int[] labels;
    private readonly int columns;
    private readonly int outputs;

    /// <summary>Wraps <paramref name="runner"/>, which has uploaded <paramref name="data"/>.</summary>
    public LinearKernelModel(Dataset data, int outputs, Precision precision, LossKernelRunner runner)
    {
        this.runner = runner;
        this.outputs = outputs;
        Precision = precision;
        Rows = data.Rows;
        columns = data.Columns;
        features = data.Features;
        labels = (int[])data.Labels.Clone();
    }

    /// <summary>
    /// Runs <paramref name="inDouble"/> or <paramref name="inSingle"/> as <paramref name="precision"/> says (the models
    /// create their kernels' runner with it), after checking that it is a known precision.
    /// </summary>
    public static T ForPrecision<T>(Precision precision, Func<T> inDouble, Func<T> inSingle) => precision switch
    {
        Precision.Double => inDouble(),
        Precision.Single => inSingle(),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    public Precision Precision { get; }

    public int Rows { get; }

    public int ParameterCount => outputs * (columns + 1);

    /// <summary>The number of weights, which come first in the parameters and are the only ones penalised.</summary>
    public int WeightCount => outputs * columns;

    public double BatchGradient(ReadOnlySpan<double> parameters, int[] order, int start, int count, Span<double> gradient)
    {
        Check(parameters, order, start, count, gradient.Length);
        return runner.Backward(parameters, order.AsSpan(start, count), gradient);
    }

    /// <summary><see cref="BatchGradient"/> by per-block partial sums (<see cref="LossKernelRunner.BackwardByBlocks"/>), where the runner has them.</summary>
    public double BatchGradientByBlocks(ReadOnlySpan<double> parameters, int[] order, int start, int count, Span<double> gradient)
    {
        Check(parameters, order, start, count, gradient.Length);
        return runner.BackwardByBlocks(parameters, order.AsSpan(start, count), gradient);
    }

    public double Loss(ReadOnlySpan<double> parameters, int[] samples)
    {
        Check(parameters, samples, 0, samples.Length, ParameterCount);
        return runner.Forward(parameters, samples);
    }

    public double PerSampleGradients(ReadOnlySpan<double> parameters, int[] samples, double[,] gradients)
    {
        Check(parameters, samples, 0, samples.Length, ParameterCount);
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.GetLength(0) != samples.Length || gradients.GetLength(1) != ParameterCount)
        {
            throw new ArgumentException($"The gradients must be {samples.Length} × {ParameterCount}.", nameof(gradients));
        }
        return runner.PerSample(parameters, samples, gradients);
    }

    public void HessianVector(ReadOnlySpan<double> parameters, int[] samples, ReadOnlySpan<double> v, Span<double> hv)
    {
        Check(parameters, samples, 0, samples.Length, hv.Length);
        if (v.Length != ParameterCount) throw new ArgumentException($"v has {v.Length} elements; {ParameterCount} expected.", nameof(v));
        runner.HessianVector(parameters, samples, v, hv);
    }

    public ValueAndGradient Objective(double l2)
    {
        var all = AllRows();
        return (x, gradient) =>
        {
            double value = BatchGradient(x, all, 0, all.Length, gradient);
            return value + Penalty(l2, x, gradient);
        };
    }

    public HessianVectorProduct HessianVectorProduct(double l2)
    {
        var all = AllRows();
        int weights = WeightCount;
        return (x, v, hv) =>
        {
            HessianVector(x, all, v, hv);
            for (int j = 0; j < weights; j++) hv[j] += 2 * l2 * v[j];
        };
    }

    public TrainingHistory Train(double[] parameters, TrainingOptions options, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
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

    public double Penalty(double l2, ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        if (l2 == 0) return 0;
        double sum = 0;
        int weights = WeightCount;
        for (int j = 0; j < weights; j++)
        {
            sum += parameters[j] * parameters[j];
            gradient[j] += 2 * l2 * parameters[j];
        }
        return l2 * sum;
    }

    public double Accuracy(ReadOnlySpan<double> parameters, int[] samples)
    {
        int correct = 0;
        foreach (int row in samples)
        {
            var x = features.AsSpan(row * columns, columns);
            int predicted;
            if (outputs == 1)
            {
                predicted = Logit(parameters, x, 0) >= 0 ? 1 : 0;
            }
            else
            {
                predicted = 0;
                double largest = Logit(parameters, x, 0);
                for (int k = 1; k < outputs; k++)
                {
                    double z = Logit(parameters, x, k);
                    if (z > largest) (largest, predicted) = (z, k);
                }
            }
            if (predicted == labels[row]) correct++;
        }
        return samples.Length == 0 ? double.NaN : (double)correct / samples.Length;
    }

    public void Dispose() => runner.Dispose();

    /// <summary>zₖ = bₖ + Σⱼ wₖⱼ xⱼ, on the host.</summary>
    private double Logit(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, int k)
    {
        double z = parameters[WeightCount + k];
        var weights = parameters.Slice(k * columns, columns);
        for (int j = 0; j < columns; j++) z += weights[j] * x[j];
        return z;
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
}
