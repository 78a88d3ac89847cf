namespace AutoDiff.Generator.IR;

/// <summary>The scalar element types the IR knows.</summary>
internal enum ScalarKind
{
    Double,
    Single,
    Int32,
    Int64,
    Boolean,

    /// <summary>No value: the return type of a method that writes its results into span parameters.</summary>
    Void,
}

/// <summary>How values of an <see cref="IrType"/> are laid out.</summary>
internal enum TypeShape
{
    /// <summary>One value.</summary>
    Scalar,

    /// <summary>A one-dimensional array, <c>T[]</c>.</summary>
    Array,

    /// <summary><c>Span&lt;T&gt;</c>: a writable view (adjoints and tangents of arrays are passed as spans).</summary>
    Span,

    /// <summary><c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    ReadOnlySpan,

    /// <summary>A rectangular two-dimensional array, <c>T[,]</c>.</summary>
    Matrix,
}

/// <summary>The type of an IR value: an element kind and a shape.</summary>
internal sealed record IrType(ScalarKind Kind, TypeShape Shape = TypeShape.Scalar)
{
    public static readonly IrType Double = new(ScalarKind.Double);
    public static readonly IrType Single = new(ScalarKind.Single);
    public static readonly IrType Int32 = new(ScalarKind.Int32);
    public static readonly IrType Int64 = new(ScalarKind.Int64);
    public static readonly IrType Boolean = new(ScalarKind.Boolean);
    public static readonly IrType Void = new(ScalarKind.Void);

    public bool IsVoid => Kind == ScalarKind.Void;

    /// <summary>True for <c>double</c> and <c>float</c>: the only scalars that carry derivatives.</summary>
    public bool IsFloatingPoint => Shape == TypeShape.Scalar && Kind is ScalarKind.Double or ScalarKind.Single;

    public bool IsInteger => Shape == TypeShape.Scalar && Kind is ScalarKind.Int32 or ScalarKind.Int64;

    /// <summary>True for arrays and spans.</summary>
    public bool IsSequence => Shape != TypeShape.Scalar;

    /// <summary>True for arrays and spans of <c>double</c> or <c>float</c>, which carry a derivative per element.</summary>
    public bool IsFloatingPointSequence => IsSequence && Kind is ScalarKind.Double or ScalarKind.Single;

    /// <summary>True for the types that carry derivatives: floating-point scalars and sequences of them.</summary>
    public bool CarriesDerivative => IsFloatingPoint || IsFloatingPointSequence;

    /// <summary>The type of one element (the type itself for a scalar).</summary>
    public IrType Element => Shape == TypeShape.Scalar ? this : new IrType(Kind);

    public bool IsMatrix => Shape == TypeShape.Matrix;

    /// <summary>The same element type in another shape.</summary>
    public IrType WithShape(TypeShape shape) => new(Kind, shape);

    /// <summary>The C# keyword of the element type.</summary>
    public string ElementKeyword => Kind switch
    {
        ScalarKind.Double => "double",
        ScalarKind.Single => "float",
        ScalarKind.Int32 => "int",
        ScalarKind.Int64 => "long",
        ScalarKind.Void => "void",
        _ => "bool",
    };

    /// <summary>The type as C# source writes it.</summary>
    public string Keyword => Shape switch
    {
        TypeShape.Array => ElementKeyword + "[]",
        TypeShape.Matrix => ElementKeyword + "[,]",
        TypeShape.Span => $"global::System.Span<{ElementKeyword}>",
        TypeShape.ReadOnlySpan => $"global::System.ReadOnlySpan<{ElementKeyword}>",
        _ => ElementKeyword,
    };

    /// <summary>The type as a <c>cref</c> writes it.</summary>
    public string CrefKeyword => Shape switch
    {
        TypeShape.Array => ElementKeyword + "[]",
        TypeShape.Matrix => ElementKeyword + "[,]",
        TypeShape.Span => $"System.Span{{{ElementKeyword}}}",
        TypeShape.ReadOnlySpan => $"System.ReadOnlySpan{{{ElementKeyword}}}",
        _ => ElementKeyword,
    };

    public override string ToString() => Keyword;
}
