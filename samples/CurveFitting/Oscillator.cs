using AutoDiff;

namespace Samples.CurveFitting;

/// <summary>
/// A user's own model: a damped oscillator x(t) = A·e^(−γt)·cos(ωt + φ), and the sum of squared residuals against
/// observations. AutoDiff generates <c>SumOfSquaresBackward</c>, <c>SumOfSquaresGradient</c>, <c>SumOfSquaresHessianVector</c>
/// and the rest at build time.
/// </summary>
public static partial class Oscillator
{
    /// <summary>The displacement at time t for parameters p = (A, γ, ω, φ).</summary>
    [Differentiable]
    public static double Displacement(double amplitude, double damping, double frequency, double phase, double t)
        => amplitude * Math.Exp(-damping * t) * Math.Cos(frequency * t + phase);

    /// <summary>½ Σ (x(tᵢ) − yᵢ)² over the observations.</summary>
    /// <param name="p">A, γ, ω, φ.</param>
    /// <param name="times">The observation times.</param>
    /// <param name="observed">The observed displacements.</param>
    [Differentiable]
    public static double SumOfSquares(double[] p, [NoDerivative] double[] times, [NoDerivative] double[] observed)
    {
        double sum = 0;
        for (int i = 0; i < times.Length; i++)
        {
            double residual = Displacement(p[0], p[1], p[2], p[3], times[i]) - observed[i];
            sum += residual * residual;
        }
        return 0.5 * sum;
    }
}
