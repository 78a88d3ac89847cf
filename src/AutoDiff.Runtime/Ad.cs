namespace AutoDiff;

/// <summary>Functions with a meaning for the differentiator.</summary>
public static class Ad
{
    /// <summary>
    /// Returns <paramref name="value"/> unchanged, but as a constant for differentiation: no derivative flows
    /// through it (JAX's <c>stop_gradient</c>, Swift's <c>withoutDerivative(at:)</c>). It also silences the
    /// warnings about casts and piecewise-constant functions applied to it.
    /// </summary>
    public static double WithoutDerivative(double value) => value;

    /// <inheritdoc cref="WithoutDerivative(double)"/>
    public static float WithoutDerivative(float value) => value;
}
