using System;

namespace AutoDiff.Optimization;

/// <summary>
/// Resilient backpropagation (Riedmiller and Braun, 1993) as OpenCV's <c>ANN_MLP</c> trains with
/// <c>ANN_MLP::RPROP</c>, with OpenCV's defaults. Each parameter has its own step size Δ (starting at
/// <see cref="InitialStep"/>) and remembers the sign of its last gradient; only the sign of the gradient is used:
/// <list type="bullet">
/// <item>same sign as remembered: Δ = min(Δ·<see cref="IncreaseFactor"/>, <see cref="MaxStep"/>), p −= sign(g)·Δ;</item>
/// <item>opposite sign: Δ = max(Δ·<see cref="DecreaseFactor"/>, <see cref="MinStep"/>), the remembered sign is
/// cleared, p −= sign(g)·Δ;</item>
/// <item>no remembered sign (first step, after a sign change, or g = 0): Δ unchanged, the sign of g is remembered,
/// p −= sign(g)·Δ.</item>
/// </list>
/// This is the <b>iRprop⁻ family without weight backtracking</b>: as in iRprop⁻ (Igel and Hüsken, 2000), a sign change
/// shrinks Δ and forgets the gradient's sign, so that the next step neither grows nor shrinks Δ again. It follows
/// OpenCV rather than the paper in one respect: on a sign change the parameter still moves, by the reduced Δ in
/// the direction of the new gradient, whereas the paper's iRprop⁻ sets the gradient to zero and skips that move.
/// RPROP is a full-batch method: with noisy mini-batch gradients the signs flip at random and Δ collapses.
/// </summary>
public sealed class Rprop : IOptimizer
{
    /// <summary>C's <c>FLT_EPSILON</c> (2⁻²³), OpenCV's default <see cref="MinStep"/>.</summary>
    public const double FloatEpsilon = 1.1920928955078125e-7;

    private double[]? _steps;
    private sbyte[]? _previousSigns;

    /// <summary>Creates the optimiser; the defaults are OpenCV's (<c>dw0</c>, <c>dw_plus</c>, <c>dw_minus</c>, <c>dw_min</c>, <c>dw_max</c>).</summary>
    /// <param name="initialStep">Δ₀, every parameter's first step size (&gt; 0); OpenCV's <c>rpDW0</c> = 0.1.</param>
    /// <param name="increaseFactor">η⁺ &gt; 1; OpenCV's <c>rpDWPlus</c> = 1.2.</param>
    /// <param name="decreaseFactor">η⁻ in (0, 1); OpenCV's <c>rpDWMinus</c> = 0.5.</param>
    /// <param name="minStep">Δ_min ≥ 0; OpenCV's <c>rpDWMin</c> = FLT_EPSILON.</param>
    /// <param name="maxStep">Δ_max ≥ Δ_min; OpenCV's <c>rpDWMax</c> = 50.</param>
    public Rprop(double initialStep = 0.1, double increaseFactor = 1.2, double decreaseFactor = 0.5,
        double minStep = FloatEpsilon, double maxStep = 50)
    {
        InitialStep = OptimizerState.Positive(initialStep, nameof(initialStep));
        if (!(increaseFactor > 1) || !double.IsFinite(increaseFactor))
            throw new ArgumentOutOfRangeException(nameof(increaseFactor), increaseFactor, "Must be finite and greater than 1.");
        if (!(decreaseFactor > 0 && decreaseFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(decreaseFactor), decreaseFactor, "Must be in (0, 1).");
        MinStep = OptimizerState.NonNegative(minStep, nameof(minStep));
        if (!(maxStep >= minStep) || !double.IsFinite(maxStep))
            throw new ArgumentOutOfRangeException(nameof(maxStep), maxStep, "Must be finite and at least minStep.");
        IncreaseFactor = increaseFactor;
        DecreaseFactor = decreaseFactor;
        MaxStep = maxStep;
    }

    /// <summary>Δ₀, every parameter's first step size.</summary>
    public double InitialStep { get; }

    /// <summary>η⁺, the factor by which Δ grows while the gradient keeps its sign.</summary>
    public double IncreaseFactor { get; }

    /// <summary>η⁻, the factor by which Δ shrinks when the gradient changes sign.</summary>
    public double DecreaseFactor { get; }

    /// <summary>The lower bound on Δ.</summary>
    public double MinStep { get; }

    /// <summary>The upper bound on Δ.</summary>
    public double MaxStep { get; }

    /// <inheritdoc/>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        OptimizerState.CheckStep(parameters, gradient, _steps?.Length ?? -1);
        if (_steps is null || _previousSigns is null)
        {
            _steps = new double[parameters.Length];
            _steps.AsSpan().Fill(InitialStep);
            _previousSigns = new sbyte[parameters.Length];
        }

        Span<double> steps = _steps;
        Span<sbyte> previous = _previousSigns;
        for (int i = 0; i < steps.Length; i++)
        {
            double g = gradient[i];
            int s = g > 0 ? 1 : g < 0 ? -1 : 0;   // NaN counts as 0: no move
            int ss = previous[i] * s;
            double step = steps[i];
            if (ss > 0)
            {
                step = Math.Min(step * IncreaseFactor, MaxStep);
                steps[i] = step;
            }
            else if (ss < 0)
            {
                step = Math.Max(step * DecreaseFactor, MinStep);
                steps[i] = step;
                previous[i] = 0;
            }
            else
            {
                previous[i] = (sbyte)s;
            }
            parameters[i] -= s * step;
        }
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _steps = null;
        _previousSigns = null;
    }
}
