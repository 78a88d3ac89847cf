using System.Collections.Generic;
using System.Linq;

namespace AutoDiff.Generator.IR;

/// <summary>
/// Facts about integer index expressions that hold for every value of their variables: whether two slices of one
/// sequence can share an element. An int expression is read as a linear form, a constant plus whole multiples of terms
/// (variables, lengths, and any other subexpression as a whole, compared structurally), so that <c>i + b</c> and
/// <c>b + i</c> are the same and <c>(i + b) - i</c> is <c>b</c>.
/// </summary>
internal static class IrIntervals
{
    /// <summary>
    /// True when the two slices view no element in common whatever their variables hold: one ends, as a linear form, at
    /// or before the other starts (<c>s.Slice(i, b)</c> and <c>s.Slice(i + b, b)</c>; <c>a.AsSpan(0, 2)</c> and
    /// <c>a.AsSpan(2)</c>).
    /// </summary>
    public static bool Disjoint(IrSlice first, IrSlice second)
        => first.Sequence.Name == second.Sequence.Name
            && (EndsBefore(first, second) || EndsBefore(second, first));

    /// <summary>True when <paramref name="first"/>'s end minus <paramref name="second"/>'s start is a constant ≤ 0.</summary>
    private static bool EndsBefore(IrSlice first, IrSlice second)
    {
        var difference = Combine(Combine(Form(first.Start), Form(first.Length), 1), Form(second.Start), -1);
        return difference.Terms.Values.All(c => c == 0) && difference.Constant <= 0;
    }

    private sealed record LinearForm(Dictionary<IrExpr, long> Terms, long Constant);

    private static LinearForm Form(IrExpr expr)
    {
        switch (expr)
        {
            case IrLiteral literal when literal.Value == System.Math.Floor(literal.Value):
                return new LinearForm(new Dictionary<IrExpr, long>(), (long)literal.Value);
            case IrBinary { Op: BinaryOp.Add } sum when sum.Type.IsInteger:
                return Combine(Form(sum.Left), Form(sum.Right), 1);
            case IrBinary { Op: BinaryOp.Subtract } difference when difference.Type.IsInteger:
                return Combine(Form(difference.Left), Form(difference.Right), -1);
            case IrBinary { Op: BinaryOp.Multiply, Left: IrLiteral factor } product when product.Type.IsInteger && factor.Value == System.Math.Floor(factor.Value):
                return Scaled(Form(product.Right), (long)factor.Value);
            case IrBinary { Op: BinaryOp.Multiply, Right: IrLiteral factor } product when product.Type.IsInteger && factor.Value == System.Math.Floor(factor.Value):
                return Scaled(Form(product.Left), (long)factor.Value);
            case IrUnary { Op: UnaryOp.Negate } negation when negation.Type.IsInteger:
                return Scaled(Form(negation.Operand), -1);
            default:
                return new LinearForm(new Dictionary<IrExpr, long> { [expr] = 1 }, 0);
        }
    }

    private static LinearForm Combine(LinearForm left, LinearForm right, long sign)
    {
        var terms = new Dictionary<IrExpr, long>(left.Terms);
        foreach (var pair in right.Terms) terms[pair.Key] = (terms.TryGetValue(pair.Key, out var c) ? c : 0) + sign * pair.Value;
        return new LinearForm(terms, left.Constant + sign * right.Constant);
    }

    private static LinearForm Scaled(LinearForm form, long factor)
        => new(form.Terms.ToDictionary(t => t.Key, t => t.Value * factor), form.Constant * factor);
}
