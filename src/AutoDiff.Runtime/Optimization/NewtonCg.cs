using System;
using System.Threading;
using System.Numerics.Tensors;

namespace AutoDiff.Optimization;

/// <summary>
/// Truncated Newton (Newton-CG, line-search variant) for smooth unconstrained minimisation with full-batch
/// gradients and Hessian-vector products; the method LIBLINEAR uses to train logistic regression.
/// </summary>
/// <remarks>
/// <para>
/// Each iteration solves H·p = −g approximately by conjugate gradients from p = 0, using only products H·v. The
/// inner solve stops when the residual ‖H·p + g‖₂ ≤ min(η_max, √‖g‖₂)·‖g‖₂ with η_max =
/// <see cref="NewtonCgOptions.MaxForcingTerm"/> = 0.5 by default (the forcing sequence of scipy's <c>newton-cg</c>
/// and LIBLINEAR, which gives superlinear convergence; scipy measures it in the 1-norm, this class in the 2-norm),
/// at the iteration limit, or on non-positive curvature dᵀH·d ≤ 3ε·‖d‖²: then the
/// last iterate p is used, or −g if that happens on the first CG iteration. The step along p is found by
/// backtracking from 1 until the Armijo condition holds, shrinking by safeguarded quadratic interpolation (a factor
/// in [0.1, 0.5] per trial). Where the change of f a step can make is below the rounding errors of f, the Armijo
/// test is replaced by its derivative form φ'(α) ≤ (2c₁ − 1)·φ'(0), as in <see cref="Lbfgs"/>.
/// </para>
/// <para>
/// Stopping tests, iteration numbering, non-finite detection (Hessian-vector products included), cancellation and
/// determinism are as for <see cref="Lbfgs"/>.
/// </para>
/// </remarks>
public static class NewtonCg
{
    private const string Method = "Newton-CG";
    private const double CurvatureThreshold = 3 * 2.220446049250313e-16;

    /// <summary>Minimises <paramref name="f"/> from <paramref name="x0"/>.</summary>
    /// <param name="f">The objective and its gradient.</param>
    /// <param name="hv">Products of the Hessian of <paramref name="f"/> with vectors.</param>
    /// <param name="x0">The starting point (not modified).</param>
    /// <param name="options">Settings; <see cref="NewtonCgOptions.Default"/> when null.</param>
    /// <param name="ct">Observed before every evaluation and product.</param>
    /// <returns>The final iterate and why the method stopped.</returns>
    /// <exception cref="NonFiniteException">A value, gradient or Hessian-vector product had a NaN or infinite component.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static MinimizationResult Minimize(ValueAndGradient f, HessianVectorProduct hv, ReadOnlySpan<double> x0,
        NewtonCgOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(hv);
        options ??= NewtonCgOptions.Default;
        options.Validate();
        int n = x0.Length;
        if (n == 0)
            throw new ArgumentException("The starting point has no elements.", nameof(x0));
        int maxCg = options.MaxCgIterations ?? (int)Math.Min(20L * n, int.MaxValue);

        double[] x = x0.ToArray();
        double[] g = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        double[] p = new double[n];
        double[] r = new double[n];
        double[] dir = new double[n];
        double[] hd = new double[n];
        var objective = new Objective(Method, f, hv, ct);

        double fx = objective.Evaluate(x, g);
        double gnorm = VectorOps.Norm(g);
        if (gnorm <= options.GradientTolerance)
            return Result(x, fx, gnorm, 0, objective, StopReason.GradientTolerance);

        for (int k = 1; ; k++)
        {
            ct.ThrowIfCancellationRequested();
            objective.Iteration = k;

            SolveNewtonSystem(objective, x, fx, g, gnorm, maxCg, options.MaxForcingTerm, p, r, dir, hd);
            double dg = VectorOps.Dot(g, p);
            if (!(dg < 0))
            {
                VectorOps.Negate(g, p);
                dg = -gnorm * gnorm;
            }

            // Backtracking (Armijo) line search from the Newton step.
            double alpha = 1, fNew;
            for (int trial = 1; ; trial++)
            {
                if (objective.Evaluations >= options.MaxFunctionEvaluations)
                    return Result(x, fx, gnorm, k - 1, objective, StopReason.MaxFunctionEvaluations);
                VectorOps.Point(x, alpha, p, xNew);
                fNew = objective.Evaluate(xNew, gNew);
                if (fNew <= fx + options.ArmijoConstant * alpha * dg)
                    break;
                if (LineSearchRules.AtRoundingLevel(fx, dg, alpha, fNew)
                    && LineSearchRules.ApproximateArmijo(dg, VectorOps.Dot(gNew, p), options.ArmijoConstant))
                    break;
                if (trial >= options.MaxLineSearchSteps)
                    return Result(x, fx, gnorm, k - 1, objective, StopReason.LineSearchFailed);
                // Minimiser of the quadratic through f(0), f'(0) and f(alpha), kept in [0.1, 0.5]·alpha.
                double interpolated = -dg * alpha * alpha / (2 * (fNew - fx - dg * alpha));
                alpha = Math.Clamp(interpolated, 0.1 * alpha, 0.5 * alpha);
            }

            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            double fPrev = fx;
            fx = fNew;
            gnorm = VectorOps.Norm(g);
            StopReason? stop = Lbfgs.Stop(options.GradientTolerance, options.FunctionTolerance, options.MaxIterations,
                options.MaxFunctionEvaluations, k, objective.Evaluations, gnorm, fPrev, fx);
            if (stop is { } why)
                return Result(x, fx, gnorm, k, objective, why);
        }
    }

    /// <summary>Conjugate gradients on H·p = −g from p = 0, truncated as the class remarks describe.</summary>
    private static void SolveNewtonSystem(Objective objective, double[] x, double fx, double[] g, double gnorm, int maxCg,
        double maxForcing, double[] p, double[] r, double[] dir, double[] hd)
    {
        double tolerance = Math.Min(maxForcing, Math.Sqrt(gnorm)) * gnorm;
        Array.Clear(p);
        g.CopyTo(r, 0);              // r = H·p + g
        VectorOps.Negate(g, dir);    // d = −r
        double rr = gnorm * gnorm;
        for (int i = 0; i < maxCg; i++)
        {
            if (Math.Sqrt(rr) <= tolerance)
                return;
            objective.Product(x, dir, hd, fx);
            double curvature = VectorOps.Dot(dir, hd);
            if (curvature <= CurvatureThreshold * VectorOps.Dot(dir, dir))
            {
                if (i == 0)
                    VectorOps.Negate(g, p);
                return;
            }
            double a = rr / curvature;
            VectorOps.AddScaled(dir, a, p);
            VectorOps.AddScaled(hd, a, r);
            double rrNew = VectorOps.Dot(r, r);
            double beta = rrNew / rr;
            rr = rrNew;
            TensorPrimitives.Multiply(dir, beta, dir);
            TensorPrimitives.Subtract(dir, r, dir); // d = −r + β·d
        }
    }

    private static MinimizationResult Result(double[] x, double fx, double gnorm, int iterations, Objective objective, StopReason reason) =>
        new(x, fx, gnorm, iterations, objective.Evaluations, objective.Products, reason);
}
