using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

/// <summary>Reverse mode's split pullback: FForward and FReverse, cut from FBackward's two sweeps.</summary>
internal static partial class ReverseMode
{
    private sealed partial class Builder
    {
        /// <summary>
        /// After <see cref="Build"/>: the two halves of the split pullback, or null when the method does not qualify. The
        /// forward half is the forward sweep, then a push of each variable the reverse sweep reads that the forward sweep
        /// wrote (its locals, save slots, branch records, iteration counts, reassigned parameters); the reverse half pops
        /// them back, in reverse order, and runs the reverse sweep. Everything else the forward sweep pushed is still on
        /// the tape underneath, in the order the reverse sweep pops it.
        /// </summary>
        public SplitPullback? Split(EquatableArray<IrParameter> pullbackParameters)
        {
            var source = method.Source;
            if (source.IsVectorValued || source.ResultArray is not null || source.Parameters.Any(p => p.Kind != ParameterKind.Value)) return null;
            // A fused loop runs reverse statements in the forward sweep, which needs the seed.
            if (plan.HasFusedLoops) return null;
            bool keepsArrays = false;
            var written = new List<string>();
            Ir.ForEachStatement(new IrBlock(forwardStatements.ToEquatableArray()), statement =>
            {
                switch (statement)
                {
                    case IrAssign assign:
                        if (!written.Contains(assign.Target)) written.Add(assign.Target);
                        // An array the forward sweep holds (one a callee made and returned, double[] p = G(x)): the tape does
                        // not keep arrays, and the reverse sweep sizes the array's adjoint by it.
                        keepsArrays |= assign.Value.Type.IsSequence;
                        break;
                    case IrAssignElement or IrCopyInto:
                        keepsArrays = true;
                        break;
                }
            });
            Ir.ForEachRootExpression(new IrBlock(forwardStatements.ToEquatableArray()), e => Ir.ForEachNode(e, node => keepsArrays |= node is IrNewArray or IrArrayCopy));
            var read = new HashSet<string>();
            Ir.ForEachRootExpression(new IrBlock(reverseStatements.ToEquatableArray()), e => Ir.CollectVariables(e, read));
            var kept = written.Where(read.Contains).Select(name => Ir.Var(TypeOfAny(name), name)).ToList();
            if (keepsArrays || kept.Any(v => v.Type.IsSequence)) return null;
            if (!WorthSplitting(kept.Count)) return null;

            var forwardBody = new List<IrStatement>
            {
                new IrComment($"{source.Name}'s forward sweep, as in {source.Name}{DerivativeKind.Backward.Suffix()}; the values its reverse sweep reads stay on the caller's tape."),
            };
            forwardBody.AddRange(forwardStatements);
            forwardBody.AddRange(kept.Select(v => (IrStatement)new IrTapePush(tape, v)));
            forwardBody.Add(new IrReturn(method.Result));

            var reverseBody = new List<IrStatement>
            {
                new IrComment($"{source.Name}'s reverse sweep, as in {source.Name}{DerivativeKind.Backward.Suffix()}, on the values {source.Name}{DerivativeKind.Forward.Suffix()} left on the tape."),
            };
            reverseBody.AddRange(Enumerable.Reverse(kept).Select(v => Ir.Assign(v.Name, new IrTapePop(v.Type, tape))));
            reverseBody.AddRange(reverseStatements);
            foreach (var (parameter, local) in parameterAdjointsToFlush) reverseBody.Add(Ir.AddAssign(parameter, local));

            return new SplitPullback(
                new IrMethod(source.Name + DerivativeKind.Forward.Suffix(), source.ReturnType, source.Parameters, DeclarationSinker.Sink(forwardBody, declarations)),
                new IrMethod(source.Name + DerivativeKind.Reverse.Suffix(), IrType.Void, pullbackParameters, Tidy(reverseBody)),
                tape);
        }

        /// <summary>
        /// Whether keeping F's values costs less than computing them again: a push and a pop cost about as much as a few
        /// additions, a transcendental function (exp, log, tanh, pow, ...) several times that. So F is split when its
        /// forward sweep has a loop or a call, or at least one such function for every two values it would keep:
        /// softplus (two of four functions run, five values kept) is split; a ReLU behind an activation switch
        /// (thirteen values, most of them from branches not taken) is recomputed, as FBackward would.
        /// </summary>
        private bool WorthSplitting(int keptCount)
        {
            bool loopOrCall = false;
            int functions = 0;
            var block = new IrBlock(forwardStatements.ToEquatableArray());
            Ir.ForEachStatement(block, statement => loopOrCall |= statement is IrLoop);
            Ir.ForEachRootExpression(block, e => Ir.ForEachNode(e, node =>
            {
                loopOrCall |= node is IrCall;
                if (node is IrMathCall { Function: not (MathFunction.Abs or MathFunction.Max or MathFunction.Min or MathFunction.Clamp
                    or MathFunction.Floor or MathFunction.Ceiling or MathFunction.Round or MathFunction.Truncate or MathFunction.Sign or MathFunction.Sqrt) })
                {
                    functions++;
                }
            }));
            return loopOrCall || 2 * functions >= keptCount;
        }
    }
}
