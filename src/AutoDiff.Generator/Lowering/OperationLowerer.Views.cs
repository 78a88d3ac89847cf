using System.Collections.Generic;
using System.Linq;
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
/// change afterwards; the viewed array cannot be reassigned (arrays are assigned only where they are declared). A span
/// local may be given another view of the same sequence (<c>input = goal;</c>, walking along a sequence), which moves
/// its start and length; a view of another sequence is refused.
/// </summary>
internal sealed partial class OperationLowerer
{
    private readonly Dictionary<ILocalSymbol, IrSlice> views = new(SymbolEqualityComparer.Default);

    private static bool IsStackAlloc(IOperation initializer) => Unwrapped(initializer).Syntax is StackAllocArrayCreationExpressionSyntax;

    /// <summary>Records the view a span local is declared with, keeping its start and length in int locals (see the type's summary).</summary>
    private void DeclareView(IVariableDeclaratorOperation declarator, ILocalSymbol local, IrType type, IOperation initializer, List<IrStatement> output)
    {
        var slice = ViewValue(initializer, type, out bool reported);
        if (reported) return;
        if (slice is null)
        {
            Unsupported(declarator, $"The span '{local.Name}' declared here",
                "declare a span local as a slice of an array or span parameter or local (x.AsSpan(start, length), s.Slice(start, length), s[i..j]) or as the whole of one");
            return;
        }
        // A span local assigned again later moves over its sequence: its start and length are locals whatever they are now.
        bool moves = IsAssignedAgain(declarator, local);
        views[local] = slice with
        {
            Type = type,
            Start = Kept(slice.Start, local.Name + "Start", output, moves),
            Length = Kept(slice.Length, local.Name + "Length", output, moves),
        };
    }

    /// <summary>
    /// <c>input = goal;</c>: a span local given another view of the sequence it views (the walk along a sequence of a
    /// recurrence) gets the new view's start and length in its int locals. A view of another sequence is refused.
    /// </summary>
    private void AssignView(ISimpleAssignmentOperation assignment, ILocalSymbol local, List<IrStatement> output)
    {
        var view = views[local];
        var next = ViewValue(assignment.Value, view.Type, out bool reported);
        if (reported) return;
        if (next is null || next.Sequence.Name != view.Sequence.Name
            || view.Start is not IrVariable start || view.Length is not IrVariable length)
        {
            Unsupported(assignment, $"Assigning the span '{local.Name}' a view of something other than '{view.Sequence.Name}', which it views,",
                "a span local moves over the one array or span it is declared on: declare another span local for a view of another");
            return;
        }
        // The new length may read the old start (v = v.Slice(1)): both are worked out before either is assigned.
        var newLength = Ir.VariablesOf(next.Length).Contains(start.Name) ? Kept(next.Length, local.Name + "NextLength", output, always: true) : next.Length;
        output.Add(new IrAssign(start.Name, next.Start));
        output.Add(new IrAssign(length.Name, newLength));
    }

    /// <summary>
    /// The view a span local is declared or assigned with: a slice, or the whole of an array or span (an implicit
    /// conversion from an array); null when the value is neither. <paramref name="reported"/> is true when lowering the
    /// value already reported why it cannot be one.
    /// </summary>
    private IrSlice? ViewValue(IOperation value, IrType type, out bool reported)
    {
        reported = false;
        var lowered = SliceArgument(value, parameter: null);
        if (lowered is IrSlice slice) return slice;
        reported = lowered is not null;
        if (reported) return null;
        int before = diagnostics.Count;
        var whole = LowerExpr(Unwrapped(value));
        reported = diagnostics.Count > before;
        return !reported && whole is IrVariable { Type.IsSequence: true, Type.IsMatrix: false } sequence
            ? new IrSlice(type, sequence, Ir.Lit(IrType.Int32, 0), new IrLength(sequence))
            : null;
    }

    /// <summary>True when the method assigns the span local somewhere after declaring it.</summary>
    private static bool IsAssignedAgain(IVariableDeclaratorOperation declarator, ILocalSymbol local)
    {
        var scope = declarator.Syntax.Ancestors().FirstOrDefault(n => n is BlockSyntax or SwitchSectionSyntax) ?? declarator.Syntax;
        var model = declarator.SemanticModel;
        return scope.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
            && (model is null || SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local)));
    }

    /// <summary>An int that stays what it is (a literal, the length of an array or span), or a new local holding its value now.</summary>
    private IrExpr Kept(IrExpr value, string name, List<IrStatement> output, bool always = false)
    {
        if (!always && value is IrLiteral or IrLength) return value;
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
