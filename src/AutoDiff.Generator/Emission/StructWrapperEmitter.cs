using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Emission;

/// <summary>
/// For a method <c>F</c> that takes structs: the scalarised <c>FScalarized</c> (which the other generated methods and
/// callers' derivatives use), and the derivatives the user calls, with the user's struct types: <c>FBackward</c>,
/// <c>FGradient</c>, <c>FTangent</c>, <c>FHessianVector</c> and <c>FHessian</c>. Each one reads the structs' numbers,
/// calls the scalarised derivative, and builds the struct results (a struct's derivative is a value of the same struct).
/// </summary>
internal static class StructWrapperEmitter
{
    private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    /// <param name="writer">Where the code goes.</param>
    /// <param name="model">The method (its <see cref="DifferentiableMethodModel.Method"/> is the scalarised form).</param>
    /// <param name="backwardTangent">The scalarised <c>FBackwardTangent</c>, or null without second order (then no
    /// <c>FHessianVector</c> or <c>FHessian</c>).</param>
    /// <param name="generatedCode">The GeneratedCode attribute.</param>
    /// <param name="hidden">The attribute that hides a method from IntelliSense.</param>
    public static void Write(SourceWriter writer, DifferentiableMethodModel model, IrMethod? backwardTangent, string generatedCode, string hidden)
    {
        var shape = new Shape(model);
        WritePrimal(writer, model, generatedCode, hidden);
        writer.Line();
        WriteBackward(writer, shape, generatedCode);
        writer.Line();
        WriteGradient(writer, shape, generatedCode);
        writer.Line();
        WriteTangent(writer, shape, generatedCode);
        writer.Line();
        WriteTangentTuple(writer, shape, generatedCode);
        if (backwardTangent is null) return;
        writer.Line();
        WriteHessianVector(writer, shape, backwardTangent, generatedCode);
        writer.Line();
        WriteHessian(writer, shape, generatedCode);
    }

    /// <summary>
    /// For a method <c>F</c> that returns a struct: <c>FScalarized</c> (vector-valued, writing the struct's numbers into its
    /// last parameter), and the user's <c>FBackward</c> (seeded with a value of the struct), <c>FTangent</c> (the struct
    /// and its tangent, a value of the struct) and <c>FJacobian</c> (one row per number of the struct).
    /// </summary>
    public static void WriteVectorValued(SourceWriter writer, DifferentiableMethodModel model, string generatedCode, string hidden)
    {
        var shape = new Shape(model);
        var result = model.ReturnStruct!;
        var element = result.Leaves[0].Type.Keyword;
        int n = result.Leaves.Count;
        var structName = result.FullName;
        string Build(string span) => result.Construct(Enumerable.Range(0, n).Select(i => $"{span}[{i}]").ToList());
        WritePrimal(writer, model, generatedCode, hidden);
        writer.Line();

        var locals = shape.Locals.Clone();
        var value = locals.Fresh("_value");
        var seed = locals.Fresh("_seed");
        var leafAdjoints = new Dictionary<string, string>();
        writer.Line("/// <summary>");
        writer.Line($"/// Pullback (reverse-mode derivative) of <see cref=\"{shape.Cref}\"/>: runs {shape.Name}, then adds the");
        writer.Line($"/// vector-Jacobian product of <paramref name=\"{shape.Seed}\"/> (a value of {result.DisplayName}: the adjoint of each of the result's");
        writer.Line($"/// fields) into the adjoint of each differentiable parameter ({shape.NameList}).");
        writer.Line("/// </summary>");
        writer.Line("/// <remarks>Adjoints accumulate: set them to zero (default) before the first call.</remarks>");
        foreach (var p in shape.Parameters.Where(p => !p.IsThis)) writer.Line($"/// <param name=\"{p.Name}\">As in {shape.Name}.</param>");
        writer.Line($"/// <param name=\"{shape.Seed}\">The adjoint of {shape.Name}'s result.</param>");
        foreach (var p in shape.Differentiable) writer.Line($"/// <param name=\"{shape.Adjoints[p.Name]}\">Accumulates the seed's vector-Jacobian product with respect to {p.Name}.</param>");
        writer.Line($"/// <returns>The value of {shape.Name}.</returns>");
        writer.Line(generatedCode);
        var adjointParameters = shape.Differentiable.Select(p => shape.AdjointParameterType(p) + " " + shape.Adjoints[p.Name]);
        writer.Line($"{shape.Modifiers} {structName} {shape.Name}{DerivativeKind.Backward.Suffix()}({shape.ParameterListWith(new[] { structName + " " + shape.Seed }.Concat(adjointParameters))})");
        writer.OpenBrace();
        writer.Line($"global::System.Span<{element}> {value} = stackalloc {element}[{n}];");
        writer.Line($"global::System.ReadOnlySpan<{element}> {seed} = stackalloc {element}[] {{ {string.Join(", ", result.Leaves.Select(l => $"{shape.Seed}.{l.Path}"))} }};");
        var arguments = shape.FlatInputs().Append(value).Append(seed).ToList();
        arguments.AddRange(AdjointArguments(writer, shape, locals, leafAdjoints));
        writer.Line($"{shape.Flat.Name}{DerivativeKind.Backward.Suffix()}({string.Join(", ", arguments)});");
        PackAdjoints(writer, shape, leafAdjoints);
        writer.Line($"return {Build(value)};");
        writer.CloseBrace();
        writer.Line();

        locals = shape.Locals.Clone();
        value = locals.Fresh("_value");
        var tangent = locals.Fresh("_tangent");
        writer.Line("/// <summary>");
        writer.Line($"/// Forward-mode derivative of <see cref=\"{shape.Cref}\"/>: its value, and its directional derivative along the");
        writer.Line($"/// tangents of {shape.NameList} (a Jacobian-vector product), both values of {result.DisplayName}.");
        writer.Line("/// </summary>");
        WriteTangentDocs(writer, shape);
        writer.Line($"/// <returns>{shape.Name}'s value and its directional derivative.</returns>");
        writer.Line(generatedCode);
        var tangents = shape.Differentiable.Select(p => shape.TangentType(p) + " " + shape.Tangents[p.Name]);
        writer.Line($"{shape.Modifiers} ({structName} Value, {structName} Tangent) {shape.Name}{DerivativeKind.Tangent.Suffix()}({shape.ParameterListWith(tangents)})");
        writer.OpenBrace();
        writer.Line($"global::System.Span<{element}> {value} = stackalloc {element}[{n}];");
        writer.Line($"global::System.Span<{element}> {tangent} = stackalloc {element}[{n}];");
        var tangentArguments = shape.FlatInputs().Append(value).Concat(FlatTangents(shape, shape.Tangents)).Append(tangent);
        writer.Line($"{shape.Flat.Name}{DerivativeKind.Tangent.Suffix()}({string.Join(", ", tangentArguments)});");
        writer.Line($"return ({Build(value)}, {Build(tangent)});");
        writer.CloseBrace();
        writer.Line();

        writer.Line("/// <summary>");
        writer.Line($"/// The Jacobian of <see cref=\"{shape.Cref}\"/>: one row per field of the result ({string.Join(", ", result.Leaves.Select(l => l.Path))}),");
        writer.Line($"/// one column per differentiable number of {shape.NameList} (a struct's fields in order).");
        writer.Line("/// </summary>");
        foreach (var p in shape.Parameters.Where(p => !p.IsThis)) writer.Line($"/// <param name=\"{p.Name}\">As in {shape.Name}.</param>");
        writer.Line("/// <returns>The matrix of partial derivatives.</returns>");
        writer.Line(generatedCode);
        var matrixElement = result.Leaves[0].Type.Kind == ScalarKind.Double || shape.Flat.Parameters.Any(p => p.IsDifferentiable && p.Type.Kind == ScalarKind.Double) ? "double" : "float";
        writer.Line($"{shape.Modifiers} {matrixElement}[,] {shape.Name}Jacobian({shape.UserParameterList})");
        writer.Line($"    => {shape.Flat.Name}Jacobian({string.Join(", ", shape.FlatInputs().Append($"new {element}[{n}]"))});");
    }

    /// <summary>The scalarised pullback's adjoint arguments: a local per number of a struct (declared here), flat spans, the rest as they are.</summary>
    private static IEnumerable<string> AdjointArguments(SourceWriter writer, Shape shape, NameAllocator locals, Dictionary<string, string> leafAdjoints)
    {
        var arguments = new List<string>();
        foreach (var p in shape.Differentiable)
        {
            var adjoint = shape.Adjoints[p.Name];
            if (p.Struct is { } model && !p.IsArray)
            {
                for (int i = 0; i < model.Leaves.Count; i++)
                {
                    if (!shape.FlatParameter(p.Flat[i]).IsDifferentiable) continue;
                    var local = locals.Fresh("_" + adjoint + "_" + model.Leaves[i].Path.Replace(".", "_").Replace("@", ""));
                    leafAdjoints[p.Flat[i]] = local;
                    writer.Line($"{model.Leaves[i].Type.Keyword} {local} = {CSharpWriter.Literal(Ir.Lit(model.Leaves[i].Type, 0))};");
                    arguments.Add("ref " + local);
                }
            }
            else if (p.Struct is not null)
            {
                arguments.Add(shape.WritableFlat(p, adjoint));
            }
            else
            {
                arguments.Add((shape.FlatParameter(p.Flat[0]).Type.IsSequence ? "" : "ref ") + adjoint);
            }
        }
        return arguments;
    }

    /// <summary>Adds each struct's accumulated numbers into its struct adjoint.</summary>
    private static void PackAdjoints(SourceWriter writer, Shape shape, Dictionary<string, string> leafAdjoints)
    {
        foreach (var p in shape.Differentiable.Where(p => p.Struct is not null && !p.IsArray))
        {
            var adjoint = shape.Adjoints[p.Name];
            var leaves = p.Struct!.Leaves.Select((leaf, i) => leafAdjoints.TryGetValue(p.Flat[i], out var local)
                ? $"{adjoint}.{leaf.Path} + {local}"
                : $"{adjoint}.{leaf.Path}").ToList();
            writer.Line($"{adjoint} = {p.Struct.Construct(leaves)};");
        }
    }

    /// <summary>The names and types every wrapper shares.</summary>
    private sealed class Shape
    {
        public Shape(DifferentiableMethodModel model)
        {
            Model = model;
            Flat = model.Method;
            Name = model.UserName.TrimStart('@');
            Parameters = model.Boundary.ToList();
            var flatByName = Flat.Parameters.ToDictionary(p => p.Name);
            Differentiable = Parameters.Where(p => p.Flat.Any(f => flatByName[f].IsDifferentiable)).ToList();
            var names = new NameAllocator(Parameters.Select(p => p.Name).Concat(DerivativeNaming.MethodNames(Name)).Append(Flat.Name));
            Seed = names.Fresh("seed");
            Adjoints = Differentiable.ToDictionary(p => p.Name, p => names.Fresh(DerivativeNaming.AdjointName(p.Name)));
            Tangents = Differentiable.ToDictionary(p => p.Name, p => names.Fresh(DerivativeSignatures.TangentParameterName(p.Name)));
            Directions = Differentiable.ToDictionary(p => p.Name, p => names.Fresh("v" + DerivativeNaming.AdjointName(p.Name).Substring(1)));
            Locals = names;
        }

        public DifferentiableMethodModel Model { get; }

        public IrMethod Flat { get; }

        public string Name { get; }

        public List<BoundaryParameter> Parameters { get; }

        public List<BoundaryParameter> Differentiable { get; }

        public string Seed { get; }

        public Dictionary<string, string> Adjoints { get; }

        public Dictionary<string, string> Tangents { get; }

        public Dictionary<string, string> Directions { get; }

        public NameAllocator Locals { get; }

        public string ReturnType => Flat.ReturnType.Keyword;

        public IrParameter FlatParameter(string name) => Flat.Parameters.First(p => p.Name == name);

        public string UserParameterList => string.Join(", ", UserParameters);

        /// <summary>The user's parameters as C# declares them (<c>this</c> is implicit).</summary>
        public IEnumerable<string> UserParameters => Parameters.Where(p => !p.IsThis).Select(p => p.TypeKeyword + " " + p.Name);

        /// <summary>A parameter list: the user's parameters, then <paramref name="more"/> (an instance method may have none of the first).</summary>
        public string ParameterListWith(IEnumerable<string> more) => string.Join(", ", UserParameters.Concat(more));

        /// <summary>The user's arguments, as a wrapper passes them on to another wrapper (<c>this</c> is implicit).</summary>
        public IEnumerable<string> UserArguments => Parameters.Where(p => !p.IsThis).Select(p => p.Name);

        /// <summary>The wrappers' modifiers: those of an instance method for an instance method of a struct.</summary>
        public string Modifiers => Model.HasStructThis ? Model.Accessibility : Model.Modifiers;

        public string Cref => $"{Model.UserName}({string.Join(", ", Parameters.Where(p => !p.IsThis).Select(p => p.TypeKeyword.Replace("global::", "").Replace("<", "{").Replace(">", "}")))})";

        public string NameList => string.Join(", ", Differentiable.Select(p => p.Name));

        /// <summary>The element type of an array of structs, as C# writes it.</summary>
        public static string ElementKeyword(BoundaryParameter p) => p.Struct!.FullName;

        public static string LeafKeyword(BoundaryParameter p) => p.Struct!.Leaves[0].Type.Keyword;

        /// <summary>The scalarised method's arguments for the user's parameters: each struct's numbers, each array of structs as a flat span.</summary>
        public IEnumerable<string> FlatInputs()
        {
            foreach (var p in Parameters)
            {
                if (p.Struct is not { } model) yield return p.Name;
                else if (p.IsArray) yield return ReadOnlyFlat(p, p.Name);
                else foreach (var leaf in model.Leaves) yield return p.Name + "." + leaf.Path;
            }
        }

        /// <summary>An array or read-only span of structs viewed as a read-only span of their numbers.</summary>
        public string ReadOnlyFlat(BoundaryParameter p, string expression)
            => p.TypeKeyword.Contains("ReadOnlySpan") || expression != p.Name
                ? $"{MemoryMarshal}.Cast<{ElementKeyword(p)}, {LeafKeyword(p)}>({expression})"
                : $"{MemoryMarshal}.Cast<{ElementKeyword(p)}, {LeafKeyword(p)}>(new global::System.ReadOnlySpan<{ElementKeyword(p)}>({expression}))";

        public string WritableFlat(BoundaryParameter p, string expression) => $"{MemoryMarshal}.Cast<{ElementKeyword(p)}, {LeafKeyword(p)}>({expression})";

        /// <summary>The type of a parameter's adjoint in FBackward.</summary>
        public string AdjointParameterType(BoundaryParameter p)
        {
            if (p.Struct is not null) return p.IsArray ? $"global::System.Span<{ElementKeyword(p)}>" : "ref " + p.TypeKeyword;
            var flat = FlatParameter(p.Flat[0]);
            return (flat.Type.IsSequence ? "" : "ref ") + DerivativeSignatures.AdjointParameter("", flat.Type).Type.Keyword;
        }

        /// <summary>The type of a parameter's derivative in results (FGradient, FHessianVector).</summary>
        public string ResultType(BoundaryParameter p)
        {
            if (p.Struct is not null) return p.IsArray ? ElementKeyword(p) + "[]" : p.TypeKeyword;
            var flat = FlatParameter(p.Flat[0]).Type;
            return flat.IsSequence && !flat.IsMatrix ? flat.WithShape(TypeShape.Array).Keyword : flat.Keyword;
        }

        /// <summary>The type of a parameter's tangent or direction (FTangent, FHessianVector).</summary>
        public string TangentType(BoundaryParameter p)
        {
            if (p.Struct is not null) return p.IsArray ? $"global::System.ReadOnlySpan<{ElementKeyword(p)}>" : p.TypeKeyword;
            var flat = FlatParameter(p.Flat[0]);
            return DerivativeSignatures.TangentParameter("", flat, written: false).Type.Keyword;
        }

        /// <summary>A zeroed value of a parameter's result type.</summary>
        public string Zeroed(BoundaryParameter p)
        {
            if (p.Struct is not null) return p.IsArray ? $"new {ElementKeyword(p)}[{p.Name}.Length]" : "default";
            var flat = FlatParameter(p.Flat[0]);
            return flat.Type.IsMatrix ? $"new {flat.Type.ElementKeyword}[{p.Name}.GetLength(0), {p.Name}.GetLength(1)]"
                : flat.Type.IsSequence ? $"new {flat.Type.ElementKeyword}[{p.Name}.Length]"
                : CSharpWriter.Literal(Ir.Lit(flat.Type, 0));
        }

        public string Literal(double value) => CSharpWriter.Literal(Ir.Lit(Flat.ReturnType, value));
    }

    private static void WritePrimal(SourceWriter writer, DifferentiableMethodModel model, string generatedCode, string hidden)
    {
        var method = model.Method;
        writer.Line("/// <summary>");
        writer.Line($"/// {model.UserName.TrimStart('@')} with its structs scalarised (one parameter per number, an array of structs as a flat span): the");
        writer.Line("/// form the generated derivatives are taken of, and which the derivatives of callers call.");
        writer.Line("/// </summary>");
        writer.Line(hidden);
        writer.Line(generatedCode);
        var parameters = string.Join(", ", method.Parameters.Select(p => p.Type.Keyword + " " + p.Name));
        writer.Line($"{model.Modifiers} {method.ReturnType.Keyword} {method.Name}({parameters})");
        writer.OpenBrace();
        writer.WithLineMapping(() => CSharpWriter.WriteBlock(writer, method.Body));
        writer.CloseBrace();
    }

    private static void WriteBackward(SourceWriter writer, Shape shape, string generatedCode)
    {
        var locals = shape.Locals.Clone();
        var leafAdjoints = new Dictionary<string, string>();
        writer.Line("/// <summary>");
        writer.Line($"/// Pullback (reverse-mode derivative) of <see cref=\"{shape.Cref}\"/>: runs {shape.Name}, then adds");
        writer.Line($"/// <paramref name=\"{shape.Seed}\"/> × ∂{shape.Name}/∂p into the adjoint of each differentiable parameter p ({shape.NameList}).");
        writer.Line("/// A struct's adjoint is a value of the same struct: one derivative per field.");
        writer.Line("/// </summary>");
        writer.Line("/// <remarks>Adjoints accumulate: set them to zero (default) before the first call.</remarks>");
        foreach (var p in shape.Parameters.Where(p => !p.IsThis)) writer.Line($"/// <param name=\"{p.Name}\">As in {shape.Name}.</param>");
        writer.Line($"/// <param name=\"{shape.Seed}\">The adjoint of {shape.Name}'s result: 1 for the gradient, or an outer derivative when chaining.</param>");
        foreach (var p in shape.Differentiable) writer.Line($"/// <param name=\"{shape.Adjoints[p.Name]}\">Accumulates {shape.Seed} × ∂{shape.Name}/∂{p.Name}.</param>");
        writer.Line($"/// <returns>The value of {shape.Name}.</returns>");
        writer.Line(generatedCode);
        var adjointParameters = shape.Differentiable.Select(p => shape.AdjointParameterType(p) + " " + shape.Adjoints[p.Name]);
        writer.Line($"{shape.Modifiers} {shape.ReturnType} {shape.Name}{DerivativeKind.Backward.Suffix()}({shape.ParameterListWith(new[] { shape.ReturnType + " " + shape.Seed }.Concat(adjointParameters))})");
        writer.OpenBrace();
        var arguments = shape.FlatInputs().Append(shape.Seed).ToList();
        arguments.AddRange(AdjointArguments(writer, shape, locals, leafAdjoints));
        var value = locals.Fresh("value");
        writer.Line($"{shape.ReturnType} {value} = {shape.Flat.Name}{DerivativeKind.Backward.Suffix()}({string.Join(", ", arguments)});");
        PackAdjoints(writer, shape, leafAdjoints);
        writer.Line($"return {value};");
        writer.CloseBrace();
    }

    private static void WriteGradient(SourceWriter writer, Shape shape, string generatedCode)
    {
        var locals = shape.Locals.Clone();
        var value = locals.Fresh("value");
        var tuple = $"({shape.ReturnType} Value, {string.Join(", ", shape.Differentiable.Select(p => shape.ResultType(p) + " " + shape.Adjoints[p.Name]))})";
        writer.Line("/// <summary>");
        writer.Line($"/// The value of <see cref=\"{shape.Cref}\"/> and its gradient with respect to {shape.NameList}, by reverse mode.");
        writer.Line("/// The derivative with respect to a struct is a value of the same struct (its fields hold the partial derivatives).");
        writer.Line("/// </summary>");
        foreach (var p in shape.Parameters.Where(p => !p.IsThis)) writer.Line($"/// <param name=\"{p.Name}\">As in {shape.Name}.</param>");
        writer.Line($"/// <returns>{shape.Name}'s value and, for each differentiable parameter p, ∂{shape.Name}/∂p.</returns>");
        writer.Line(generatedCode);
        writer.Line($"{shape.Modifiers} {tuple} {shape.Name}{DerivativeKind.Gradient.Suffix()}({shape.UserParameterList})");
        writer.OpenBrace();
        foreach (var p in shape.Differentiable) writer.Line($"{shape.ResultType(p)} {shape.Adjoints[p.Name]} = {shape.Zeroed(p)};");
        var arguments = shape.UserArguments.Append(shape.Literal(1))
            .Concat(shape.Differentiable.Select(p => (shape.AdjointParameterType(p).StartsWith("ref ") ? "ref " : "") + shape.Adjoints[p.Name]));
        writer.Line($"{shape.ReturnType} {value} = {shape.Name}{DerivativeKind.Backward.Suffix()}({string.Join(", ", arguments)});");
        writer.Line($"return ({value}, {string.Join(", ", shape.Differentiable.Select(p => shape.Adjoints[p.Name]))});");
        writer.CloseBrace();
    }

    /// <summary>The scalarised method's tangent arguments (or directions) for the user's tangents: each struct's numbers, each array of structs flat.</summary>
    private static IEnumerable<string> FlatTangents(Shape shape, Dictionary<string, string> names)
    {
        foreach (var p in shape.Differentiable)
        {
            var name = names[p.Name];
            if (p.Struct is { } model && !p.IsArray)
            {
                for (int i = 0; i < model.Leaves.Count; i++)
                {
                    if (DerivativeSignatures.HasTangent(shape.FlatParameter(p.Flat[i]))) yield return name + "." + model.Leaves[i].Path;
                }
            }
            else if (p.Struct is not null) yield return shape.ReadOnlyFlat(p, name);
            else yield return name;
        }
    }

    private static void WriteTangentDocs(SourceWriter writer, Shape shape)
    {
        foreach (var p in shape.Parameters.Where(p => !p.IsThis)) writer.Line($"/// <param name=\"{p.Name}\">As in {shape.Name}.</param>");
        foreach (var p in shape.Differentiable) writer.Line($"/// <param name=\"{shape.Tangents[p.Name]}\">The tangent (direction) of {p.Name}{(p.Struct is not null && !p.IsArray ? ", a value of the same struct" : "")}.</param>");
    }

    private static void WriteTangent(SourceWriter writer, Shape shape, string generatedCode)
    {
        var locals = shape.Locals.Clone();
        var result = locals.Fresh("resultTangent");
        writer.Line("/// <summary>");
        writer.Line($"/// Forward-mode derivative of <see cref=\"{shape.Cref}\"/>: its value, and in <paramref name=\"{result}\"/>");
        writer.Line($"/// the directional derivative Σ ∂{shape.Name}/∂p · pTangent over the differentiable parameters p ({shape.NameList}).");
        writer.Line("/// </summary>");
        WriteTangentDocs(writer, shape);
        writer.Line($"/// <param name=\"{result}\">Receives the directional derivative of the result.</param>");
        writer.Line($"/// <returns>The value of {shape.Name}.</returns>");
        writer.Line(generatedCode);
        var tangents = shape.Differentiable.Select(p => shape.TangentType(p) + " " + shape.Tangents[p.Name]);
        writer.Line($"{shape.Modifiers} {shape.ReturnType} {shape.Name}{DerivativeKind.Tangent.Suffix()}({shape.ParameterListWith(tangents.Append($"out {shape.ReturnType} {result}"))})");
        writer.OpenBrace();
        var arguments = shape.FlatInputs().Concat(FlatTangents(shape, shape.Tangents)).Append("out " + result);
        writer.Line($"return {shape.Flat.Name}{DerivativeKind.Tangent.Suffix()}({string.Join(", ", arguments)});");
        writer.CloseBrace();
    }

    private static void WriteTangentTuple(SourceWriter writer, Shape shape, string generatedCode)
    {
        var locals = shape.Locals.Clone();
        var value = locals.Fresh("value");
        var tangent = locals.Fresh("tangent");
        writer.Line("/// <summary>");
        writer.Line($"/// The value of <see cref=\"{shape.Cref}\"/> and its directional derivative along the given tangents of");
        writer.Line($"/// {shape.NameList} (a Jacobian-vector product), by forward mode.");
        writer.Line("/// </summary>");
        WriteTangentDocs(writer, shape);
        writer.Line($"/// <returns>{shape.Name}'s value and its directional derivative.</returns>");
        writer.Line(generatedCode);
        var tangents = shape.Differentiable.Select(p => shape.TangentType(p) + " " + shape.Tangents[p.Name]);
        writer.Line($"{shape.Modifiers} ({shape.ReturnType} Value, {shape.ReturnType} Tangent) {shape.Name}{DerivativeKind.Tangent.Suffix()}({shape.ParameterListWith(tangents)})");
        writer.OpenBrace();
        var arguments = shape.UserArguments.Concat(shape.Differentiable.Select(p => shape.Tangents[p.Name]));
        writer.Line($"{shape.ReturnType} {value} = {shape.Name}{DerivativeKind.Tangent.Suffix()}({string.Join(", ", arguments)}, out {shape.ReturnType} {tangent});");
        writer.Line($"return ({value}, {tangent});");
        writer.CloseBrace();
    }

    private static void WriteHessianVector(SourceWriter writer, Shape shape, IrMethod backwardTangent, string generatedCode)
    {
        var locals = shape.Locals.Clone();
        bool single = shape.Differentiable.Count == 1;
        var returnType = single ? shape.ResultType(shape.Differentiable[0])
            : "(" + string.Join(", ", shape.Differentiable.Select(p => shape.ResultType(p) + " " + shape.Adjoints[p.Name])) + ")";
        writer.Line("/// <summary>");
        writer.Line($"/// The Hessian-vector product H·v of <see cref=\"{shape.Cref}\"/> with respect to {shape.NameList}, by forward");
        writer.Line("/// mode over the reverse-mode pullback. The component of v and of H·v for a struct is a value of the same struct.");
        writer.Line("/// </summary>");
        foreach (var p in shape.Parameters.Where(p => !p.IsThis)) writer.Line($"/// <param name=\"{p.Name}\">As in {shape.Name}.</param>");
        foreach (var p in shape.Differentiable) writer.Line($"/// <param name=\"{shape.Directions[p.Name]}\">The component of v along {p.Name}.</param>");
        writer.Line($"/// <returns>H·v: for each differentiable parameter p, Σ_q ∂²{shape.Name}/∂p∂q · v_q.</returns>");
        writer.Line(generatedCode);
        var directions = shape.Differentiable.Select(p => shape.TangentType(p) + " " + shape.Directions[p.Name]);
        writer.Line($"{shape.Modifiers} {returnType} {shape.Name}HessianVector({shape.ParameterListWith(directions)})");
        writer.OpenBrace();
        // One gradient and one product buffer per scalarised differentiable parameter, in the scalarised order.
        var gradients = new List<string>();
        var products = new List<string>();
        var productOf = new Dictionary<string, string>();
        foreach (var flat in shape.Flat.Parameters.Where(p => p.IsDifferentiable))
        {
            var gradient = locals.Fresh("_gradient_" + NameAllocator.Unescaped(flat.Name));
            var product = locals.Fresh("_hv_" + NameAllocator.Unescaped(flat.Name));
            var owner = shape.Parameters.First(p => p.Flat.Contains(flat.Name));
            string zero = flat.Type.IsMatrix ? $"new {flat.Type.ElementKeyword}[{owner.Name}.GetLength(0), {owner.Name}.GetLength(1)]"
                : flat.Type.IsSequence ? $"new {flat.Type.ElementKeyword}[{(owner.Struct is not null ? $"{owner.Name}.Length * {owner.Struct.Leaves.Count}" : owner.Name + ".Length")}]"
                : CSharpWriter.Literal(Ir.Lit(flat.Type, 0));
            var keyword = flat.Type.IsSequence ? "var" : flat.Type.Keyword;
            writer.Line($"{keyword} {gradient} = {zero};");
            writer.Line($"{keyword} {product} = {zero};");
            bool byRef = !flat.Type.IsSequence;
            gradients.Add((byRef ? "ref " : "") + gradient);
            products.Add((byRef ? "ref " : "") + product);
            productOf[flat.Name] = product;
        }
        var arguments = shape.FlatInputs().Append(shape.Literal(1)).Concat(gradients)
            .Concat(FlatTangents(shape, shape.Directions)).Append(shape.Literal(0)).Concat(products).Append("out _");
        writer.Line($"{backwardTangent.Name}({string.Join(", ", arguments)});");
        var results = new List<string>();
        foreach (var p in shape.Differentiable)
        {
            if (p.Struct is { } model && !p.IsArray)
            {
                results.Add(model.Construct(model.Leaves.Select((leaf, i) => productOf.TryGetValue(p.Flat[i], out var product)
                    ? product : CSharpWriter.Literal(Ir.Lit(leaf.Type, 0))).ToList()));
            }
            else if (p.Struct is not null)
            {
                results.Add($"{MemoryMarshal}.Cast<{Shape.LeafKeyword(p)}, {Shape.ElementKeyword(p)}>(new global::System.ReadOnlySpan<{Shape.LeafKeyword(p)}>({productOf[p.Flat[0]]})).ToArray()");
            }
            else
            {
                results.Add(productOf[p.Flat[0]]);
            }
        }
        writer.Line(single ? $"return {results[0]};" : $"return ({string.Join(", ", results)});");
        writer.CloseBrace();
    }

    private static void WriteHessian(SourceWriter writer, Shape shape, string generatedCode)
    {
        var element = shape.Flat.ReturnType.Keyword;
        writer.Line("/// <summary>");
        writer.Line($"/// The Hessian of <see cref=\"{shape.Cref}\"/> with respect to {shape.NameList}, over their numbers flattened in");
        writer.Line("/// order: a struct's differentiable fields in declaration order (nested structs depth first), an array of structs element by");
        writer.Line("/// element, an array of numbers one per element, a number one.");
        writer.Line("/// </summary>");
        foreach (var p in shape.Parameters.Where(p => !p.IsThis)) writer.Line($"/// <param name=\"{p.Name}\">As in {shape.Name}.</param>");
        writer.Line("/// <returns>The n×n matrix of second derivatives.</returns>");
        writer.Line(generatedCode);
        writer.Line($"{shape.Modifiers} {element}[,] {shape.Name}Hessian({shape.UserParameterList})");
        writer.Line($"    => {shape.Flat.Name}Hessian({string.Join(", ", shape.FlatInputs())});");
    }
}
