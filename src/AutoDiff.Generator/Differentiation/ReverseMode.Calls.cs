using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using static AutoDiff.Generator.Model.DerivativeSignatures;

namespace AutoDiff.Generator.Differentiation;

/// <summary>Reverse mode's calls: the pullback calls that carry the chain rule into callees, and the calls of
/// vector-valued methods, whose outputs are kept and restored around them.</summary>
internal static partial class ReverseMode
{
    private sealed partial class Builder
    {
        /// <summary>
        /// A call of a vector-valued method, <c>G(inputs, outputs)</c>. The forward sweep keeps the contents of each output that
        /// the reverse sweep reads (G's pullback reads them all: they are G's inputs on entry) on the tape, element by element,
        /// then calls G. The reverse sweep puts them back and calls <c>GBackwardInPlace</c>, which adds into the inputs'
        /// adjoints and turns each output's adjoint into the adjoint of its contents before the call.
        /// </summary>
        private void ProcessCallWithOutputs(IrStatement statement, IrCall call, List<IrStatement> forward, List<IrStatement> reverse)
        {
            var saved = SaveWrittenViews(call, forward);
            forward.Add(statement);
            RestoreWrittenViews(saved, reverse);
            // A discarded value has no adjoint: only a vector-valued callee's outputs carry one back.
            if (call.Type.IsVoid && IsActive(call)) reverse.Add(PullbackInPlaceCall(call));
        }

        /// <summary>Saves, before a call, the elements it writes that the reverse sweep reads; the views saved, in order.</summary>
        private List<IrView> SaveWrittenViews(IrCall call, List<IrStatement> forward)
        {
            var saved = Ir.OutputViews(call).Where(o => plan.Saves(o.Sequence.Name)).ToList();
            foreach (var view in saved) SaveElements(view, forward);
            return saved;
        }

        /// <summary>Puts back what <see cref="SaveWrittenViews"/> saved, last view first.</summary>
        private void RestoreWrittenViews(List<IrView> saved, List<IrStatement> reverse)
        {
            for (int i = saved.Count - 1; i >= 0; i--) RestoreElements(saved[i], reverse);
        }

        /// <summary>Pushes the elements a call writes (all of an array or span, or a slice's), first to last.</summary>
        private void SaveElements(IrView view, List<IrStatement> output)
            => ForEachElement(view.Length ?? new IrLength(view.Sequence),
                index => Push(new IrElement(view.Sequence.Type.Element, view.Sequence, Position(view, index))), output);

        /// <summary><c>for (_element = 0; _element &lt; count; _element++) body(_element)</c>, on <see cref="ElementIndex"/>.</summary>
        private void ForEachElement(IrExpr count, Func<IrVariable, IrStatement> body, List<IrStatement> output)
        {
            var index = ElementIndex();
            output.Add(Ir.Assign(index.Name, Ir.Zero(IrType.Int32)));
            output.Add(new IrLoop(Ir.Compare(BinaryOp.Less, index, count), IrBlock.Of(body(index)),
                IrBlock.Of(Ir.Assign(index.Name, Ir.Add(index, Ir.Lit(IrType.Int32, 1))))));
        }

        /// <summary>Pops the elements pushed by <see cref="SaveElements"/>, last to first.</summary>
        private void RestoreElements(IrView view, List<IrStatement> output)
        {
            var index = ElementIndex();
            output.Add(Ir.Assign(index.Name, view.Length ?? new IrLength(view.Sequence)));
            output.Add(new IrLoop(Ir.Compare(BinaryOp.Greater, index, Ir.Zero(IrType.Int32)),
                IrBlock.Of(
                    Ir.Assign(index.Name, Ir.Sub(index, Ir.Lit(IrType.Int32, 1))),
                    new IrAssignElement(view.Sequence.Name, Position(view, index), Pop(view.Sequence.Type.Element))),
                IrBlock.Empty));
        }

        /// <summary>The position in the sequence of a view's element <paramref name="index"/>.</summary>
        private static IrExpr Position(IrView view, IrExpr index)
            => view.Start is null or IrLiteral { Value: 0 } ? index : new IrBinary(IrType.Int32, BinaryOp.Add, view.Start, index);

        private IrVariable? elementIndex;

        /// <summary>The index local of the loops that save and restore whole arrays (one for the method: they never nest).</summary>
        private IrVariable ElementIndex()
        {
            if (elementIndex is null)
            {
                elementIndex = Ir.Var(IrType.Int32, names.Fresh("_element"));
                declarations.Add(new Declaration(elementIndex.Name, IrType.Int32, Ir.Zero(IrType.Int32)));
            }
            return elementIndex;
        }

        /// <summary><c>GBackwardInPlace(args..., output adjoints..., adjoints...)</c> for a call of a vector-valued method G.</summary>
        private IrStatement PullbackInPlaceCall(IrCall call)
        {
            var arguments = call.Arguments.Select(a => new IrArgument(a.Value)).ToList();
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                if (!call.Method.Parameters[i].IsOutput) continue;
                arguments.Add(new IrArgument(AdjointArgument(call.Arguments[i].Value, call.Method.Parameters[i].Type)));
            }
            AddAdjointArguments(call, arguments);
            return new IrExpressionStatement(new IrCall(IrType.Void, PullbackInPlaceOf(call.Method), arguments.ToEquatableArray()));
        }

        /// <summary>
        /// <c>FBackward(args..., seed, ref adjoint...)</c> for a differentiable callee <c>F</c>, or <c>FReverse</c> with
        /// the same arguments when F's hand-written rules include that value-free form.
        /// </summary>
        private IrStatement PullbackCall(IrCall call, IrExpr seed, bool split)
        {
            var arguments = call.Arguments.Select(a => new IrArgument(a.Value)).ToList();
            arguments.Add(new IrArgument(seed));
            AddAdjointArguments(call, arguments);
            var pullback = PullbackOf(call.Method, call.Type);
            if (Ir.WritesArguments(call))
            {
                // G writes index arrays it is given: its in-place pullback leaves them as the caller put them back.
                pullback = pullback with { Name = call.Method.Name + DerivativeKind.BackwardInPlace.Suffix() };
            }
            else if (call.Type.IsSequence)
            {
                // G returns an array: its pullback returns it again, and GBackwardTangent gives no tangent of it.
                pullback = pullback with { TangentIsValueFree = true };
            }
            else if (split)
            {
                // The second half of G's split pullback: it takes G's values back from the tape. Its tangent (second order)
                // is GBackwardTangent, which runs G again: GForward's tangent is GTangent, which pushes nothing.
                pullback = pullback with
                {
                    Name = call.Method.Name + DerivativeKind.Reverse.Suffix(),
                    TangentName = pullback.Name + DerivativeKind.Tangent.Suffix(),
                    TapeArgument = tape,
                };
            }
            else if (call.Method.HasReverse && !plainCalls)
            {
                // The forward sweep has G's value already: a hand-written value-free rule only propagates.
                var reverse = call.Method.Name + DerivativeKind.Reverse.Suffix();
                pullback = pullback with
                {
                    Name = reverse,
                    TangentName = (call.Method.HasReverseTangent ? reverse : pullback.Name) + DerivativeKind.Tangent.Suffix(),
                    TangentIsValueFree = call.Method.HasReverseTangent,
                };
            }
            return new IrExpressionStatement(new IrCall(call.Type, pullback, arguments.ToEquatableArray()));
        }

        /// <summary>The adjoint of each differentiable argument of a call, after its other arguments: a span for an array (scratch for an inactive one), a ref otherwise.</summary>
        private void AddAdjointArguments(IrCall call, List<IrArgument> arguments)
        {
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                var parameter = call.Method.Parameters[i];
                if (!parameter.IsDifferentiable) continue;
                var parameterType = parameter.Type;
                var value = call.Arguments[i].Value;
                if (parameterType.IsSequence)
                {
                    arguments.Add(new IrArgument(AdjointArgument(value, parameterType)));
                    continue;
                }
                var adjoint = value is IrVariable v && IsActive(v) ? adjoints[v.Name] : Discard(parameterType);
                arguments.Add(new IrArgument(adjoint, ArgumentKind.Ref));
            }
        }

        /// <summary>
        /// The adjoint passed for an array, span or slice argument: the sequence's adjoint (as the same slice), or, for an
        /// inactive one, zeroed scratch space of its length.
        /// </summary>
        private IrExpr AdjointArgument(IrExpr value, IrType parameterType)
        {
            switch (value)
            {
                case IrVariable sequence when IsActive(sequence) && adjoints.TryGetValue(sequence.Name, out var adjoint):
                    return adjoint;
                case IrSlice slice when IsActive(slice) && adjoints.TryGetValue(slice.Sequence.Name, out var sliced):
                    return slice.Of(sliced) with { Type = sliced.Type.WithShape(TypeShape.Span) };
                case IrSlice slice:
                    return Pooled(new IrNewArray(parameterType.WithShape(TypeShape.Array), slice.Length));
                default:
                    return Pooled(Ir.ZerosLike((IrVariable)value, parameterType));
            }
        }
    }
}
