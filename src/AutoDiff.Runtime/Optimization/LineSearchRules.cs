using System;

namespace AutoDiff.Optimization;

/// <summary>
/// Acceptance rules for line-search steps whose effect on f is below the rounding errors of f. There the Armijo
/// test φ(α) ≤ φ(0) + c₁·α·φ'(0) compares noise; Hager and Zhang (2005) replace it by its exact equivalent for a
/// quadratic φ, φ'(α) ≤ (2c₁ − 1)·φ'(0), which compares derivatives, still accurate there.
/// </summary>
internal static class LineSearchRules
{
    /// <summary>Relative changes of f up to this size are treated as rounding errors.</summary>
    public const double RoundingLevel = 1e-12;

    /// <summary>
    /// Whether both the first-order change α·|φ'(0)| that the step can make and the observed change φ(α) − φ(0) are
    /// within the rounding level of |φ(0)|. Only then may <see cref="ApproximateArmijo"/> stand in for the Armijo test.
    /// </summary>
    public static bool AtRoundingLevel(double f0, double dg0, double step, double f)
    {
        double noise = RoundingLevel * Math.Abs(f0);
        return step * -dg0 <= noise && f <= f0 + noise;
    }

    /// <summary>The approximate Armijo condition φ'(α) ≤ (2c₁ − 1)·φ'(0) of Hager and Zhang.</summary>
    public static bool ApproximateArmijo(double dg0, double dg, double c1) => dg <= (2 * c1 - 1) * dg0;
}
