using System.Collections.Generic;

namespace AutoDiff.Generator.Model;

/// <summary>
/// The members generated for a method <c>F</c>, each named <c>F</c> + its suffix (<see cref="DerivativeKinds.Suffix"/>).
/// The public ones are a contract: samples, docs and users' code call them by these names.
/// </summary>
internal enum DerivativeKind
{
    /// <summary><c>FBackward</c>: the accumulating pullback (public).</summary>
    Backward,

    /// <summary><c>FGradient</c>: the value and the gradient (public).</summary>
    Gradient,

    /// <summary><c>FTangent</c>: forward mode, a Jacobian-vector product (public).</summary>
    Tangent,

    /// <summary><c>FBackwardTangent</c>: forward over reverse, which callers' second-order derivatives call (public, hidden).</summary>
    BackwardTangent,

    /// <summary><c>FBackwardTangentConstantSeed</c>: forward over reverse with the seed held constant, what H·v and the Hessian call.</summary>
    BackwardTangentConstantSeed,

    /// <summary><c>FHessianVector</c>: the Hessian-vector product (public).</summary>
    HessianVector,

    /// <summary><c>FHessian</c>: the Hessian (public).</summary>
    Hessian,

    /// <summary><c>FJacobian</c>: the Jacobian of a vector-valued method (public).</summary>
    Jacobian,

    /// <summary><c>FForward</c>: the first half of the split pullback, for generated callers.</summary>
    Forward,

    /// <summary>
    /// <c>FReverse</c>: the second half of the split pullback, for generated callers; for a <c>[CustomDerivative]</c> method,
    /// its optional value-free pullback rule.
    /// </summary>
    Reverse,

    /// <summary><c>FBackwardInPlace</c>: the pullback of a vector-valued method that generated callers use.</summary>
    BackwardInPlace,

    /// <summary><c>FBackwardInPlaceTangent</c>: forward mode over <c>FBackwardInPlace</c>.</summary>
    BackwardInPlaceTangent,

    /// <summary><c>FDirectional</c>: the directional derivative that callers of <c>FGradient</c>, <c>FBackward</c> and <c>FTangent</c> differentiate.</summary>
    Directional,
}

/// <summary>The suffix table of <see cref="DerivativeKind"/>, and the sets of kinds that lowering and stubs look for.</summary>
internal static class DerivativeKinds
{
    /// <summary>The suffix that names a kind: <c>F</c> + suffix.</summary>
    public static string Suffix(this DerivativeKind kind) => kind switch
    {
        DerivativeKind.Backward => "Backward",
        DerivativeKind.Gradient => "Gradient",
        DerivativeKind.Tangent => "Tangent",
        DerivativeKind.BackwardTangent => "BackwardTangent",
        DerivativeKind.BackwardTangentConstantSeed => "BackwardTangentConstantSeed",
        DerivativeKind.HessianVector => "HessianVector",
        DerivativeKind.Hessian => "Hessian",
        DerivativeKind.Jacobian => "Jacobian",
        DerivativeKind.Forward => "Forward",
        DerivativeKind.Reverse => "Reverse",
        DerivativeKind.BackwardInPlace => "BackwardInPlace",
        DerivativeKind.BackwardInPlaceTangent => "BackwardInPlaceTangent",
        DerivativeKind.Directional => "Directional",
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, null),
    };


    /// <summary>
    /// The members every non-vector-valued method may get, whose names no parameter or local the generator names may take
    /// (see <see cref="DerivativeNaming.MethodNames"/>).
    /// </summary>
    public static readonly IReadOnlyList<DerivativeKind> Reserved = new[]
    {
        DerivativeKind.Backward, DerivativeKind.Gradient, DerivativeKind.Tangent, DerivativeKind.BackwardTangent,
        DerivativeKind.BackwardTangentConstantSeed, DerivativeKind.HessianVector, DerivativeKind.Hessian, DerivativeKind.Jacobian,
    };

    /// <summary>
    /// The generated members a user's code may call, longest suffix first, so that the first whose suffix a name ends with
    /// is the right one (<c>FBackwardTangent</c> is not <c>F</c> + Backward + ... but <c>F</c> + BackwardTangent).
    /// </summary>
    public static readonly IReadOnlyList<DerivativeKind> Callable = new[]
    {
        DerivativeKind.BackwardTangent, DerivativeKind.HessianVector, DerivativeKind.Hessian, DerivativeKind.Jacobian,
        DerivativeKind.Backward, DerivativeKind.Gradient, DerivativeKind.Tangent,
    };

    /// <summary>The derivatives of a method that kernels call besides the method itself, longest suffix first.</summary>
    public static readonly IReadOnlyList<DerivativeKind> CalledByKernels = new[]
    {
        DerivativeKind.BackwardTangent, DerivativeKind.Backward, DerivativeKind.Tangent,
    };
}
