using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Emission;

/// <summary>
/// Writes <c>FJacobian</c> for a vector-valued method <c>F</c>: one <c>FTangent</c> per input when there are fewer
/// inputs than outputs (a column each), otherwise one <c>FBackward</c> per output (a row each).
/// </summary>
internal static class JacobianEmitter
{
    public static void Write(SourceWriter writer, DifferentiableMethodModel model, PullbackNames names, IrMethod tangent, string generatedCodeAttribute)
    {
        var method = model.Method;
        var inputs = method.Parameters.Where(p => p.IsDifferentiable).ToList();
        var locals = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(DerivativeNaming.MethodNames(method.Name)));
        // The outputs: the span parameters written, or the array returned (held in a local named after it).
        var outputs = method.Parameters.Where(p => p.IsOutput).ToList();
        string? returned = null;
        if (method.ResultArray is not null)
        {
            returned = locals.Fresh("value");
            outputs.Add(new IrParameter(returned, method.ReturnType) { IsOutput = true });
        }
        // float outputs of double inputs (or the other way round) make a double matrix, which holds both exactly.
        var element = outputs.Concat(inputs).Any(p => p.Type.Kind == ScalarKind.Double) ? IrType.Double : outputs[0].Type.Element;
        string Fresh(string name) => locals.Fresh(name);

        var jacobian = Fresh("jacobian");
        var inputCount = Fresh("inputCount");
        var outputCount = Fresh("outputCount");
        var row = Fresh("row");
        var column = Fresh("column");
        var k = Fresh("k");
        var inputOffsets = inputs.ToDictionary(p => p.Name, p => Fresh(p.Name.TrimStart('@') + "Offset"));
        var outputOffsets = outputs.ToDictionary(p => p.Name, p => Fresh(p.Name.TrimStart('@') + "Offset"));

        writer.Line("/// <summary>");
        writer.Line($"/// The Jacobian of <see cref=\"{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.CrefKeyword))})\"/>: rows are the elements of the outputs");
        writer.Line($"/// ({string.Join(", ", outputs.Select(p => p.Name))}), columns the differentiable inputs ({string.Join(", ", inputs.Select(p => p.Name))}) flattened in order, a");
        writer.Line("/// scalar counting one column and an array one per element. Computed by forward mode when there are fewer");
        writer.Line("/// inputs than outputs, and by reverse mode otherwise.");
        writer.Line("/// </summary>");
        foreach (var parameter in method.Parameters)
        {
            var text = parameter.IsOutput ? $"Receives {method.Name}'s output; its length sets the number of rows." : $"As in {method.Name}.";
            writer.Line($"/// <param name=\"{parameter.Name}\">{text}</param>");
        }
        writer.Line("/// <returns>The outputs × inputs matrix of partial derivatives.</returns>");
        foreach (var line in generatedCodeAttribute.Split('\n')) writer.Line(line);
        var parameterList = string.Join(", ", method.Parameters.Select(p => p.Type.Keyword + " " + p.Name));
        writer.Line($"{model.Modifiers} {element.Keyword}[,] {method.Name}Jacobian({parameterList})");
        writer.OpenBrace();
        if (returned is not null)
        {
            writer.Line("// The returned array's length sets the number of rows.");
            writer.Line($"var {returned} = {method.Name}({string.Join(", ", method.Parameters.Select(p => p.Name))});");
        }

        FlatLayout.WriteOffsets(writer, inputs, inputs.Select(p => inputOffsets[p.Name]).ToList(), inputCount);
        FlatLayout.WriteOffsets(writer, outputs, outputs.Select(p => outputOffsets[p.Name]).ToList(), outputCount);
        writer.Line($"var {jacobian} = new {element.Keyword}[{outputCount}, {inputCount}];");
        // F may read its output spans before writing them (an update in place): every column or row starts from the
        // contents they had on entry, and the last leaves F's results there.
        var entries = method.Parameters.Where(p => p.IsWrittenByCall).Select(p => (Output: p, Entry: Fresh(p.Name.TrimStart('@') + "OnEntry"))).ToList();
        if (entries.Count > 0) writer.Line($"// {method.Name} may read {string.Join(" and ", entries.Select(e => e.Output.Name))} before writing: each column or row starts from the contents on entry.");
        foreach (var (output, entry) in entries) writer.Line(FlatLayout.CopyOnEntry(output, entry));
        writer.Line($"if ({inputCount} < {outputCount})");
        writer.OpenBrace();
        WriteForward(writer, method, tangent, inputs, outputs, inputOffsets, outputOffsets, jacobian, inputCount, column, row, Fresh, entries);
        writer.CloseBrace();
        writer.Line("else");
        writer.OpenBrace();
        WriteReverse(writer, method, names, inputs, outputs, inputOffsets, outputOffsets, jacobian, outputCount, row, k, Fresh, entries);
        writer.CloseBrace();
        writer.Line($"return {jacobian};");
        writer.CloseBrace();
    }

    /// <summary>Column j: the tangent of every output along the j-th unit input direction.</summary>
    private static void WriteForward(SourceWriter writer, IrMethod method, IrMethod tangent, List<IrParameter> inputs, List<IrParameter> outputs,
        Dictionary<string, string> inputOffsets, Dictionary<string, string> outputOffsets, string jacobian, string inputCount, string column, string row,
        System.Func<string, string> fresh, List<(IrParameter Output, string Entry)> entries)
    {
        writer.Line("// Forward mode: one tangent per input, a column each.");
        var tangentOf = new Dictionary<string, string>();
        var returnedOutput = outputs.FirstOrDefault(o => method.Parameters.All(p => p.Name != o.Name));
        if (returnedOutput is not null) tangentOf[returnedOutput.Name] = fresh("resultTangent");
        foreach (var parameter in method.Parameters.Where(DerivativeSignatures.HasTangent))
        {
            var name = fresh(parameter.Name.TrimStart('@') + "Tangent");
            tangentOf[parameter.Name] = name;
            if (parameter.Type.IsSequence) writer.Line(FlatLayout.ZeroedLocal(parameter, name));
        }
        writer.Line($"for (int {column} = 0; {column} < {inputCount}; {column}++)");
        writer.OpenBrace();
        foreach (var (output, entry) in entries)
        {
            // The contents on entry, and their tangent: they are constants.
            writer.Line(FlatLayout.RestoreFromEntry(output, entry));
            if (tangentOf.TryGetValue(output.Name, out var outputTangent)) writer.Line($"global::System.Array.Clear({outputTangent});");
        }
        foreach (var input in inputs)
        {
            var name = tangentOf[input.Name];
            var offset = inputOffsets[input.Name];
            if (input.Type.IsSequence)
            {
                writer.Line($"global::System.Array.Clear({name});");
                writer.Line($"if ({column} >= {offset} && {column} < {offset} + {input.Name}.Length) {name}[{FlatLayout.Position(input, $"{column} - {offset}")}] = {CSharpWriter.Literal(Ir.Lit(input.Type.Element, 1))};");
            }
            else
            {
                writer.Line($"{input.Type.Keyword} {name} = {column} == {offset} ? {CSharpWriter.Literal(Ir.Lit(input.Type, 1))} : {CSharpWriter.Literal(Ir.Lit(input.Type, 0))};");
            }
        }
        var arguments = method.Parameters.Select(p => p.Name).Concat(method.Parameters.Where(DerivativeSignatures.HasTangent).Select(p => tangentOf[p.Name]));
        if (returnedOutput is not null) arguments = arguments.Append($"out var {tangentOf[returnedOutput.Name]}");
        writer.Line($"{tangent.Name}({string.Join(", ", arguments)});");
        foreach (var output in outputs)
        {
            writer.Line($"for (int {row} = 0; {row} < {output.Name}.Length; {row}++) {jacobian}[{outputOffsets[output.Name]} + {row}, {column}] = {tangentOf[output.Name]}[{row}];");
        }
        writer.CloseBrace();
    }

    /// <summary>Row i: the adjoints of the inputs for the i-th unit seed of the outputs.</summary>
    private static void WriteReverse(SourceWriter writer, IrMethod method, PullbackNames names, List<IrParameter> inputs, List<IrParameter> outputs,
        Dictionary<string, string> inputOffsets, Dictionary<string, string> outputOffsets, string jacobian, string outputCount, string row, string k,
        System.Func<string, string> fresh, List<(IrParameter Output, string Entry)> entries)
    {
        writer.Line("// Reverse mode: one pullback per output element, a row each.");
        var seedOf = outputs.ToDictionary(p => p.Name, p => fresh(p.Name.TrimStart('@') + "Seed"));
        foreach (var output in outputs) writer.Line(FlatLayout.ZeroedLocal(output, seedOf[output.Name]));
        var adjointOf = inputs.ToDictionary(p => p.Name, p => fresh(names.AdjointOf(p.Name)));
        foreach (var input in inputs.Where(p => p.Type.IsSequence)) writer.Line(FlatLayout.ZeroedLocal(input, adjointOf[input.Name]));
        writer.Line($"for (int {row} = 0; {row} < {outputCount}; {row}++)");
        writer.OpenBrace();
        foreach (var (output, entry) in entries) writer.Line(FlatLayout.RestoreFromEntry(output, entry));
        foreach (var output in outputs)
        {
            var seed = seedOf[output.Name];
            var offset = outputOffsets[output.Name];
            writer.Line($"global::System.Array.Clear({seed});");
            writer.Line($"if ({row} >= {offset} && {row} < {offset} + {output.Name}.Length) {seed}[{row} - {offset}] = {CSharpWriter.Literal(Ir.Lit(output.Type.Element, 1))};");
        }
        foreach (var input in inputs)
        {
            writer.Line(input.Type.IsSequence
                ? $"global::System.Array.Clear({adjointOf[input.Name]});"
                : FlatLayout.ZeroedLocal(input, adjointOf[input.Name]));
        }
        // The seeds follow the parameters: the output spans' in order, then the returned array's.
        var arguments = method.Parameters.Select(p => p.Name)
            .Concat(outputs.Select(p => seedOf[p.Name]))
            .Concat(inputs.Select(p => (p.Type.IsSequence ? "" : "ref ") + adjointOf[p.Name]));
        writer.Line($"{method.Name}{DerivativeKind.Backward.Suffix()}({string.Join(", ", arguments)});");
        foreach (var input in inputs)
        {
            var offset = inputOffsets[input.Name];
            writer.Line(input.Type.IsSequence
                ? $"for (int {k} = 0; {k} < {input.Name}.Length; {k}++) {jacobian}[{row}, {offset} + {k}] = {adjointOf[input.Name]}[{FlatLayout.Position(input, k)}];"
                : $"{jacobian}[{row}, {offset}] = {adjointOf[input.Name]};");
        }
        writer.CloseBrace();
    }
}
