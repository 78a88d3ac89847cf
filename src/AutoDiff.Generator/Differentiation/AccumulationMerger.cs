using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// Merges the reverse sweep's accumulations into one array element: <c>dX[i] += a; ...; dX[i] += b; ...; dX[i] -= c</c>
/// becomes <c>dX[i] += a + b - c</c>, written where the last of them was. Each accumulation into memory is a load and a
/// store that the next one must wait for (the JIT cannot keep an element of a span in a register), so a chain of three
/// costs about three store-to-load round trips; the merged form costs one. The pullback of <c>x[i] * x[i]</c> alone
/// writes two such accumulations, and Rosenbrock's loop three into <c>dX[i]</c>.
/// </summary>
/// <remarks>
/// An earlier accumulation moves down to a later one only past statements that cannot change what it writes or what it
/// adds: scalar assignments and declarations that assign none of the variables its index and value read, and writes to
/// elements of other arrays that its value does not read. Anything else (a call, a branch, a loop, the tape, a read or
/// write of the same array) keeps it where it is. The sum changes only in rounding: <c>x + (a + b)</c> for
/// <c>(x + a) + b</c>.
/// </remarks>
internal static class AccumulationMerger
{
    /// <summary>How far down an accumulation looks for the next one into its element (keeps long straight-line bodies linear).</summary>
    private const int Window = 64;

    public static IrBlock Merge(IrBlock block)
    {
        var statements = block.Statements.Select(MergeNested).ToList();
        for (int k = 0; k < statements.Count; k++)
        {
            if (Accumulation(statements[k]) is not { } earlier) continue;
            var reads = Reads(earlier.Statement);
            for (int j = k + 1; j < statements.Count && j <= k + Window; j++)
            {
                if (Accumulation(statements[j]) is { } later && SameElement(earlier.Statement, later.Statement))
                {
                    statements[j] = Combine(earlier, later);
                    statements.RemoveAt(k);
                    k--;
                    break;
                }
                if (!CanMovePast(statements[j], earlier.Statement.Sequence, reads)) break;
            }
        }
        return new IrBlock(statements.ToEquatableArray());
    }

    private static IrStatement MergeNested(IrStatement statement) => statement switch
    {
        IrIf ifStatement => ifStatement with { Then = Merge(ifStatement.Then), Else = Merge(ifStatement.Else) },
        IrLoop loop => loop with { Body = Merge(loop.Body), Step = Merge(loop.Step) },
        IrBlock nested => Merge(nested) with { Origin = nested.Origin },
        _ => statement,
    };

    /// <summary>An element accumulation: <c>s[i] = s[i] ± e</c> with <c>e</c> not reading <c>s</c>.</summary>
    private sealed record ElementAccumulation(IrAssignElement Statement, BinaryOp Op, IrExpr Amount);

    private static ElementAccumulation? Accumulation(IrStatement statement)
    {
        if (statement is not IrAssignElement { Value: IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: IrElement element } binary } assign) return null;
        if (element.Sequence.Name != assign.Sequence || !Equals(element.Index, assign.Index) || !Equals(element.Column, assign.Column)) return null;
        if (Ir.VariablesOf(binary.Right).Contains(assign.Sequence) || ContainsCall(binary.Right) || ContainsPop(binary.Right)) return null;
        return new ElementAccumulation(assign, binary.Op, binary.Right);
    }

    private static bool SameElement(IrAssignElement a, IrAssignElement b)
        => a.Sequence == b.Sequence && Equals(a.Index, b.Index) && Equals(a.Column, b.Column);

    /// <summary><c>s[i] op₁= a</c> then <c>s[i] op₂= b</c>: <c>s[i] op₁= a ± b</c>, with + when the two operators agree.</summary>
    private static IrStatement Combine(ElementAccumulation earlier, ElementAccumulation later)
    {
        var amount = later.Op == earlier.Op ? Ir.Add(earlier.Amount, later.Amount) : Ir.Sub(earlier.Amount, later.Amount);
        var value = (IrBinary)earlier.Statement.Value;
        return later.Statement with { Value = value with { Right = amount } };
    }

    /// <summary>The variables an element write reads: its array, index, column and value.</summary>
    private static HashSet<string> Reads(IrAssignElement statement)
    {
        var reads = Ir.VariablesOf(statement.Value);
        Ir.CollectVariables(statement.Index, reads);
        if (statement.Column is { } column) Ir.CollectVariables(column, reads);
        reads.Add(statement.Sequence);
        return reads;
    }

    private static bool CanMovePast(IrStatement statement, string sequence, HashSet<string> reads)
    {
        switch (statement)
        {
            case IrComment:
                return true;
            case IrAssign assign:
                return !reads.Contains(assign.Target) && !Ir.VariablesOf(assign.Value).Contains(sequence) && !ContainsCall(assign.Value);
            case IrDeclare declare:
                return !reads.Contains(declare.Name)
                    && (declare.Initializer is null || !Ir.VariablesOf(declare.Initializer).Contains(sequence) && !ContainsCall(declare.Initializer));
            case IrAssignElement other:
                if (other.Sequence == sequence || reads.Contains(other.Sequence)) return false;
                var otherReads = Ir.VariablesOf(other.Value);
                Ir.CollectVariables(other.Index, otherReads);
                if (other.Column is { } column) Ir.CollectVariables(column, otherReads);
                return !otherReads.Contains(sequence) && !ContainsCall(other.Value);
            default:
                return false;
        }
    }

    /// <summary>True when the expression calls a method, which may write any array it can reach.</summary>
    private static bool ContainsCall(IrExpr expr) => Ir.AnyNode(expr, node => node is IrCall);

    /// <summary>True when the expression pops the tape, which must happen in its place.</summary>
    private static bool ContainsPop(IrExpr expr) => Ir.AnyNode(expr, node => node is IrTapePop);
}
