using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.IR;

internal enum ParameterKind
{
    Value,
    Ref,
}

internal sealed record IrParameter(string Name, IrType Type, ParameterKind Kind = ParameterKind.Value)
{
    /// <summary>Value parameters of type double or float are the ones a derivative is taken with respect to.</summary>
    public bool IsDifferentiable => Kind == ParameterKind.Value && Type.IsFloatingPoint;
}

/// <summary>A whole method in IR: the user's method after lowering, or a generated derivative.</summary>
internal sealed record IrMethod(string Name, IrType ReturnType, EquatableArray<IrParameter> Parameters, IrBlock Body);
