using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Lowering;

internal enum HazardKind
{
    /// <summary>A cast to an integer type; a problem when its operand is active.</summary>
    IntegerCast,

    /// <summary>Floor, Ceiling, Round, Truncate or Sign; a problem when an argument is active.</summary>
    PiecewiseConstant,

    /// <summary>A call with no derivative; an error when an argument is active.</summary>
    CallWithoutDerivative,
}

/// <summary>
/// A construct whose acceptability depends on activity, which is known only after lowering: it matters
/// when any of <paramref name="Operands"/> is active. Holds where to report, so it never enters the
/// generator's pipeline.
/// </summary>
internal sealed record Hazard(HazardKind Kind, EquatableArray<IrExpr> Operands, Location Location, string Display, string Detail);
