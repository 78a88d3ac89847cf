using System;

namespace AutoDiff.Optimization;

/// <summary>Settings of <see cref="NewtonCg.Minimize"/>. Immutable; derive variants with <c>with</c>.</summary>
public sealed record NewtonCgOptions
{
    /// <summary>The defaults.</summary>
    public static NewtonCgOptions Default { get; } = new();

    /// <summary>Stop when ‖∇f‖₂ ≤ this (absolute); 1e-5 by default. 0 disables the test.</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Stop when an iteration's relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this; 2.2e-9 by
    /// default (as <see cref="LbfgsOptions.FunctionTolerance"/>). 0 disables the test.
    /// </summary>
    public double FunctionTolerance { get; init; } = 2.220446049250313e-9;

    /// <summary>The limit on Newton iterations; 200 by default.</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>The limit on objective evaluations, line-search trials included; unlimited by default.</summary>
    public int MaxFunctionEvaluations { get; init; } = int.MaxValue;

    /// <summary>
    /// The limit on conjugate-gradient iterations (Hessian-vector products) per Newton iteration; null (the default)
    /// means 20·n, scipy's choice. The inner solve usually stops much earlier, on its residual test.
    /// </summary>
    public int? MaxCgIterations { get; init; }

    /// <summary>
    /// η_max, the cap on the forcing term of the inner solve: conjugate gradients stop once
    /// ‖H·p + g‖ ≤ min(η_max, √‖g‖)·‖g‖. 0.5 by default (scipy, LIBLINEAR). Far from the minimum a smaller cap buys
    /// more accurate Newton steps with more Hessian-vector products; on Rosenbrock's function from (−1.2, 1),
    /// 0.01 takes about a third of the Newton iterations that 0.5 takes.
    /// </summary>
    public double MaxForcingTerm { get; init; } = 0.5;

    /// <summary>The most trial steps of one backtracking line search; 20 by default (LIBLINEAR's <c>max_num_linesearch</c>).</summary>
    public int MaxLineSearchSteps { get; init; } = 20;

    /// <summary>c₁ of the sufficient-decrease (Armijo) condition of the backtracking line search; 1e-4 by default.</summary>
    public double ArmijoConstant { get; init; } = 1e-4;

    internal void Validate()
    {
        if (!(GradientTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "Must be non-negative.");
        if (!(FunctionTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(FunctionTolerance), FunctionTolerance, "Must be non-negative.");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "Must be at least 1.");
        if (MaxFunctionEvaluations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxFunctionEvaluations), MaxFunctionEvaluations, "Must be at least 1.");
        if (MaxCgIterations is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxCgIterations), MaxCgIterations, "Must be at least 1.");
        if (!(MaxForcingTerm > 0 && MaxForcingTerm < 1))
            throw new ArgumentOutOfRangeException(nameof(MaxForcingTerm), MaxForcingTerm, "Must be in (0, 1).");
        if (MaxLineSearchSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLineSearchSteps), MaxLineSearchSteps, "Must be at least 1.");
        if (!(ArmijoConstant > 0 && ArmijoConstant < 0.5))
            throw new ArgumentOutOfRangeException(nameof(ArmijoConstant), ArmijoConstant, "Must be in (0, 0.5).");
    }
}
