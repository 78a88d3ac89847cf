
namespace AutoDiff.Generator.IR;

/// <summary>
/// An IR expression. Expressions are immutable, compare structurally, and hold no Roslyn objects:
/// names of variables and fully-qualified names of types are plain strings.
/// </summary>
internal abstract record IrExpr(IrType Type);

/// <summary>A constant. Integers and booleans (0 or 1) are stored exactly in the double.</summary>
internal sealed record IrLiteral(IrType Type, double Value) : IrExpr(Type)
{
    public static IrLiteral Of(IrType type, double value) => new(type, value);
}

/// <summary>A parameter or local, by its unique name within the method.</summary>
internal sealed record IrVariable(IrType Type, string Name) : IrExpr(Type);

/// <summary>
/// A read of a static field, or of a field or property of the method's own object (<see cref="ContainingType"/> is
/// then <see cref="This"/>), treated as a constant (it is not differentiated).
/// </summary>
internal sealed record IrStaticField(IrType Type, string ContainingType, string Name) : IrExpr(Type)
{
    /// <summary>The "containing type" of a member of the method's own object, and of a call on it.</summary>
    public const string This = "this";
}

internal enum UnaryOp
{
    Negate,
    Not,
}

internal sealed record IrUnary(IrType Type, UnaryOp Op, IrExpr Operand) : IrExpr(Type);

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    ConditionalAnd,
    ConditionalOr,
    And,
    Or,
    Xor,
}

internal sealed record IrBinary(IrType Type, BinaryOp Op, IrExpr Left, IrExpr Right) : IrExpr(Type);

/// <summary>The conditional operator <c>c ? a : b</c>.</summary>
internal sealed record IrConditional(IrType Type, IrExpr Condition, IrExpr WhenTrue, IrExpr WhenFalse) : IrExpr(Type);

/// <summary>A numeric conversion to <see cref="IrExpr.Type"/>.</summary>
internal sealed record IrConvert(IrType Type, IrExpr Operand) : IrExpr(Type);

/// <summary>The <c>System.Math</c>/<c>System.MathF</c> functions the generator knows derivatives of.</summary>
internal enum MathFunction
{
    Exp,
    Log,
    LogBase,
    Log10,
    Log2,
    Sqrt,
    Cbrt,
    Pow,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Abs,
    Max,
    Min,
    Clamp,
    Floor,
    Ceiling,
    Round,
    Truncate,
    Sign,
}

/// <summary>Facts about <see cref="MathFunction"/>s that lowering and differentiation share.</summary>
internal static class MathFunctions
{
    /// <summary>Floor, Ceiling, Round, Truncate and Sign: constant between jumps, so their derivative is zero almost everywhere.</summary>
    public static bool IsPiecewiseConstant(this MathFunction function)
        => function is MathFunction.Floor or MathFunction.Ceiling or MathFunction.Round or MathFunction.Truncate or MathFunction.Sign;
}

/// <summary>A call of a <see cref="MathFunction"/>; <c>Math</c> or <c>MathF</c> follows from the argument types.</summary>
internal sealed record IrMathCall(IrType Type, MathFunction Function, EquatableArray<IrExpr> Arguments) : IrExpr(Type);

/// <summary>A static method that IR calls.</summary>
/// <param name="ContainingType">Fully qualified, with <c>global::</c>.</param>
/// <param name="Name">The method's name.</param>
/// <param name="IsDifferentiable">True when the generator emits derivatives of the method: a <c>[Differentiable]</c>
/// method (which has a pullback and a tangent) or a generated pullback (which has a tangent).</param>
/// <param name="Parameters">The declared parameters, in order (their kinds and <c>[NoDerivative]</c> flags say which
/// arguments get adjoints and tangents).</param>
internal sealed record IrMethodRef(string ContainingType, string Name, bool IsDifferentiable, EquatableArray<IrParameter> Parameters)
{
    /// <summary>
    /// True for a <c>[CustomDerivative]</c> method whose type also has the optional value-free rule <c>FReverse</c>
    /// (<c>FBackward</c>'s parameters, returning nothing): a generated caller, which already holds <c>F</c>'s value
    /// from its forward sweep, calls it instead of <c>FBackward</c>, so the value is not computed a second time.
    /// </summary>
    public bool HasReverse { get; init; }

    /// <summary>
    /// True when the type also declares <c>FReverseTangent</c>, forward mode of <c>FReverse</c> for second order:
    /// <c>FBackwardTangent</c>'s parameters without <c>out resultTangent</c>, returning nothing.
    /// </summary>
    public bool HasReverseTangent { get; init; }

    /// <summary>
    /// The name of this method's tangent when it is not <see cref="Name"/> + <c>Tangent</c>: the value-free rule
    /// <c>FReverse</c> is differentiated through <c>FReverseTangent</c>, or <c>FBackwardTangent</c> (whose value is then
    /// discarded) when there is none.
    /// </summary>
    public string? TangentName { get; init; }

    /// <summary>True when the tangent named by <see cref="TangentName"/> is value-free too: it takes no <c>out resultTangent</c>.</summary>
    public bool TangentIsValueFree { get; init; }

    /// <summary>
    /// True for a generated <c>[Differentiable]</c> callee, which has the split pullback <c>FForward</c> / <c>FReverse</c>:
    /// a caller's forward sweep calls <c>FForward</c>, which returns F's value and leaves on the caller's tape what F's
    /// reverse sweep reads, and the caller's reverse sweep calls <c>FReverse</c>, which takes it back, so F's forward
    /// sweep runs once.
    /// </summary>
    public bool HasSplit { get; init; }

    /// <summary>The caller's tape, passed as a last argument after <see cref="Parameters"/> (to <c>FForward</c> and <c>FReverse</c>).</summary>
    public string? TapeArgument { get; init; }
}

/// <summary>Marks a value as a constant for differentiation: <c>AutoDiff.Ad.WithoutDerivative(x)</c>.</summary>
internal sealed record IrStopDerivative(IrType Type, IrExpr Operand) : IrExpr(Type);

internal enum ArgumentKind
{
    Value,
    Ref,
    Out,
}

internal sealed record IrArgument(IrExpr Value, ArgumentKind Kind = ArgumentKind.Value);

/// <summary>A call of a user method (a differentiable one, or an opaque one on constant inputs).</summary>
internal sealed record IrCall(IrType Type, IrMethodRef Method, EquatableArray<IrArgument> Arguments) : IrExpr(Type);

/// <summary>Pops the value of type <see cref="IrExpr.Type"/> pushed last onto a tape.</summary>
internal sealed record IrTapePop(IrType Type, string Tape) : IrExpr(Type);

/// <summary>An element of an array or span, <c>a[i]</c>; <see cref="IrExpr.Type"/> is the element type.</summary>
internal sealed record IrElement(IrType Type, IrVariable Sequence, IrExpr Index) : IrExpr(Type)
{
    /// <summary>The second index, for an element <c>a[i, j]</c> of a <c>T[,]</c>.</summary>
    public IrExpr? Column { get; init; }

    /// <summary>The same position in another array of the same shape (an adjoint or a tangent).</summary>
    public IrElement In(IrVariable other) => this with { Sequence = other };
}

/// <summary>The number of elements of an array or span, <c>a.Length</c>.</summary>
internal sealed record IrLength(IrVariable Sequence) : IrExpr(IrType.Int32)
{
    /// <summary>For <c>a.GetLength(d)</c>: the dimension; null for <c>a.Length</c> (all the elements).</summary>
    public int? Dimension { get; init; }
}

/// <summary>A new zeroed array, <c>new T[length]</c>.</summary>
internal sealed record IrNewArray(IrType Type, IrExpr Length) : IrExpr(Type)
{
    /// <summary>For <c>new T[rows, columns]</c>: the number of columns (<see cref="Length"/> is then the rows).</summary>
    public IrExpr? Columns { get; init; }

    /// <summary>
    /// The tape a pullback rents the zeroed array from instead of allocating it (it goes back to the pool with the
    /// tape, so the array must not outlive the call); null for an ordinary <c>new T[n]</c>.
    /// </summary>
    public string? Pool { get; init; }
}

/// <summary>
/// A view of <see cref="Length"/> elements of an array or span from <see cref="Start"/>: <c>a.AsSpan(start, length)</c>,
/// <c>s.Slice(start, length)</c>. Only an argument of a call: the callee reads (or, for a span parameter it writes, writes)
/// those elements, and the call's derivatives pass the same view of the sequence's adjoint and tangent.
/// </summary>
/// <param name="Type">A span or read-only span of the sequence's elements.</param>
/// <param name="Sequence">The array or span viewed.</param>
/// <param name="Start">The index of the first element viewed.</param>
/// <param name="Length">How many elements are viewed.</param>
internal sealed record IrSlice(IrType Type, IrVariable Sequence, IrExpr Start, IrExpr Length) : IrExpr(Type)
{
    /// <summary>The same elements of another sequence of the same shape (an adjoint or a tangent).</summary>
    public IrSlice Of(IrVariable other) => this with { Sequence = other, Type = Type.Kind == other.Type.Kind ? Type : other.Type.WithShape(Type.Shape) };
}

/// <summary>The elements of a sequence that a call writes: all of them, or a slice's (<see cref="Start"/> and <see cref="Length"/> set).</summary>
internal sealed record IrView(IrVariable Sequence, IrExpr? Start, IrExpr? Length);

/// <summary>A copy of an array or span's elements in a new array, <c>source.ToArray()</c>.</summary>
internal sealed record IrArrayCopy(IrType Type, IrVariable Source) : IrExpr(Type);
