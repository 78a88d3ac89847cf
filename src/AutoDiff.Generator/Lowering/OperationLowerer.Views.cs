using System.Collections.Generic;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// Span locals: <c>var c = cam.Slice(3, 3);</c>, <c>ReadOnlySpan&lt;double&gt; row = m.AsSpan(i * n, n);</c>,
/// <c>Span&lt;double&gt; all = values;</c>. A span local is a view of part of an array or span parameter or local, and
/// lowering keeps it as one (an <see cref="IrSlice"/>), not as a local of its own: <c>c[i]</c> reads (or writes)
/// <c>cam[start + i]</c>, <c>c.Length</c> is the view's length, <c>c.Slice(a, b)</c> a view of the view, and <c>c</c>
/// passed to a <c>[Differentiable]</c> method is the slice. So the derivatives flow into the viewed elements with no copy.
/// The start and length are kept in int locals where the view is declared, since what they were computed from may
/// change afterwards; the viewed array cannot be reassigned (arrays are assigned only where they are declared), and
/// neither can the span local (refused).
/// </summary>
internal sealed partial class OperationLowerer
{
    private readonly Dictionary<ILocalSymbol, IrSlice> views = new(SymbolEqualityComparer.Default);

    private static bool IsStackAlloc(IOperation initializer) => Unwrapped(initializer).Syntax is StackAllocArrayCreationExpressionSyntax;

    /// <summary>Records the view a span local is declared with, keeping its start and length in int locals (see the type's summary).</summary>
    private void DeclareView(IVariableDeclaratorOperation declarator, ILocalSymbol local, IrType type, IOperation initializer, List<IrStatement> output)
    {
        var lowered = SliceArgument(initializer, parameter: null);
        // A slice SliceArgument refused is reported there already.
        if (lowered is not (null or IrSlice)) return;
        var slice = lowered as IrSlice;
        if (slice is null)
        {
            // The whole of an array or span (an implicit conversion from an array).
            int reported = diagnostics.Count;
            var whole = LowerExpr(Unwrapped(initializer));
            // What the initialiser's own lowering refused is reported there.
            if (diagnostics.Count > reported) return;
            switch (whole)
            {
                case IrVariable { Type.IsSequence: true, Type.IsMatrix: false } sequence:
                    slice = new IrSlice(type, sequence, Ir.Lit(IrType.Int32, 0), new IrLength(sequence));
                    break;
            }
        }
        if (slice is null)
        {
            Unsupported(declarator, $"The span '{local.Name}' declared here",
                "declare a span local as a slice of an array or span parameter or local (x.AsSpan(start, length), s.Slice(start, length), s[i..j]) or as the whole of one");
            return;
        }
        views[local] = slice with
        {
            Type = type,
            Start = Kept(slice.Start, local.Name + "Start", output),
            Length = Kept(slice.Length, local.Name + "Length", output),
        };
    }

    /// <summary>An int that stays what it is (a literal, the length of an array or span), or a new local holding its value now.</summary>
    private IrExpr Kept(IrExpr value, string name, List<IrStatement> output)
    {
        if (value is IrLiteral or IrLength) return value;
        var kept = Ir.Var(IrType.Int32, FreshName("_" + TypeMapping.Identifier(name).TrimStart('@')));
        output.Add(new IrDeclare(IrType.Int32, kept.Name, value));
        return kept;
    }

    /// <summary>The view a span local stands for, or null for any other local.</summary>
    private IrSlice? ViewOf(ILocalSymbol local) => views.TryGetValue(local, out var view) ? view : null;

    /// <summary><c>view[index]</c>: the viewed element, <c>sequence[start + index]</c>.</summary>
    private static IrElement ElementOfView(IrType type, IrSlice view, IrExpr index)
        => new(type, view.Sequence, view.Start is IrLiteral { Value: 0 } ? index : Ir.Add(view.Start, index));
}
