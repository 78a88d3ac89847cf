using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// The operators and functions of <c>System.Numerics.Vector2/3/4</c> and <c>System.Numerics.Complex</c>, written as formulas
/// over their components, which the differentiation passes then differentiate like any other arithmetic. These are the
/// derivatives AutoDiff ships for the BCL's vector types.
/// </summary>
internal static class NumericsFormulas
{
    /// <summary>A struct-valued operator or function; null when AutoDiff has no formula for it.</summary>
    /// <param name="name">The method's metadata name (<c>op_Addition</c>, <c>Normalize</c>, ...).</param>
    /// <param name="values">The arguments (the instance first for an instance method): <see cref="IrExpr"/> or <see cref="StructValue"/>.</param>
    /// <param name="model">The result's struct.</param>
    /// <param name="bind">Keeps a number that a formula reads more than once in a temporary.</param>
    /// <param name="bindStruct">The same for each number of a struct value.</param>
    public static StructValue? Struct(string name, List<object> values, StructModel model, Func<IrExpr, IrExpr> bind, Func<StructValue, StructValue> bindStruct)
    {
        bool complex = model.DisplayName == "Complex";
        var type = model.Leaves[0].Type;
        StructValue AsStruct(object value) => value as StructValue ?? new StructValue(model, complex
            ? new[] { Ir.Convert(type, (IrExpr)value), Ir.Lit(type, 0) }
            : Enumerable.Repeat(bind(Ir.Convert(type, (IrExpr)value)), model.Leaves.Count).ToList());
        StructValue Map(StructValue a, Func<IrExpr, IrExpr> f) => new(model, a.Leaves.Select(f).ToList());
        StructValue Zip(StructValue a, StructValue b, Func<IrExpr, IrExpr, IrExpr> f) => new(model, a.Leaves.Select((l, i) => f(l, b.Leaves[i])).ToList());

        switch (name, values.Count)
        {
            case ("op_UnaryPlus", 1) or ("Plus", 1):
                return AsStruct(values[0]);
            case ("op_UnaryNegation", 1) or ("Negate", 1):
                return Map(AsStruct(values[0]), Neg);
            case ("op_Addition", 2) or ("Add", 2):
                return Zip(AsStruct(values[0]), AsStruct(values[1]), Add);
            case ("op_Subtraction", 2) or ("Subtract", 2):
                return Zip(AsStruct(values[0]), AsStruct(values[1]), Sub);
        }
        if (complex)
        {
            switch (name, values.Count)
            {
                case ("op_Multiply", 2) or ("Multiply", 2):
                {
                    // A real factor scales both parts; two complex numbers multiply out.
                    if (values[0] is IrExpr r0) return Map(bindStruct(AsStruct(values[1])), l => Mul(Ir.Convert(type, r0), l));
                    if (values[1] is IrExpr r1) return Map(bindStruct(AsStruct(values[0])), l => Mul(l, Ir.Convert(type, r1)));
                    var a = bindStruct((StructValue)values[0]);
                    var b = bindStruct((StructValue)values[1]);
                    return new StructValue(model, new[]
                    {
                        Sub(Mul(a.Leaves[0], b.Leaves[0]), Mul(a.Leaves[1], b.Leaves[1])),
                        Add(Mul(a.Leaves[0], b.Leaves[1]), Mul(a.Leaves[1], b.Leaves[0])),
                    });
                }
                case ("op_Division", 2) or ("Divide", 2):
                {
                    if (values[1] is IrExpr real) return Map(AsStruct(values[0]), l => Ir.Div(l, Ir.Convert(type, real)));
                    // Smith's algorithm, as Complex's own division: divide by the larger part first, so that c² + d² never
                    // overflows where the quotient does not. The branch is chosen by value and not differentiated.
                    var n = bindStruct(AsStruct(values[0]));
                    var m = bindStruct((StructValue)values[1]);
                    IrExpr a = n.Leaves[0], b = n.Leaves[1], c = m.Leaves[0], d = m.Leaves[1];
                    var realFirst = bind(Ir.Compare(BinaryOp.Less, Ir.Math(MathFunction.Abs, d), Ir.Math(MathFunction.Abs, c)));
                    var ratio = bind(new IrConditional(type, realFirst, Ir.Div(d, c), Ir.Div(c, d)));
                    var scale = bind(new IrConditional(type, realFirst, Add(c, Mul(d, ratio)), Add(d, Mul(c, ratio))));
                    return new StructValue(model, new IrExpr[]
                    {
                        new IrConditional(type, realFirst, Ir.Div(Add(a, Mul(b, ratio)), scale), Ir.Div(Add(b, Mul(a, ratio)), scale)),
                        new IrConditional(type, realFirst, Ir.Div(Sub(b, Mul(a, ratio)), scale), Ir.Div(Add(Neg(a), Mul(b, ratio)), scale)),
                    });
                }
                case ("Conjugate", 1):
                {
                    var a = AsStruct(values[0]);
                    return new StructValue(model, new[] { a.Leaves[0], Neg(a.Leaves[1]) });
                }
                case ("Reciprocal", 1):
                {
                    var a = bindStruct(AsStruct(values[0]));
                    var denominator = bind(Add(Mul(a.Leaves[0], a.Leaves[0]), Mul(a.Leaves[1], a.Leaves[1])));
                    return new StructValue(model, new[] { Ir.Div(a.Leaves[0], denominator), Neg(Ir.Div(a.Leaves[1], denominator)) });
                }
                case ("Exp", 1):
                {
                    var a = bindStruct(AsStruct(values[0]));
                    var magnitude = bind(Ir.Math(MathFunction.Exp, a.Leaves[0]));
                    return new StructValue(model, new[]
                    {
                        Mul(magnitude, Ir.Math(MathFunction.Cos, a.Leaves[1])),
                        Mul(magnitude, Ir.Math(MathFunction.Sin, a.Leaves[1])),
                    });
                }
                case ("Log", 1):
                {
                    var a = bindStruct(AsStruct(values[0]));
                    return new StructValue(model, new[] { Ir.Math(MathFunction.Log, Modulus(a)), Ir.Math(MathFunction.Atan2, a.Leaves[1], a.Leaves[0]) });
                }
                case ("Sin", 1):
                {
                    var a = bindStruct(AsStruct(values[0]));
                    return new StructValue(model, new[]
                    {
                        Mul(Ir.Math(MathFunction.Sin, a.Leaves[0]), Ir.Math(MathFunction.Cosh, a.Leaves[1])),
                        Mul(Ir.Math(MathFunction.Cos, a.Leaves[0]), Ir.Math(MathFunction.Sinh, a.Leaves[1])),
                    });
                }
                case ("Cos", 1):
                {
                    var a = bindStruct(AsStruct(values[0]));
                    return new StructValue(model, new[]
                    {
                        Mul(Ir.Math(MathFunction.Cos, a.Leaves[0]), Ir.Math(MathFunction.Cosh, a.Leaves[1])),
                        Neg(Mul(Ir.Math(MathFunction.Sin, a.Leaves[0]), Ir.Math(MathFunction.Sinh, a.Leaves[1]))),
                    });
                }
                case ("FromPolarCoordinates", 2) when values[0] is IrExpr magnitude && values[1] is IrExpr phase:
                {
                    var m = bind(Ir.Convert(type, magnitude));
                    var p = bind(Ir.Convert(type, phase));
                    return new StructValue(model, new[] { Mul(m, Ir.Math(MathFunction.Cos, p)), Mul(m, Ir.Math(MathFunction.Sin, p)) });
                }
            }
            return null;
        }

        switch (name, values.Count)
        {
            case ("op_Multiply", 2) or ("Multiply", 2):
                return Zip(AsStruct(values[0]), AsStruct(values[1]), Mul);
            case ("op_Division", 2) or ("Divide", 2):
                return Zip(AsStruct(values[0]), AsStruct(values[1]), Ir.Div);
            case ("Normalize", 1):
            {
                var a = bindStruct(AsStruct(values[0]));
                var length = bind(Ir.Math(MathFunction.Sqrt, Dot(a, a)));
                return Map(a, l => Ir.Div(l, length));
            }
            case ("Cross", 2) when model.Leaves.Count == 3:
            {
                var a = bindStruct(AsStruct(values[0])).Leaves;
                var b = bindStruct(AsStruct(values[1])).Leaves;
                return new StructValue(model, new[]
                {
                    Sub(Mul(a[1], b[2]), Mul(a[2], b[1])),
                    Sub(Mul(a[2], b[0]), Mul(a[0], b[2])),
                    Sub(Mul(a[0], b[1]), Mul(a[1], b[0])),
                });
            }
            case ("Lerp", 3) when values[2] is IrExpr amount:
            {
                var a = bindStruct(AsStruct(values[0]));
                var b = AsStruct(values[1]);
                var t = bind(Ir.Convert(type, amount));
                return Zip(a, b, (x, y) => Add(x, Mul(Sub(y, x), t)));
            }
            case ("Min", 2):
                return Zip(AsStruct(values[0]), AsStruct(values[1]), (x, y) => Ir.Math(MathFunction.Min, x, y));
            case ("Max", 2):
                return Zip(AsStruct(values[0]), AsStruct(values[1]), (x, y) => Ir.Math(MathFunction.Max, x, y));
            case ("Abs", 1):
                return Map(AsStruct(values[0]), x => Ir.Math(MathFunction.Abs, x));
            case ("SquareRoot", 1):
                return Map(AsStruct(values[0]), x => Ir.Math(MathFunction.Sqrt, x));
        }
        return null;
    }

    /// <summary>A number-valued function of vectors or complex numbers; null when AutoDiff has no formula for it.</summary>
    public static IrExpr? Scalar(string name, List<object> values, Func<IrExpr, IrExpr> bind, Func<StructValue, StructValue> bindStruct)
    {
        if (values.Count == 0 || values[0] is not StructValue first) return null;
        bool complex = first.Model.DisplayName == "Complex";
        switch (name, values.Count)
        {
            case ("Dot", 2) when !complex && values[1] is StructValue second:
                return Dot(first, second);
            case ("LengthSquared", 1) when !complex:
            {
                var a = bindStruct(first);
                return Dot(a, a);
            }
            case ("Length", 1) when !complex:
            {
                var a = bindStruct(first);
                return Ir.Math(MathFunction.Sqrt, Dot(a, a));
            }
            case ("DistanceSquared", 2) or ("Distance", 2) when !complex && values[1] is StructValue other:
            {
                var difference = bindStruct(new StructValue(first.Model, first.Leaves.Select((l, i) => Sub(l, other.Leaves[i])).ToList()));
                var squared = Dot(difference, difference);
                return name == "Distance" ? Ir.Math(MathFunction.Sqrt, squared) : squared;
            }
            case ("Abs", 1) or ("Magnitude", 1) when complex:
                return Modulus(bindStruct(first));
            case ("Phase", 1) when complex:
                return Ir.Math(MathFunction.Atan2, first.Leaves[1], first.Leaves[0]);
        }
        return null;
    }

    private static IrExpr Modulus(StructValue a)
        => Ir.Math(MathFunction.Sqrt, Add(Mul(a.Leaves[0], a.Leaves[0]), Mul(a.Leaves[1], a.Leaves[1])));

    private static IrExpr Dot(StructValue a, StructValue b)
    {
        IrExpr sum = Mul(a.Leaves[0], b.Leaves[0]);
        for (int i = 1; i < a.Leaves.Count; i++) sum = Add(sum, Mul(a.Leaves[i], b.Leaves[i]));
        return sum;
    }

    // Arithmetic that drops the terms a zero or a one makes trivial (a complex number built from a real one has a zero part).
    private static IrExpr Add(IrExpr a, IrExpr b) => IsZero(b) ? a : IsZero(a) ? b : Ir.Add(a, b);

    private static IrExpr Sub(IrExpr a, IrExpr b) => IsZero(b) ? a : IsZero(a) ? Neg(b) : Ir.Sub(a, b);

    private static IrExpr Mul(IrExpr a, IrExpr b)
        => IsZero(a) || IsZero(b) ? Ir.Lit(a.Type, 0) : a is IrLiteral { Value: 1 } ? b : b is IrLiteral { Value: 1 } ? a : Ir.Mul(a, b);

    private static IrExpr Neg(IrExpr a) => IsZero(a) ? a : a is IrUnary { Op: UnaryOp.Negate } inner ? inner.Operand : Ir.Neg(a);

    private static bool IsZero(IrExpr e) => e is IrLiteral { Value: 0 };
}
