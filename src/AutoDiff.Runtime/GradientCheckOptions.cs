using System;

namespace AutoDiff;

/// <summary>
/// Settings of <see cref="GradientChecker"/>. Immutable; derive variants with <c>with</c>, e.g.
/// <c>GradientCheckOptions.ForFloat with { FastMode = true }</c>.
/// </summary>
/// <remarks>
/// A component passes when |analytical − numerical| ≤ <see cref="AbsoluteTolerance"/> +
/// <see cref="RelativeTolerance"/>·|numerical| (<c>torch.allclose</c>'s test). The numerical derivative is the
/// central difference (f(x + ε·e) − f(x − ε·e)) / 2ε with an absolute step ε. Its truncation error is O(ε²·f‴) and
/// its rounding error about ε_machine·|f| / ε, so ε = 1e-6 suits functions computed in double precision and
/// ε = 1e-3 those computed in single precision (ε_machine ≈ 1.2e-7), where the rounding error of the difference is
/// near 1e-4·|f| and tolerances must be looser.
/// </remarks>
public sealed record GradientCheckOptions
{
    /// <summary>For functions computed in double precision: PyTorch's <c>gradcheck</c> defaults, ε = 1e-6, atol = 1e-5, rtol = 1e-3.</summary>
    public static GradientCheckOptions Default { get; } = new();

    /// <summary>For functions computed in single precision (float): ε = 1e-3, atol = 1e-2, rtol = 1e-2.</summary>
    public static GradientCheckOptions ForFloat { get; } = new() { Epsilon = 1e-3, AbsoluteTolerance = 1e-2, RelativeTolerance = 1e-2 };

    /// <summary>ε, the absolute step of the central differences; 1e-6 by default.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>atol, the absolute part of the allowed error; 1e-5 by default.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-5;

    /// <summary>rtol, the part of the allowed error relative to |numerical|; 1e-3 by default.</summary>
    public double RelativeTolerance { get; init; } = 1e-3;

    /// <summary>
    /// Check one random direction u instead of every component (PyTorch's <c>fast_mode</c> idea): the central
    /// difference of f along u (two evaluations in all, whatever the dimension) against ∇f·u. u has independent
    /// standard normal components from <c>new Random(<see cref="Seed"/>)</c>, scaled to unit length. A wrong gradient
    /// is missed only if its error happens to be nearly orthogonal to u; the result cannot name the wrong component.
    /// </summary>
    public bool FastMode { get; init; }

    /// <summary>The seed of the random direction of <see cref="FastMode"/>; 0 by default.</summary>
    public int Seed { get; init; }

    internal void Validate()
    {
        if (!(Epsilon > 0) || !double.IsFinite(Epsilon))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "Must be finite and positive.");
        if (!(AbsoluteTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), AbsoluteTolerance, "Must be non-negative.");
        if (!(RelativeTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "Must be non-negative.");
    }
}
