using System.Collections.Generic;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Emission;

/// <summary>
/// How <c>FJacobian</c> and <c>FHessian</c> lay parameters out in one flat index: in order, a scalar taking one
/// position, an array one per element, a <c>T[,]</c> one per element row by row.
/// </summary>
internal static class FlatLayout
{
    /// <summary>The number of positions a parameter takes, as C#.</summary>
    public static string Size(IrParameter parameter) => parameter.Type.IsSequence ? parameter.Name + ".Length" : "1";

    /// <summary>The element at a flat position <paramref name="flat"/> within the parameter, as the indices C# writes.</summary>
    public static string Position(IrParameter sequence, string flat)
        => sequence.Type.IsMatrix
            ? $"({flat}) / {sequence.Name}.GetLength(1), ({flat}) % {sequence.Name}.GetLength(1)"
            : flat;

    /// <summary>Declares each parameter's first flat position (<c>int xOffset = 0;</c> ...) and the total (<paramref name="count"/>).</summary>
    public static void WriteOffsets(SourceWriter writer, IReadOnlyList<IrParameter> parameters, IReadOnlyList<string> offsets, string count)
    {
        string next = "0";
        for (int i = 0; i < parameters.Count; i++)
        {
            writer.Line($"int {offsets[i]} = {next};");
            next = $"{offsets[i]} + {Size(parameters[i])}";
        }
        writer.Line($"int {count} = {next};");
    }

    /// <summary>
    /// A copy of what a parameter the method writes into holds on entry (<c>var yOnEntry = y.ToArray();</c>), so that each
    /// column of <c>FJacobian</c> or <c>FHessian</c> starts from it (<see cref="RestoreFromEntry"/>).
    /// </summary>
    public static string CopyOnEntry(IrParameter parameter, string entry)
        => parameter.Type.Shape == TypeShape.Array
            ? $"var {entry} = ({parameter.Type.ElementKeyword}[]){parameter.Name}.Clone();"
            : $"var {entry} = {parameter.Name}.ToArray();";

    /// <summary>Puts back what <see cref="CopyOnEntry"/> kept.</summary>
    public static string RestoreFromEntry(IrParameter parameter, string entry) => $"global::System.MemoryExtensions.AsSpan({entry}).CopyTo({parameter.Name});";

    /// <summary>A local of the parameter's shape set to zero: a scalar, or a new array as long as (or shaped like) the parameter.</summary>
    public static string ZeroedLocal(IrParameter parameter, string name)
        => parameter.Type.IsMatrix ? $"var {name} = new {parameter.Type.ElementKeyword}[{parameter.Name}.GetLength(0), {parameter.Name}.GetLength(1)];"
            : parameter.Type.IsSequence ? $"var {name} = new {parameter.Type.ElementKeyword}[{parameter.Name}.Length];"
            : $"{parameter.Type.Keyword} {name} = {CSharpWriter.Literal(Ir.Lit(parameter.Type, 0))};";
}
