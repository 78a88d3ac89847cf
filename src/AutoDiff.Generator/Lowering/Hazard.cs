using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using AutoDiff.Generator.IR;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Lowering;

internal enum HazardKind
{
    /// <summary>A cast to an integer type (ADIFF101).</summary>
    IntegerCast,

    /// <summary>Floor, Ceiling, Round, Truncate or Sign (ADIFF102).</summary>
    PiecewiseConstant,

    /// <summary>A call with no derivative (ADIFF003, ADIFF008): an error.</summary>
    CallWithoutDerivative,

    /// <summary><c>==</c> or <c>!=</c> on floating-point values (ADIFF104).</summary>
    FloatEquality,

    /// <summary>A function with points where it has no derivative (ADIFF201).</summary>
    NonDifferentiablePoint,
}

/// <summary>
/// A construct whose acceptability depends on activity, which is known only after lowering: it matters when any of
/// <see cref="Operands"/> is active. It holds where to report, so it never enters the generator's pipeline.
/// </summary>
/// <param name="Kind">What kind of problem it is.</param>
/// <param name="Operands">The values that make it a problem when any of them is differentiated.</param>
/// <param name="OperandLocations">Where each operand is written (parallel to <paramref name="Operands"/>; null where
/// it has no syntax of its own): <c>Ad.WithoutDerivative</c> around the active ones would silence the diagnostic.</param>
/// <param name="Report">Creates the diagnostic from the properties the analysis adds (the stop-derivative spans).</param>
internal sealed record Hazard(HazardKind Kind, IReadOnlyList<IrExpr> Operands, IReadOnlyList<Location?> OperandLocations,
    Func<ImmutableDictionary<string, string?>, Diagnostic> Report)
{
    /// <summary>Shown when a hazard blocks a custom pullback rule from being differentiated.</summary>
    public string Summary { get; init; } = "";

    /// <summary>
    /// For a call of another assembly's method without derivatives: the method, for the code fix that inserts a
    /// <c>[CustomDerivative]</c> forwarder with its rules (the analysis adds the forwarder's text to the properties).
    /// </summary>
    public ForwarderStub? Forwarder { get; init; }
}

/// <summary>A method of another assembly that a <c>[CustomDerivative]</c> forwarder would stand for.</summary>
/// <param name="Stub">Its name, result and parameters (no body).</param>
/// <param name="TypeName">The fully qualified type that declares it.</param>
/// <param name="MethodName">Its name.</param>
internal sealed record ForwarderStub(IrMethod Stub, string TypeName, string MethodName);
