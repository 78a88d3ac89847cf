
namespace AutoDiff.Generator.IR;

internal enum ParameterKind
{
    Value,
    Ref,
    Out,
}

internal sealed record IrParameter(string Name, IrType Type, ParameterKind Kind = ParameterKind.Value)
{
    /// <summary>Value parameters of type double or float are the ones a derivative is taken with respect to.</summary>
    public bool IsDifferentiable => Kind == ParameterKind.Value && Type.CarriesDerivative && !NoDerivative && !IsOutput;

    /// <summary>
    /// True for a <c>Span&lt;T&gt;</c> parameter the method writes: a result of a vector-valued method. Its contents
    /// on entry are treated as constants.
    /// </summary>
    public bool IsOutput { get; init; }

    /// <summary>
    /// True for an array parameter that the method writes into: index scratch of integers or booleans (the row and column
    /// lists of a determinant by minors), which carries no derivative and which callers keep and restore around the call,
    /// or a <c>double[]</c>/<c>float[]</c> input updated in place, whose derivatives are with respect to the values passed in.
    /// </summary>
    public bool IsWritten { get; init; }

    /// <summary>True for the parameters a call writes into: outputs and written arrays.</summary>
    public bool IsWrittenByCall => IsOutput || IsWritten;

    /// <summary>True for a double or float parameter the user excluded with <c>[NoDerivative]</c>.</summary>
    public bool NoDerivative { get; init; }
}

/// <summary>A whole method in IR: the user's method after lowering, or a generated derivative.</summary>
internal sealed record IrMethod(string Name, IrType ReturnType, EquatableArray<IrParameter> Parameters, IrBlock Body)
{
    /// <summary>
    /// True for a method with a vector of results: one that returns nothing and writes span parameters, or one that
    /// returns a local array (<see cref="ResultArray"/>).
    /// </summary>
    public bool IsVectorValued => ReturnType.IsVoid || ReturnType.IsSequence;

    /// <summary>For a method that returns an array: the local array it returns at its end (the return is removed).</summary>
    public string? ResultArray { get; init; }
}
