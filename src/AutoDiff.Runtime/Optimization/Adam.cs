using System;

namespace AutoDiff.Optimization;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction, as <c>torch.optim.Adam</c> computes it. At step t, with
/// gradient g:
/// <code>
/// m = β₁·m + (1 − β₁)·g
/// v = β₂·v + (1 − β₂)·g²
/// p = p − (learningRate / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class Adam : IOptimizer
{
    private double _learningRate;
    private double[]? _m;
    private double[]? _v;
    private int _t;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="learningRate">The step size (&gt; 0).</param>
    /// <param name="beta1">The decay rate of the first-moment estimate, in [0, 1).</param>
    /// <param name="beta2">The decay rate of the second-moment estimate, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for numerical stability (&gt; 0).</param>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _learningRate = OptimizerState.Positive(learningRate, nameof(learningRate));
        Beta1 = OptimizerState.UnitInterval(beta1, nameof(beta1));
        Beta2 = OptimizerState.UnitInterval(beta2, nameof(beta2));
        Epsilon = OptimizerState.Positive(epsilon, nameof(epsilon));
    }

    /// <summary>The step size; may be changed between steps (learning-rate schedules).</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerState.Positive(value, nameof(value));
    }

    /// <summary>The decay rate of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>The decay rate of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>The denominator's stabilising constant.</summary>
    public double Epsilon { get; }

    /// <summary>The number of steps taken since construction or the last <see cref="Reset"/>.</summary>
    public int StepCount => _t;

    /// <inheritdoc/>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        OptimizerState.CheckStep(parameters, gradient, _m?.Length ?? -1);
        int n = parameters.Length;
        _m ??= new double[n];
        _v ??= new double[n];
        _t++;

        double b1 = Beta1, b2 = Beta2;
        double stepSize = _learningRate / (1 - Math.Pow(b1, _t));
        double sqrtCorrection2 = Math.Sqrt(1 - Math.Pow(b2, _t));
        Span<double> m = _m, v = _v;
        for (int i = 0; i < m.Length; i++)
        {
            double g = gradient[i];
            double mi = b1 * m[i] + (1 - b1) * g;
            double vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            parameters[i] -= stepSize * mi / (Math.Sqrt(vi) / sqrtCorrection2 + Epsilon);
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _m = null;
        _v = null;
        _t = 0;
    }
}
