using System;
using AutoDiff.Optimization;

namespace AutoDiff;

/// <summary>
/// Compares a gradient with central differences of the function, as PyTorch's <c>gradcheck</c> does; see
/// <see cref="GradientCheckOptions"/> for the test, the defaults and the fast mode. A full check costs 2n function
/// evaluations for n inputs, a fast one 2. The function is called on a copy of the point, perturbed one component
/// at a time; the caller's arrays are not modified.
/// </summary>
public static class GradientChecker
{
    /// <summary>Checks <paramref name="analyticGradient"/> against central differences of <paramref name="f"/> at <paramref name="x"/>.</summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <param name="analyticGradient">The gradient to check, ∇f(x); same length as <paramref name="x"/>.</param>
    /// <param name="options">Settings; <see cref="GradientCheckOptions.Default"/> when null.</param>
    /// <returns>The outcome; never throws for a wrong gradient.</returns>
    public static GradientCheckResult Check(Func<double[], double> f, double[] x, double[] analyticGradient,
        GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(analyticGradient);
        if (analyticGradient.Length != x.Length)
            throw new ArgumentException(
                $"The gradient has {analyticGradient.Length} components but the point has {x.Length}.", nameof(analyticGradient));
        options ??= GradientCheckOptions.Default;
        options.Validate();
        double[] work = (double[])x.Clone();
        return options.FastMode ? CheckDirection(f, work, analyticGradient, options) : CheckComponents(f, work, analyticGradient, options);
    }

    /// <summary>Checks the gradient that <paramref name="f"/> computes at <paramref name="x"/> against central differences of its values.</summary>
    /// <param name="f">The function and its gradient.</param>
    /// <param name="x">The point.</param>
    /// <param name="options">Settings; <see cref="GradientCheckOptions.Default"/> when null.</param>
    /// <returns>The outcome; never throws for a wrong gradient.</returns>
    public static GradientCheckResult Check(ValueAndGradient f, double[] x, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        double[] gradient = new double[x.Length];
        f(x, gradient);
        double[] scratch = new double[x.Length];
        return Check(point => f(point, scratch), x, gradient, options);
    }

    /// <summary>
    /// As <see cref="Check(Func{double[], double}, double[], double[], GradientCheckOptions?)"/>, but throws when
    /// the check fails.
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <param name="analyticGradient">The gradient to check, ∇f(x).</param>
    /// <param name="options">Settings; <see cref="GradientCheckOptions.Default"/> when null.</param>
    /// <exception cref="GradientCheckException">The check failed; the message names the input index and the numerical and analytical values.</exception>
    public static void Assert(Func<double[], double> f, double[] x, double[] analyticGradient, GradientCheckOptions? options = null)
    {
        GradientCheckResult result = Check(f, x, analyticGradient, options);
        if (!result.Passed)
            throw new GradientCheckException(result);
    }

    /// <summary>
    /// As <see cref="Check(ValueAndGradient, double[], GradientCheckOptions?)"/>, but throws when the check fails.
    /// </summary>
    /// <param name="f">The function and its gradient.</param>
    /// <param name="x">The point.</param>
    /// <param name="options">Settings; <see cref="GradientCheckOptions.Default"/> when null.</param>
    /// <exception cref="GradientCheckException">The check failed; the message names the input index and the numerical and analytical values.</exception>
    public static void Assert(ValueAndGradient f, double[] x, GradientCheckOptions? options = null)
    {
        GradientCheckResult result = Check(f, x, options);
        if (!result.Passed)
            throw new GradientCheckException(result);
    }

    private static GradientCheckResult CheckComponents(Func<double[], double> f, double[] work, double[] analytic, GradientCheckOptions options)
    {
        double eps = options.Epsilon;
        int worst = -1, failures = 0;
        double worstScore = double.NegativeInfinity, worstNumerical = 0, worstAllowed = 0;
        for (int i = 0; i < work.Length; i++)
        {
            double xi = work[i];
            work[i] = xi + eps;
            double plus = f(work);
            work[i] = xi - eps;
            double minus = f(work);
            work[i] = xi;
            double numerical = (plus - minus) / (2 * eps);

            double allowed = options.AbsoluteTolerance + options.RelativeTolerance * Math.Abs(numerical);
            double error = Math.Abs(analytic[i] - numerical);
            bool ok = error <= allowed;
            if (!ok)
                failures++;
            double score = Score(error, allowed, ok);
            if (score > worstScore)
            {
                worstScore = score;
                worst = i;
                worstNumerical = numerical;
                worstAllowed = allowed;
            }
        }
        return new GradientCheckResult(failures == 0, fastMode: false, options.Seed, worst, worstNumerical,
            worst >= 0 ? analytic[worst] : 0, worstAllowed, failures, work.Length);
    }

    private static GradientCheckResult CheckDirection(Func<double[], double> f, double[] work, double[] analytic, GradientCheckOptions options)
    {
        int n = work.Length;
        double[] direction = new double[n];
        var random = new Random(options.Seed);
        double norm2 = 0;
        for (int i = 0; i < n; i++)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double value = radius * Math.Cos(2 * Math.PI * random.NextDouble());
            direction[i] = value;
            norm2 += value * value;
        }
        double scale = norm2 > 0 ? 1 / Math.Sqrt(norm2) : 0;
        double analyticalDirectional = 0;
        for (int i = 0; i < n; i++)
        {
            direction[i] *= scale;
            analyticalDirectional += analytic[i] * direction[i];
        }

        double eps = options.Epsilon;
        double[] origin = (double[])work.Clone();
        for (int i = 0; i < n; i++)
            work[i] = origin[i] + eps * direction[i];
        double plus = f(work);
        for (int i = 0; i < n; i++)
            work[i] = origin[i] - eps * direction[i];
        double minus = f(work);
        double numerical = (plus - minus) / (2 * eps);

        double allowed = options.AbsoluteTolerance + options.RelativeTolerance * Math.Abs(numerical);
        bool ok = Math.Abs(analyticalDirectional - numerical) <= allowed;
        return new GradientCheckResult(ok, fastMode: true, options.Seed, -1, numerical, analyticalDirectional, allowed,
            ok ? 0 : 1, 1);
    }

    /// <summary>How far outside its allowed error a component is (larger is worse; NaN counts as the worst).</summary>
    private static double Score(double error, double allowed, bool ok)
    {
        if (double.IsNaN(error))
            return double.PositiveInfinity;
        if (allowed > 0)
            return error / allowed;
        return ok ? 0 : double.PositiveInfinity;
    }
}
