using System.Linq;
using System.Threading;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// Every derivative of a method, built once, as IR (a <see cref="DerivativeSet"/>): the only place derivatives are built.
/// The generator's Emitted step runs it and prints the set; the analyses that need the generated members run it too.
/// </summary>
internal static class Differentiator
{
    /// <param name="model">The accepted method.</param>
    /// <param name="secondOrder">False for first-order derivatives only (the project's <c>AutoDiffSecondOrder</c> property, or a
    /// callee without second order).</param>
    /// <param name="cancellationToken">Checked between one derivative and the next.</param>
    public static DerivativeSet Run(DifferentiableMethodModel model, bool secondOrder, CancellationToken cancellationToken = default)
    {
        var method = model.Method;
        var (backward, split) = ReverseMode.DifferentiateWithSplit(method);
        cancellationToken.ThrowIfCancellationRequested();
        var tangent = ForwardMode.Differentiate(method);
        cancellationToken.ThrowIfCancellationRequested();
        // Callers' second-order derivatives differentiate their call of FBackward (a scalar method's, or a returned array's).
        bool hasBackwardTangent = secondOrder && (!method.IsVectorValued || method.ResultArray is not null);
        var backwardTangent = hasBackwardTangent ? ForwardMode.Differentiate(backward) : null;
        var set = new DerivativeSet(backward, tangent, secondOrder) { BackwardTangent = backwardTangent };

        if (model.Custom is { } custom)
        {
            // With hand-written rules only the wrappers are generated, and FBackwardTangent from the pullback rule.
            return set with { CustomRuleTangent = secondOrder && custom.PullbackRule is { } rule ? TangentOfRule(rule) : null };
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (CallersUseInPlacePullback(model))
        {
            var inPlace = ReverseMode.DifferentiateInPlace(method);
            set = set with { BackwardInPlace = inPlace, BackwardInPlaceTangent = secondOrder ? ForwardMode.Differentiate(inPlace) : null };
        }
        if (method.IsVectorValued) return set;
        cancellationToken.ThrowIfCancellationRequested();

        set = split is not null
            ? set with { Split = split }
            : set with { Rerun = Rerun(model, backward) };
        return backwardTangent is null ? set : set with { ConstantSeedBackwardTangent = ConstantSeedBackwardTangent(method, backward) };
    }

    /// <summary>
    /// A method's pullback and tangent alone: what the rules of a <c>[CustomDerivative]</c> method must look like, worked out
    /// on a stub with its signature.
    /// </summary>
    public static (IrMethod Backward, IrMethod Tangent) FirstOrder(IrMethod method)
        => (ReverseMode.Differentiate(method), ForwardMode.Differentiate(method));

    /// <summary>
    /// The derivatives of a method that a GPU kernel calls, as its CPU file has them (<see cref="Run"/>): the pullback, the
    /// tangent, and forward mode over the pullback. The kernel target checks that each can run on a device.
    /// </summary>
    public static (IrMethod Backward, IrMethod Tangent, IrMethod BackwardTangent) ForDeviceCallee(IrMethod method)
    {
        var backward = ReverseMode.Differentiate(method);
        return (backward, ForwardMode.Differentiate(method), ForwardMode.Differentiate(backward));
    }

    /// <summary>
    /// The derivatives the kernels of a <c>[GpuKernel]</c> method are rewritten from: its pullback with plain calls (each
    /// callee reversed through <c>GBackward</c>, never its split halves, which keep a tape) and forward mode over it.
    /// </summary>
    public static (IrMethod Backward, IrMethod BackwardTangent) ForKernels(IrMethod method)
    {
        var backward = ReverseMode.Differentiate(method, plainCalls: true);
        return (backward, ForwardMode.Differentiate(backward));
    }

    /// <summary>
    /// <c>GDirectional(x, v) = ∇G(x)·v</c>, the companion through which nested differentiation differentiates a call of G's
    /// derivatives (see <see cref="Directional"/>).
    /// </summary>
    public static IrMethod DirectionalOf(IrMethod method) => Directional.Of(method);

    /// <summary>Forward mode over a hand-written pullback rule: the <c>FBackwardTangent</c> of a <c>[CustomDerivative]</c> method.</summary>
    public static IrMethod TangentOfRule(IrMethod rule) => ForwardMode.Differentiate(rule);

    /// <summary>
    /// Whether the method gets <c>FBackwardInPlace</c>, which generated callers call: one that writes its results into output
    /// spans, or index arrays it is given (not one that updates a double[] or float[] in place, which callers do not call
    /// yet, nor one that returns an array or takes structs).
    /// </summary>
    private static bool CallersUseInPlacePullback(DifferentiableMethodModel model)
    {
        var method = model.Method;
        return method.ResultArray is null && !model.TakesStructs
            && method.Parameters.Any(p => p.IsWrittenByCall)
            && !method.Parameters.Any(p => p.IsWritten && p.Type.IsFloatingPointSequence);
    }

    /// <summary>
    /// <c>FBackwardTangentConstantSeed</c>: forward mode over <c>FBackward</c> with the seed held constant (no seed tangent),
    /// what H·v and the Hessian call with seed 1: it drops the terms that the seed's tangent, always zero there, would multiply.
    /// </summary>
    private static IrMethod ConstantSeedBackwardTangent(IrMethod method, IrMethod backward)
    {
        // A pullback takes the method's parameters, then the seed (DerivativeSignatures.PullbackParameters).
        int seed = method.Parameters.Count;
        var constantSeed = backward with { Parameters = backward.Parameters.Select((p, i) => i == seed ? p with { NoDerivative = true } : p).ToEquatableArray() };
        return ForwardMode.Differentiate(constantSeed) with { Name = method.Name + DerivativeKind.BackwardTangentConstantSeed.Suffix() };
    }

    /// <summary>
    /// A method not worth splitting: <c>FForward</c> runs its statements, with its local arrays from the caller's tape (which
    /// takes them back when the caller returns it: nothing is allocated), and <c>FReverse</c> calls <c>FBackward</c>.
    /// </summary>
    private static RerunSplit Rerun(DifferentiableMethodModel model, IrMethod backward)
    {
        var tape = new NameAllocator(backward.Parameters.Select(p => p.Name).Concat(DerivativeNaming.MethodNames(model.Method.Name))).Fresh("tape");
        return new RerunSplit(PoolArrays(model.Method.Body, tape), tape);
    }

    /// <summary>The block with every new floating-point array (<c>new double[n]</c>, <c>new float[r, c]</c>) rented from <paramref name="tape"/>.</summary>
    private static IrBlock PoolArrays(IrBlock block, string tape) => new ArrayPooler(tape).RewriteBlock(block);

    /// <summary>Rents the arrays that declarations and assignments create from a tape (not those inside other expressions).</summary>
    private sealed class ArrayPooler : IrRewriter
    {
        private readonly string tape;

        public ArrayPooler(string tape) => this.tape = tape;

        public override IrStatement RewriteDeclare(IrDeclare declare)
            => declare.Initializer is { } initializer ? declare with { Initializer = Pool(initializer) } : declare;

        public override IrStatement RewriteAssign(IrAssign assign) => assign with { Value = Pool(assign.Value) };

        private IrExpr Pool(IrExpr value) => value is IrNewArray { Type.IsFloatingPointSequence: true, Type.Shape: TypeShape.Array or TypeShape.Matrix } array
            ? array with { Pool = tape }
            : value;
    }
}
