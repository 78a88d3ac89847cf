
namespace AutoDiff.Generator.IR;

/// <summary>
/// The line of the user's source a statement comes from: generated code maps back to it with <c>#line</c>. The line is
/// 1-based and relative to the line the method's declaration starts on (0-based), which the generator adds when it adds
/// the file (<c>LineDirectives.Shift</c>): a line inserted above a method leaves its IR, and every step up to the file's
/// text, unchanged.
/// </summary>
/// <param name="Path">The source file's path.</param>
/// <param name="Line">The line, counted from 1.</param>
internal sealed record SourceLine(string Path, int Line);

internal abstract record IrStatement
{
    /// <summary>The user's line this statement comes from (its copies in the derivatives keep it); null for generated code.</summary>
    public SourceLine? Origin { get; init; }
}

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

/// <summary>
/// A loop: <c>while (Condition) { Body; Step }</c>. A <c>for</c> loop's initialiser precedes it in the enclosing
/// block and its increment is the <see cref="Step"/> (which <c>continue</c> still runs); a <c>do</c> loop has
/// <see cref="TestFirst"/> false.
/// </summary>
internal sealed record IrLoop(IrExpr Condition, IrBlock Body, IrBlock Step, bool TestFirst = true) : IrStatement;

/// <summary><c>break</c> out of the innermost loop (normalisation removes it).</summary>
internal sealed record IrBreak : IrStatement;

/// <summary><c>continue</c> with the innermost loop's next iteration (normalisation removes it).</summary>
internal sealed record IrContinue : IrStatement;

/// <summary>Takes a tape (a typed stack the reverse sweep restores values from) from the thread's pool.</summary>
internal sealed record IrTapeRent(string Tape) : IrStatement;

/// <summary>Gives the tape back to the pool, emptied.</summary>
internal sealed record IrTapeReturn(string Tape) : IrStatement;

/// <summary>Pushes a value onto a tape.</summary>
internal sealed record IrTapePush(string Tape, IrExpr Value) : IrStatement;

/// <summary>Assigns one element of an array or span: <c>Sequence[Index] = Value</c>.</summary>
internal sealed record IrAssignElement(string Sequence, IrExpr Index, IrExpr Value) : IrStatement
{
    /// <summary>The second index, for an element of a <c>T[,]</c>.</summary>
    public IrExpr? Column { get; init; }

    /// <summary>The element written, read as an expression.</summary>
    public IrElement Target(IrVariable sequence) => new(sequence.Type.Element, sequence, Index) { Column = Column };

    /// <summary>A write of another value to the same position of another array (or this one).</summary>
    public IrAssignElement To(string sequence, IrExpr value) => this with { Sequence = sequence, Value = value };
}

/// <summary>Copies an array's elements into a span of the same length.</summary>
internal sealed record IrCopyInto(IrVariable Source, string Target) : IrStatement;
