using System;
using System.Threading;
using System.Numerics.Tensors;

namespace AutoDiff.Optimization;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980; Liu and Nocedal 1989) for smooth unconstrained minimisation with full-batch
/// gradients.
/// </summary>
/// <remarks>
/// <para>
/// The search direction is −H·g, with H the inverse-Hessian approximation built by the two-loop recursion from the
/// last m correction pairs s = x_{k+1} − x_k, y = g_{k+1} − g_k, scaled by γ = sᵀy / yᵀy of the newest pair. A
/// pair is kept only when sᵀy &gt; ε·yᵀy, which keeps H positive definite. Each step comes from the Moré–Thuente line
/// search, which satisfies the strong Wolfe conditions; the first trial step is 1, except on the first iteration
/// (and after a restart) where it is 1/‖g‖. Near a minimum, where the change of f a step can make is below the
/// rounding errors of f (α·|φ'(0)| and φ(α) − φ(0) both within 1e-12·|f|), a step is also accepted on the approximate
/// Wolfe conditions of Hager and Zhang (2005), which test derivatives instead of values; this lets the gradient norm
/// go well below √ε·|f|.
/// </para>
/// <para>
/// Iteration k (from 1) is the computation of iterate k; the evaluation at <c>x0</c> is iteration 0. The tests run
/// after each step, in this order: ‖g‖₂ ≤ <see cref="LbfgsOptions.GradientTolerance"/>; relative decrease ≤
/// <see cref="LbfgsOptions.FunctionTolerance"/>; <see cref="LbfgsOptions.MaxIterations"/>;
/// <see cref="LbfgsOptions.MaxFunctionEvaluations"/>. When the line search fails the result is the last accepted
/// iterate with <see cref="StopReason.LineSearchFailed"/>.
/// </para>
/// <para>
/// A NaN or infinite value or gradient component, at any point evaluated (line-search trials included), throws
/// <see cref="NonFiniteException"/>. Cancellation is observed before every evaluation and throws
/// <see cref="OperationCanceledException"/>. Given the same objective and inputs, the iterates are the same bit for
/// bit on the same machine. Memory: (2m + 5)·n doubles, allocated once per call.
/// </para>
/// </remarks>
public static class Lbfgs
{
    private const string Method = "L-BFGS";
    private const double MinStep = 1e-20;
    private const double MaxStep = 1e20;
    private const double StepTolerance = 1e-16; // relative width of the line search's interval of uncertainty

    /// <summary>Minimises <paramref name="f"/> from <paramref name="x0"/>.</summary>
    /// <param name="f">The objective and its gradient.</param>
    /// <param name="x0">The starting point (not modified).</param>
    /// <param name="options">Settings; <see cref="LbfgsOptions.Default"/> when null.</param>
    /// <param name="ct">Observed before every evaluation.</param>
    /// <returns>The final iterate and why the method stopped.</returns>
    /// <exception cref="NonFiniteException">The objective returned a NaN or infinite value or gradient component.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static MinimizationResult Minimize(ValueAndGradient f, ReadOnlySpan<double> x0, LbfgsOptions? options = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(f);
        options ??= LbfgsOptions.Default;
        options.Validate();
        int n = x0.Length;
        if (n == 0)
            throw new ArgumentException("The starting point has no elements.", nameof(x0));
        int m = options.HistorySize;

        double[] x = x0.ToArray();
        double[] g = new double[n];
        double[] xPrev = new double[n];
        double[] gPrev = new double[n];
        double[] d = new double[n];
        double[] s = new double[m * n];
        double[] y = new double[m * n];
        double[] rho = new double[m];
        double[] alpha = new double[m];
        var objective = new Objective(Method, f, null, ct);
        var search = new MoreThuente(options.ArmijoConstant, options.CurvatureConstant, StepTolerance, MinStep, MaxStep);

        double fx = objective.Evaluate(x, g);
        double gnorm = VectorOps.Norm(g);
        if (gnorm <= options.GradientTolerance)
            return new MinimizationResult(x, fx, gnorm, 0, objective.Evaluations, 0, StopReason.GradientTolerance);

        int count = 0, newest = m - 1;
        double gamma = 1;
        VectorOps.Negate(g, d);
        double step = 1 / gnorm;

        for (int k = 1; ; k++)
        {
            ct.ThrowIfCancellationRequested();
            objective.Iteration = k;
            x.CopyTo(xPrev, 0);
            g.CopyTo(gPrev, 0);
            double fPrev = fx;

            int budget = options.MaxFunctionEvaluations - objective.Evaluations;
            if (budget <= 0)
                return new MinimizationResult(x, fx, gnorm, k - 1, objective.Evaluations, 0, StopReason.MaxFunctionEvaluations);
            int limit = Math.Min(options.MaxLineSearchEvaluations, budget);
            double dg0 = VectorOps.Dot(g, d);
            if (!LineSearch(objective, search, x, xPrev, fPrev, g, d, dg0, step, limit, options.ArmijoConstant,
                    options.CurvatureConstant, out fx))
            {
                xPrev.CopyTo(x, 0);
                gPrev.CopyTo(g, 0);
                fx = fPrev;
                StopReason reason = objective.Evaluations >= options.MaxFunctionEvaluations
                    ? StopReason.MaxFunctionEvaluations
                    : StopReason.LineSearchFailed;
                return new MinimizationResult(x, fx, gnorm, k - 1, objective.Evaluations, 0, reason);
            }

            gnorm = VectorOps.Norm(g);
            StopReason? stop = Stop(options.GradientTolerance, options.FunctionTolerance, options.MaxIterations,
                options.MaxFunctionEvaluations, k, objective.Evaluations, gnorm, fPrev, fx);
            if (stop is { } why)
                return new MinimizationResult(x, fx, gnorm, k, objective.Evaluations, 0, why);

            // The new correction pair, computed in the buffers of the previous point.
            TensorPrimitives.Subtract(x, xPrev, xPrev);
            TensorPrimitives.Subtract(g, gPrev, gPrev);
            double ys = VectorOps.Dot(gPrev, xPrev);
            double yy = VectorOps.Dot(gPrev, gPrev);
            if (ys > 2.220446049250313e-16 * yy && yy > 0)
            {
                newest = (newest + 1) % m;
                xPrev.CopyTo(s.AsSpan(newest * n, n));
                gPrev.CopyTo(y.AsSpan(newest * n, n));
                rho[newest] = 1 / ys;
                gamma = ys / yy;
                count = Math.Min(count + 1, m);
            }

            TwoLoop(g, d, s, y, rho, alpha, n, m, count, newest, gamma);
            step = 1;
            if (!(VectorOps.Dot(g, d) < 0))
            {
                // Not a descent direction (only through rounding): restart from steepest descent.
                count = 0;
                VectorOps.Negate(g, d);
                step = 1 / gnorm;
            }
        }
    }

    /// <summary>d = −H·g by the two-loop recursion over the <paramref name="count"/> newest pairs.</summary>
    private static void TwoLoop(ReadOnlySpan<double> g, Span<double> d, double[] s, double[] y, double[] rho, double[] alpha,
        int n, int m, int count, int newest, double gamma)
    {
        g.CopyTo(d);
        int j = newest;
        for (int i = 0; i < count; i++)
        {
            alpha[j] = rho[j] * VectorOps.Dot(s.AsSpan(j * n, n), d);
            VectorOps.AddScaled(y.AsSpan(j * n, n), -alpha[j], d);
            j = (j - 1 + m) % m;
        }
        TensorPrimitives.Multiply(d, gamma, d);
        j = (newest - count + 1 + m) % m;
        for (int i = 0; i < count; i++)
        {
            double beta = rho[j] * VectorOps.Dot(y.AsSpan(j * n, n), d);
            VectorOps.AddScaled(s.AsSpan(j * n, n), alpha[j] - beta, d);
            j = (j + 1) % m;
        }
        VectorOps.Negate(d, d);
    }

    /// <summary>
    /// Searches along <paramref name="d"/> from <paramref name="start"/>; on success <paramref name="x"/>,
    /// <paramref name="g"/> and <paramref name="f"/> hold the new point. A step at which the search stops without
    /// meeting the strong Wolfe conditions (rounding errors, evaluation limit) is still taken if it decreases f
    /// sufficiently.
    /// </summary>
    private static bool LineSearch(Objective objective, MoreThuente search, Span<double> x, ReadOnlySpan<double> start,
        double f0, Span<double> g, ReadOnlySpan<double> d, double dg0, double step, int limit, double ftol, double gtol,
        out double f)
    {
        f = f0;
        if (!(dg0 < 0))
            return false;
        search.Start(f0, dg0, ref step);
        for (int evaluations = 1; ; evaluations++)
        {
            double tried = step;
            VectorOps.Point(start, tried, d, x);
            f = objective.Evaluate(x, g);
            double dg = VectorOps.Dot(g, d);
            MoreThuente.Status status = search.Next(f, dg, ref step);
            if (status == MoreThuente.Status.Converged
                || (LineSearchRules.AtRoundingLevel(f0, dg0, tried, f) && LineSearchRules.ApproximateArmijo(dg0, dg, ftol)
                    && Math.Abs(dg) <= gtol * -dg0))
                return true;
            if (status == MoreThuente.Status.Warning || evaluations >= limit)
                return tried > 0 && f < f0 && f <= f0 + ftol * tried * dg0;
        }
    }

    /// <summary>The stopping tests shared by the minimisers, in their documented order.</summary>
    internal static StopReason? Stop(double gradientTolerance, double functionTolerance, int maxIterations,
        int maxEvaluations, int iteration, int evaluations, double gnorm, double fPrev, double f)
    {
        if (gnorm <= gradientTolerance)
            return StopReason.GradientTolerance;
        if (functionTolerance > 0 && fPrev - f <= functionTolerance * Math.Max(Math.Max(Math.Abs(fPrev), Math.Abs(f)), 1))
            return StopReason.FunctionTolerance;
        if (iteration >= maxIterations)
            return StopReason.MaxIterations;
        if (evaluations >= maxEvaluations)
            return StopReason.MaxFunctionEvaluations;
        return null;
    }
}
