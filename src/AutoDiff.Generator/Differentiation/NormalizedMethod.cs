using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// A method in the form the differentiators work on: every local hoisted to <see cref="Locals"/>, one exit
/// (the value is left in <see cref="Result"/>), active conditional expressions turned into <c>if</c>
/// statements, and every value the reverse sweep reads held by a variable (A-normal form, applied only
/// where a derivative rule needs it).
/// </summary>
internal sealed class NormalizedMethod
{
    public NormalizedMethod(IrMethod source, IReadOnlyDictionary<string, IrType> locals, IrBlock body, IrVariable result,
        ActivityAnalysis activity, IReadOnlyDictionary<string, int> assignmentCounts)
    {
        Source = source;
        Locals = locals;
        Body = body;
        Result = result;
        Activity = activity;
        AssignmentCounts = assignmentCounts;
    }

    public IrMethod Source { get; }

    /// <summary>Every local, user's and generated, by name (in order of first appearance).</summary>
    public IReadOnlyDictionary<string, IrType> Locals { get; }

    /// <summary>Statements: <see cref="IrAssign"/>, <see cref="IrIf"/> and <see cref="IrExpressionStatement"/> only.</summary>
    public IrBlock Body { get; }

    public IrVariable Result { get; }

    public ActivityAnalysis Activity { get; }

    /// <summary>How many assignments each variable has in the text (parameters count their initial value too).</summary>
    public IReadOnlyDictionary<string, int> AssignmentCounts { get; }

    public int AssignmentCount(string name) => AssignmentCounts.TryGetValue(name, out var count) ? count : 0;

    /// <summary>True for a parameter of the method.</summary>
    public bool IsParameter(string name) => Source.Parameters.Any(p => p.Name == name);

    /// <summary>The type of a parameter or local of the method.</summary>
    public IrType TypeOf(string name) => Locals.TryGetValue(name, out var type) ? type : Source.Parameters.First(p => p.Name == name).Type;
}
