using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.IR;

internal abstract record IrStatement;

/// <summary>Declares a local, optionally initialised.</summary>
internal sealed record IrDeclare(IrType Type, string Name, IrExpr? Initializer) : IrStatement;

/// <summary>Assigns to a parameter or local. Compound assignments and <c>++</c>/<c>--</c> lower to this.</summary>
internal sealed record IrAssign(string Target, IrExpr Value) : IrStatement;

internal sealed record IrIf(IrExpr Condition, IrBlock Then, IrBlock Else) : IrStatement;

internal sealed record IrReturn(IrExpr? Value) : IrStatement;

/// <summary>Evaluates an expression for its effect (a call whose result is discarded).</summary>
internal sealed record IrExpressionStatement(IrExpr Expression) : IrStatement;

/// <summary>A line comment in generated code.</summary>
internal sealed record IrComment(string Text) : IrStatement;

/// <summary>A nested block; in user IR it bounds the scope of its locals.</summary>
internal sealed record IrBlock(EquatableArray<IrStatement> Statements) : IrStatement
{
    public static readonly IrBlock Empty = new(EquatableArray<IrStatement>.Empty);

    public static IrBlock Of(params IrStatement[] statements) => new(statements.ToEquatableArray());

    public bool IsEmpty => Statements.Count == 0;
}
