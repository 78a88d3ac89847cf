using AutoDiff;

/// <summary>
/// Your differentiable functions. For each [Differentiable] method F, AutoDiff adds FGradient, FBackward, FTangent,
/// FHessianVector and FHessian to this partial class when you build.
/// </summary>
public static partial class Functions
{
    /// <summary>f(x, y) = x·y + sin x.</summary>
    [Differentiable]
    public static double F(double x, double y) => x * y + Math.Sin(x);
}
