using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// Keeps the adjoints of a parameter array's fixed elements in locals while a loop accumulates into them: a model
/// <c>p[0] * Math.Exp(-p[1] * t[i])</c> summed over the data adds into <c>dP[0]</c> and <c>dP[1]</c> in every
/// iteration, and each of those is a load and a store in memory that the next iteration waits for. With
/// <c>_dP0 += ...</c> in a register and <c>dP[0] += _dP0</c> once at the end, the loop runs as a hand-written one would.
/// </summary>
/// <remarks>
/// The pullback only ever adds into a parameter's adjoint span (it never reads it), so accumulating part of the sum
/// elsewhere and adding it at the end gives the same sum, up to rounding. An element qualifies when it is written by an
/// accumulation inside a loop with a fixed index (a constant, or a parameter the method never assigns: <c>dW[columns]</c>
/// for the bias), and the span is read nowhere but in its own accumulations. Two fixed indices may name the same element
/// at run time; each local then holds part of its sum, and both are added.
/// </remarks>
internal static class ConstantElementAdjoints
{
    /// <param name="body">The pullback's statements, ending with its return (if any).</param>
    /// <param name="adjointSpans">The parameters' adjoint spans.</param>
    /// <param name="names">For the locals' names.</param>
    /// <param name="declarations">Receives the locals, starting at zero.</param>
    public static List<IrStatement> Promote(List<IrStatement> body, IEnumerable<IrVariable> adjointSpans, NameAllocator names, List<Declaration> declarations)
    {
        var block = new IrBlock(body.ToEquatableArray());
        var assigned = new HashSet<string>();
        Ir.ForEachStatement(block, statement =>
        {
            if (statement is IrAssign assign) assigned.Add(assign.Target);
            if (statement is IrDeclare declare) assigned.Add(declare.Name);
        });
        var locals = new Dictionary<(string Span, IrExpr Index), IrVariable>();
        var flushes = new List<IrStatement>();
        foreach (var span in adjointSpans)
        {
            if (!OnlyAccumulated(block, span.Name)) continue;
            foreach (var index in FixedIndicesAccumulatedInLoops(block, span.Name, assigned))
            {
                var suffix = index is IrLiteral literal ? ((long)literal.Value).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : "_" + NameAllocator.Unescaped(((IrVariable)index).Name);
                var local = Ir.Var(span.Type.Element, names.Fresh("_" + NameAllocator.Unescaped(span.Name) + suffix));
                declarations.Add(new Declaration(local.Name, local.Type, Ir.Lit(local.Type, 0)));
                locals[(span.Name, index)] = local;
                flushes.Add(new IrAssignElement(span.Name, index, Ir.Add(new IrElement(local.Type, span, index), local)));
            }
        }
        if (locals.Count == 0) return body;

        var output = body.Select(s => Rewrite(s, locals)).ToList();
        int end = output.Count;
        while (end > 0 && output[end - 1] is IrReturn or IrTapeReturn) end--;
        output.InsertRange(end, flushes);
        return output;
    }

    /// <summary><c>s[c] = s[c] ± e</c> (e not reading s): the index <c>c</c>.</summary>
    private static IrExpr? AccumulationIndex(IrStatement statement, string span)
    {
        if (statement is not IrAssignElement { Column: null, Value: IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: IrElement element } binary } assign
            || assign.Sequence != span || element.Sequence.Name != span || !Equals(element.Index, assign.Index) || element.Column is not null
            || Ir.VariablesOf(binary.Right).Contains(span))
        {
            return null;
        }
        return assign.Index;
    }

    /// <summary>A constant, or a variable nothing in the pullback assigns.</summary>
    private static bool IsFixed(IrExpr index, HashSet<string> assigned) => index is IrLiteral || index is IrVariable variable && !assigned.Contains(variable.Name);

    /// <summary>
    /// True when the span is written only by accumulations into an element (<c>s[i] = s[i] ± e</c>, e not reading it)
    /// and read only as their left sides: its element reads are exactly one per such accumulation.
    /// </summary>
    private static bool OnlyAccumulated(IrBlock block, string span)
    {
        int reads = 0, accumulations = 0;
        bool otherWrite = false;
        Ir.ForEachRootExpression(block, e => Ir.ForEachNode(e, node =>
        {
            if (node is IrElement element && element.Sequence.Name == span) reads++;
        }));
        Ir.ForEachStatement(block, statement =>
        {
            switch (statement)
            {
                case IrAssignElement assign when assign.Sequence == span:
                    if (assign.Value is IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: IrElement element }
                        && element.Sequence.Name == span && Equals(element.Index, assign.Index) && Equals(element.Column, assign.Column))
                    {
                        accumulations++;
                    }
                    else
                    {
                        otherWrite = true;
                    }
                    break;
                case IrCopyInto copy when copy.Source.Name == span || copy.Target == span:
                    otherWrite = true;
                    break;
            }
        });
        return !otherWrite && reads == accumulations;
    }

    /// <summary>The fixed indices of the span's accumulations inside loops, in the order they first appear.</summary>
    private static List<IrExpr> FixedIndicesAccumulatedInLoops(IrBlock block, string span, HashSet<string> assigned)
    {
        var indices = new List<IrExpr>();
        Ir.ForEachStatement(block, statement =>
        {
            if (statement is not IrLoop loop) return;
            Ir.ForEachStatement(loop.Body, inner =>
            {
                if (AccumulationIndex(inner, span) is { } index && IsFixed(index, assigned) && !indices.Contains(index)) indices.Add(index);
            });
        });
        return indices;
    }

    private static IrStatement Rewrite(IrStatement statement, Dictionary<(string Span, IrExpr Index), IrVariable> locals)
    {
        switch (statement)
        {
            case IrAssignElement assign when AccumulationIndex(assign, assign.Sequence) is { } index && locals.TryGetValue((assign.Sequence, index), out var local):
                var binary = (IrBinary)assign.Value;
                return new IrAssign(local.Name, binary with { Type = local.Type, Left = local }) { Origin = assign.Origin };
            case IrIf ifStatement:
                return ifStatement with { Then = Rewrite(ifStatement.Then, locals), Else = Rewrite(ifStatement.Else, locals) };
            case IrLoop loop:
                return loop with { Body = Rewrite(loop.Body, locals), Step = Rewrite(loop.Step, locals) };
            case IrBlock nested:
                return Rewrite(nested, locals);
            default:
                return statement;
        }
    }

    private static IrBlock Rewrite(IrBlock block, Dictionary<(string Span, IrExpr Index), IrVariable> locals)
        => new IrBlock(block.Statements.Select(s => Rewrite(s, locals)).ToEquatableArray()) { Origin = block.Origin };
}
