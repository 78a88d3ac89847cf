using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>A compact way to write IR methods in tests.</summary>
internal static class IrBuilder
{
    public static readonly IrType D = IrType.Double;

    public static IrVariable V(string name) => Ir.Var(D, name);

    public static IrLiteral L(double value) => Ir.Lit(D, value);

    public static IrExpr M(MathFunction function, params IrExpr[] arguments) => Ir.Math(function, arguments);

    public static IrStatement Let(string name, IrExpr value) => new IrDeclare(value.Type, name, value);

    public static IrStatement Set(string name, IrExpr value) => Ir.Assign(name, value);

    public static IrStatement Ret(IrExpr value) => new IrReturn(value);

    public static IrStatement If(IrExpr condition, IrStatement[] then, params IrStatement[] otherwise)
        => new IrIf(condition, IrBlock.Of(then), IrBlock.Of(otherwise));

    public static IrExpr Gt(IrExpr left, IrExpr right) => Ir.Compare(BinaryOp.Greater, left, right);

    /// <summary>Parameters p0, p1, ... of the given types, for method references.</summary>
    public static EquatableArray<IrParameter> Params(params IrType[] types) => types.Select((t, i) => new IrParameter("p" + i, t)).ToEquatableArray();

    public static IrMethod Method(string name, string[] parameters, params IrStatement[] body)
        => new(name, D, parameters.Select(p => new IrParameter(p, D)).ToEquatableArray(), IrBlock.Of(body));
}
