using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Targets.Ilgpu;

/// <summary>
/// The scratch row's sizing: what the host computes in <c>FKernelScratchWidth</c> for the tape (every push counted as
/// often as the loops around it run) and for the local arrays (their lengths, from values the host knows).
/// </summary>
internal sealed partial class KernelRewriter
{
    /// <summary>
    /// The most values the body can push, as the host computes it: each push counted once for every iteration of the
    /// loops around it. A loop around a push must count an index from a start to a bound the host knows (literals,
    /// shared int parameters, array lengths).
    /// </summary>
    private IrExpr TapeCapacity(IrBlock body)
    {
        var terms = new List<IrExpr>();
        void Walk(IrBlock block, IrExpr times)
        {
            for (int i = 0; i < block.Statements.Count; i++)
            {
                switch (block.Statements[i])
                {
                    case IrTapePush:
                        terms.Add(times);
                        break;
                    case IrIf branch:
                        Walk(branch.Then, times);
                        Walk(branch.Else, times);
                        break;
                    case IrBlock nested:
                        Walk(nested, times);
                        break;
                    case IrLoop loop when Ir.AnyStatement(IrBlock.Of(loop), s => s is IrTapePush):
                    {
                        var trips = TripCount(loop, block, i);
                        var inside = times is IrLiteral { Value: 1 } ? trips : new IrBinary(IrType.Int32, BinaryOp.Multiply, times, trips);
                        Walk(loop.Body, inside);
                        Walk(loop.Step, inside);
                        break;
                    }
                }
            }
        }
        Walk(body, Ir.Lit(IrType.Int32, 1));
        // Pushes with the same count are written once, times how many there are.
        var grouped = terms.GroupBy(CSharpWriter.Expression).Select(g => g.Count() == 1 ? g.First()
            : g.First() is IrLiteral literal ? Ir.Lit(IrType.Int32, literal.Value * g.Count())
            : new IrBinary(IrType.Int32, BinaryOp.Multiply, Ir.Lit(IrType.Int32, g.Count()), g.First())).ToList();
        return grouped.Aggregate((a, b) => new IrBinary(IrType.Int32, BinaryOp.Add, a, b));
    }

    /// <summary>
    /// How many times a loop that keeps values on the tape runs, for the host: <c>for (i = start; i &lt; bound; i += c)</c>
    /// (or <c>&lt;=</c>, or counting down with <c>&gt;</c>, <c>&gt;=</c>), with <c>i</c> assigned nowhere in the body and its
    /// start the last assignment to it before the loop in the same block.
    /// </summary>
    private IrExpr TripCount(IrLoop loop, IrBlock block, int position)
    {
        const string Fix = "kernels keep their tape in the thread's scratch row, whose length the host works out, so a loop that keeps values on it must count an index from a start to a bound made of literals, shared int parameters, array lengths and per-sample ints (taken at their largest, so they may only make the loop longer)";
        if (IrLoops.CountedIndex(loop) is not { Step: not 0 } counted
            || loop.Condition is not IrBinary { Op: BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual, Left: IrVariable tested } condition
            || tested.Name != counted.Index.Name)
        {
            return refusal.Refuse("its pullback keeps a tape in a loop that is not a counted for loop; " + Fix, Unknown);
        }
        var index = counted.Index;
        IrExpr? start = null;
        for (int i = position - 1; i >= 0 && start is null; i--)
        {
            switch (block.Statements[i])
            {
                case IrDeclare declare when declare.Name == index.Name:
                    start = declare.Initializer ?? Ir.Lit(IrType.Int32, 0);
                    break;
                case IrAssign assign when assign.Target == index.Name:
                    start = assign.Value;
                    break;
                case var other when Ir.AnyStatement(IrBlock.Of(other), s => s is IrAssign a && a.Target == index.Name):
                    return refusal.Refuse($"its pullback keeps a tape in a loop whose index '{index.Name}' starts from a value the host cannot know; " + Fix, Unknown);
            }
        }
        if (start is null) return refusal.Refuse($"its pullback keeps a tape in a loop whose index '{index.Name}' starts from a value the host cannot know; " + Fix, Unknown);
        string Refusal(string _) => $"its pullback keeps a tape in the loop over '{index.Name}', whose start or bound the host cannot bound from above; " + Fix;
        long stride = Math.Abs(counted.Step);
        bool up = counted.Step > 0;
        // Counting up, a larger bound or a smaller start means more iterations; counting down, the reverse.
        var from = HostValue(start, Refusal, growing: !up);
        var to = HostValue(condition.Right, Refusal, growing: up);
        if (up != condition.Op is BinaryOp.Less or BinaryOp.LessOrEqual) return refusal.Refuse($"its pullback keeps a tape in the loop over '{index.Name}', which counts away from its bound; " + Fix, Unknown);
        bool inclusive = condition.Op is BinaryOp.LessOrEqual or BinaryOp.GreaterOrEqual;
        var int32 = IrType.Int32;
        // (bound − start + inclusive + stride − 1) / stride, at least 0.
        IrExpr span = up ? new IrBinary(int32, BinaryOp.Subtract, to, from) : new IrBinary(int32, BinaryOp.Subtract, from, to);
        long extra = (inclusive ? 1 : 0) + stride - 1;
        if (from is IrLiteral && to is IrLiteral)
        {
            double value = up ? ((IrLiteral)to).Value - ((IrLiteral)from).Value : ((IrLiteral)from).Value - ((IrLiteral)to).Value;
            return Ir.Lit(int32, Math.Max(0, Math.Floor((value + extra) / stride)));
        }
        if (from is IrLiteral { Value: 0 } && up)
        {
            // From 0 to an array's length: never negative.
            if (to is IrVariable length && plan.Method.Parameters.Any(p => p.Type.IsSequence && KernelPlan.HostLengthName(p.Name) == length.Name) && extra == 0 && stride == 1) return to;
            span = to;
        }
        if (extra != 0) span = new IrBinary(int32, BinaryOp.Add, span, Ir.Lit(int32, extra));
        if (stride != 1) span = new IrBinary(int32, BinaryOp.Divide, span, Ir.Lit(int32, stride));
        return new IrMathCall(int32, MathFunction.Max, EquatableArray.Of<IrExpr>(Ir.Lit(int32, 0), span));
    }

    /// <summary>
    /// An int value as the host computes it in <c>FKernelScratchWidth</c> (a local array's length, a loop's bounds): from
    /// literals, shared int parameters, the lengths of array parameters (and of local arrays made earlier), and per-sample
    /// ints, which the host takes at their largest over the launch (<c>stepsMax</c>). So a per-sample int may only sit
    /// where a larger value needs more room: <paramref name="growing"/> is true where the value grows the storage (a
    /// length, a loop's bound counting up), false where it shrinks it (a start counting up), and null where neither is
    /// known (a factor that is not a literal).
    /// </summary>
    private IrExpr HostValue(IrExpr value, Func<string, string> reasonFor, bool? growing = true)
    {
        switch (value)
        {
            case IrLiteral:
                return value;
            case IrVariable v when plan.Roles.TryGetValue(v.Name, out var role) && v.Type.IsInteger && role == KernelRole.SharedScalar:
                return v;
            case IrVariable v when plan.Roles.TryGetValue(v.Name, out var role) && v.Type.IsInteger && role == KernelRole.PerSampleScalar && growing == true:
                return new IrVariable(IrType.Int32, KernelPlan.HostMaxName(v.Name));
            case IrLength { Dimension: null } l when localArrays.TryGetValue(l.Sequence.Name, out var slice)
                && (growing == true || !Ir.VariablesOf(slice.HostLength).Any(IsHostMax)):
                return slice.HostLength;
            case IrLength { Dimension: null } l when plan.Roles.ContainsKey(l.Sequence.Name):
                return new IrVariable(IrType.Int32, KernelPlan.HostLengthName(l.Sequence.Name));
            case IrBinary { Op: BinaryOp.Add } sum when sum.Type.IsInteger:
                return sum with { Left = HostValue(sum.Left, reasonFor, growing), Right = HostValue(sum.Right, reasonFor, growing) };
            case IrBinary { Op: BinaryOp.Subtract } difference when difference.Type.IsInteger:
                return difference with { Left = HostValue(difference.Left, reasonFor, growing), Right = HostValue(difference.Right, reasonFor, !growing) };
            case IrBinary { Op: BinaryOp.Multiply } product when product.Type.IsInteger:
                return product with
                {
                    Left = HostValue(product.Left, reasonFor, product.Right is IrLiteral { Value: >= 0 } ? growing : null),
                    Right = HostValue(product.Right, reasonFor, product.Left is IrLiteral { Value: >= 0 } ? growing : null),
                };
            case IrBinary { Op: BinaryOp.Divide } quotient when quotient.Type.IsInteger:
                return quotient with
                {
                    Left = HostValue(quotient.Left, reasonFor, quotient.Right is IrLiteral { Value: > 0 } ? growing : null),
                    Right = HostValue(quotient.Right, reasonFor, null),
                };
            default:
                return refusal.Refuse(reasonFor(CSharpWriter.Expression(value)), value);
        }
    }

    /// <summary>True for a parameter of <c>FKernelScratchWidth</c> that stands for a per-sample int at its largest.</summary>
    private bool IsHostMax(string name) => plan.Method.Parameters.Any(p => plan.Roles[p.Name] == KernelRole.PerSampleScalar && KernelPlan.HostMaxName(p.Name) == name);

    private static string LengthRefusal(string array)
        => $"the length of its array local '{array}' is not made of literals, shared int parameters, array parameters' lengths and per-sample ints (which the host takes at their largest, so they may only make it longer), so the launcher cannot size the thread's scratch row; write it from those (new double[classes], new double[x.Length], new double[steps + 1])";
}
