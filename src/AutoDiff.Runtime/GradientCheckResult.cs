using System;
using System.Globalization;

namespace AutoDiff;

/// <summary>
/// The outcome of <see cref="GradientChecker.Check(Func{double[], double}, double[], double[], GradientCheckOptions?)"/>:
/// whether every component (or, in fast mode, the random direction) passed, and the figures of the worst one, the one
/// furthest outside (or closest to the edge of) its allowed error.
/// </summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(bool passed, bool fastMode, int seed, int worstIndex, double numerical, double analytical,
        double allowedError, int failures, int components)
    {
        Passed = passed;
        FastMode = fastMode;
        Seed = seed;
        WorstIndex = worstIndex;
        Numerical = numerical;
        Analytical = analytical;
        AbsoluteError = Math.Abs(analytical - numerical);
        double scale = Math.Max(Math.Abs(analytical), Math.Abs(numerical));
        RelativeError = scale == 0 ? 0 : AbsoluteError / scale;
        AllowedError = allowedError;
        Failures = failures;
        Components = components;
    }

    /// <summary>Whether the check passed.</summary>
    public bool Passed { get; }

    /// <summary>Whether one random direction was checked instead of every component.</summary>
    public bool FastMode { get; }

    /// <summary>The input index of the worst component; -1 in fast mode or for an empty input.</summary>
    public int WorstIndex { get; }

    /// <summary>The central-difference derivative at <see cref="WorstIndex"/> (in fast mode, along the random direction).</summary>
    public double Numerical { get; }

    /// <summary>The analytical derivative at <see cref="WorstIndex"/> (in fast mode, the gradient dotted with the direction).</summary>
    public double Analytical { get; }

    /// <summary>|<see cref="Analytical"/> − <see cref="Numerical"/>|.</summary>
    public double AbsoluteError { get; }

    /// <summary><see cref="AbsoluteError"/> / max(|analytical|, |numerical|); 0 when both are 0.</summary>
    public double RelativeError { get; }

    /// <summary>The error allowed at <see cref="WorstIndex"/>: atol + rtol·|numerical|.</summary>
    public double AllowedError { get; }

    /// <summary>The number of components (1 in fast mode) outside their allowed error.</summary>
    public int Failures { get; }

    /// <summary>The number of components checked (1 in fast mode).</summary>
    public int Components { get; }

    /// <summary>The seed of the random direction (meaningful in fast mode).</summary>
    public int Seed { get; }

    /// <summary>A sentence stating the outcome, with the index and the numerical and analytical values (round-trip formatted).</summary>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string figures = string.Format(c,
            "numerical {0}, analytical {1} (absolute error {2:G3}, relative error {3:G3}, allowed {4:G3})",
            Numerical.ToString(c), Analytical.ToString(c), AbsoluteError, RelativeError, AllowedError);
        if (FastMode)
        {
            return Passed
                ? string.Format(c, "Gradient check passed along a random direction (seed {0}): {1}.", Seed, figures)
                : string.Format(c,
                    "Gradient check failed along a random direction (seed {0}): directional derivative {1}. " +
                    "Check without FastMode to find the wrong component.", Seed, figures);
        }
        if (WorstIndex < 0)
            return "Gradient check passed: no components.";
        return Passed
            ? string.Format(c, "Gradient check passed for {0} components; worst at input index {1}: {2}.", Components, WorstIndex, figures)
            : string.Format(c, "Gradient check failed at input index {0}: {1}. {2} of {3} components fail.",
                WorstIndex, figures, Failures, Components);
    }
}
