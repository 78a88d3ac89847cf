using System;

namespace AutoDiff.Optimization;

/// <summary>Settings of <see cref="Lbfgs.Minimize"/>. Immutable; derive variants with <c>with</c>.</summary>
public sealed record LbfgsOptions
{
    /// <summary>The defaults.</summary>
    public static LbfgsOptions Default { get; } = new();

    /// <summary>m, the number of correction pairs (s, y) kept; 10 by default (3 to 20 is usual).</summary>
    public int HistorySize { get; init; } = 10;

    /// <summary>Stop when ‖∇f‖₂ ≤ this (absolute); 1e-5 by default. 0 disables the test.</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Stop when an iteration's relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this; 2.2e-9 by
    /// default, scipy's L-BFGS-B default (<c>factr</c> = 1e7 times the machine epsilon). 0 disables the test.
    /// </summary>
    public double FunctionTolerance { get; init; } = 2.220446049250313e-9;

    /// <summary>The iteration limit; 1000 by default.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>The limit on objective evaluations, line-search trials included; unlimited by default.</summary>
    public int MaxFunctionEvaluations { get; init; } = int.MaxValue;

    /// <summary>The most evaluations one line search may make; 20 by default.</summary>
    public int MaxLineSearchEvaluations { get; init; } = 20;

    /// <summary>c₁ of the sufficient-decrease (Armijo) condition; 1e-4 by default.</summary>
    public double ArmijoConstant { get; init; } = 1e-4;

    /// <summary>c₂ of the strong curvature condition |φ'(α)| ≤ c₂·|φ'(0)|; 0.9 by default (the usual value for quasi-Newton methods).</summary>
    public double CurvatureConstant { get; init; } = 0.9;

    internal void Validate()
    {
        if (HistorySize < 1)
            throw new ArgumentOutOfRangeException(nameof(HistorySize), HistorySize, "Must be at least 1.");
        if (!(GradientTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "Must be non-negative.");
        if (!(FunctionTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(FunctionTolerance), FunctionTolerance, "Must be non-negative.");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "Must be at least 1.");
        if (MaxFunctionEvaluations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxFunctionEvaluations), MaxFunctionEvaluations, "Must be at least 1.");
        if (MaxLineSearchEvaluations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLineSearchEvaluations), MaxLineSearchEvaluations, "Must be at least 1.");
        if (!(ArmijoConstant > 0 && ArmijoConstant < CurvatureConstant && CurvatureConstant < 1))
            throw new ArgumentOutOfRangeException(nameof(ArmijoConstant), ArmijoConstant,
                "The line-search constants must satisfy 0 < ArmijoConstant < CurvatureConstant < 1.");
    }
}
