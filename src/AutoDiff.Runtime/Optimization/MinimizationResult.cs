using System;

namespace AutoDiff.Optimization;

/// <summary>The outcome of <see cref="Lbfgs.Minimize"/> or <see cref="NewtonCg.Minimize"/>.</summary>
public sealed class MinimizationResult
{
    internal MinimizationResult(double[] x, double value, double gradientNorm, int iterations, int functionEvaluations,
        int hessianVectorProducts, StopReason stopReason)
    {
        X = x;
        Value = value;
        GradientNorm = gradientNorm;
        Iterations = iterations;
        FunctionEvaluations = functionEvaluations;
        HessianVectorProducts = hessianVectorProducts;
        StopReason = stopReason;
    }

    /// <summary>The final iterate (a new array owned by the caller).</summary>
    public double[] X { get; }

    /// <summary>f(<see cref="X"/>).</summary>
    public double Value { get; }

    /// <summary>The Euclidean norm of ∇f(<see cref="X"/>).</summary>
    public double GradientNorm { get; }

    /// <summary>The number of accepted iterations (steps taken).</summary>
    public int Iterations { get; }

    /// <summary>The number of calls to the <see cref="ValueAndGradient"/> objective, line-search trials included.</summary>
    public int FunctionEvaluations { get; }

    /// <summary>The number of Hessian-vector products (conjugate-gradient iterations of Newton-CG; 0 for L-BFGS).</summary>
    public int HessianVectorProducts { get; }

    /// <summary>Why the minimiser stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>
    /// True when the minimiser stopped on a convergence test (<see cref="StopReason.GradientTolerance"/> or
    /// <see cref="StopReason.FunctionTolerance"/>), false when it ran out of iterations or evaluations or the line
    /// search failed.
    /// </summary>
    public bool Converged => StopReason is StopReason.GradientTolerance or StopReason.FunctionTolerance;

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant(
            $"{StopReason} after {Iterations} iterations, {FunctionEvaluations} evaluations: f = {Value:G10}, |g| = {GradientNorm:G3}");
}
