using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Model;

/// <summary>
/// A split pullback: <see cref="Forward"/> takes the method's parameters and <see cref="Reverse"/> the pullback's, each then
/// the caller's tape, a <c>global::AutoDiff.Tape</c> parameter named <see cref="Tape"/> that emission adds.
/// </summary>
internal sealed record SplitPullback(IrMethod Forward, IrMethod Reverse, string Tape);

/// <summary>
/// The split pullback of a method that is not worth splitting (see <c>ReverseMode.DifferentiateWithSplit</c>):
/// <c>FForward</c> runs the method's own statements, with its local arrays rented from the caller's tape, and
/// <c>FReverse</c> calls <c>FBackward</c>.
/// </summary>
/// <param name="Forward">The method's statements, every new floating-point array rented from <paramref name="Tape"/>.</param>
/// <param name="Tape">The name of the tape parameter.</param>
internal sealed record RerunSplit(IrBlock Forward, string Tape);

/// <summary>
/// Every derivative of one method, as IR: what <c>Differentiator.Run</c> builds (the only place derivatives are built) and
/// emission prints. Each is null where it does not apply.
/// </summary>
/// <param name="Backward"><c>FBackward</c>, the pullback.</param>
/// <param name="Tangent"><c>FTangent</c>, forward mode.</param>
/// <param name="SecondOrder">Whether second-order members are generated (the project's <c>AutoDiffSecondOrder</c>, and no
/// callee without them).</param>
internal sealed record DerivativeSet(IrMethod Backward, IrMethod Tangent, bool SecondOrder)
{
    /// <summary><c>FBackwardTangent</c>: forward mode over <see cref="Backward"/>, with second order, for a scalar method or one that returns an array.</summary>
    public IrMethod? BackwardTangent { get; init; }

    /// <summary><c>FBackwardTangentConstantSeed</c>: forward mode over <see cref="Backward"/> with the seed held constant, what H·v and the Hessian call.</summary>
    public IrMethod? ConstantSeedBackwardTangent { get; init; }

    /// <summary>For a <c>[CustomDerivative]</c> method with a pullback rule: <c>FBackwardTangent</c>, forward mode over the rule.</summary>
    public IrMethod? CustomRuleTangent { get; init; }

    /// <summary><c>FBackwardInPlace</c>, for a method whose generated callers call it.</summary>
    public IrMethod? BackwardInPlace { get; init; }

    /// <summary><c>FBackwardInPlaceTangent</c>: forward mode over <see cref="BackwardInPlace"/>, with second order.</summary>
    public IrMethod? BackwardInPlaceTangent { get; init; }

    /// <summary><c>FForward</c> and <c>FReverse</c> of a scalar method worth splitting.</summary>
    public SplitPullback? Split { get; init; }

    /// <summary><c>FForward</c> and <c>FReverse</c> of a scalar method not worth splitting (when <see cref="Split"/> is null).</summary>
    public RerunSplit? Rerun { get; init; }
}
