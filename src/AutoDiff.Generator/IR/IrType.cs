namespace AutoDiff.Generator.IR;

/// <summary>The scalar element types the IR knows.</summary>
internal enum ScalarKind
{
    Double,
    Single,
    Int32,
    Int64,
    Boolean,
}

/// <summary>
/// How values of an <see cref="IrType"/> are laid out. Only <see cref="Scalar"/> exists today; arrays and
/// spans add members here, so that every pass already switches on the shape.
/// </summary>
internal enum TypeShape
{
    Scalar,
}

/// <summary>The type of an IR value: an element kind and a shape.</summary>
internal sealed record IrType(ScalarKind Kind, TypeShape Shape = TypeShape.Scalar)
{
    public static readonly IrType Double = new(ScalarKind.Double);
    public static readonly IrType Single = new(ScalarKind.Single);
    public static readonly IrType Int32 = new(ScalarKind.Int32);
    public static readonly IrType Int64 = new(ScalarKind.Int64);
    public static readonly IrType Boolean = new(ScalarKind.Boolean);

    /// <summary>True for <c>double</c> and <c>float</c>: the only types that carry derivatives.</summary>
    public bool IsFloatingPoint => Shape == TypeShape.Scalar && Kind is ScalarKind.Double or ScalarKind.Single;

    public bool IsInteger => Shape == TypeShape.Scalar && Kind is ScalarKind.Int32 or ScalarKind.Int64;

    /// <summary>The C# keyword for the type.</summary>
    public string Keyword => Kind switch
    {
        ScalarKind.Double => "double",
        ScalarKind.Single => "float",
        ScalarKind.Int32 => "int",
        ScalarKind.Int64 => "long",
        _ => "bool",
    };

    public override string ToString() => Keyword;
}
