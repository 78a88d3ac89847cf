using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Analysis;

/// <summary>The outcome of analysing one [Differentiable] method.</summary>
internal sealed class MethodAnalysisResult
{
    public MethodAnalysisResult(DifferentiableMethodModel? model, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<SourceCall>? sourceCalls = null)
    {
        Model = model;
        Diagnostics = diagnostics;
        SourceCalls = sourceCalls ?? System.Array.Empty<SourceCall>();
    }

    /// <summary>The calls to [Differentiable] methods of this compilation: their own errors block this method too.</summary>
    public IReadOnlyList<SourceCall> SourceCalls { get; }

    /// <summary>True when the compiler rejects the method itself: nothing is generated, and the compiler says why.</summary>
    public bool DoesNotCompile { get; init; }

    /// <summary>The model to generate from, or null when an error stops generation.</summary>
    public DifferentiableMethodModel? Model { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}

/// <summary>
/// Checks a [Differentiable] method and lowers it to a <see cref="DifferentiableMethodModel"/>. The generator
/// and the analyzer share it, so that they agree on what is generated and what is reported.
/// </summary>
internal static class MethodAnalysis
{
    public static MethodAnalysisResult Analyze(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel,
        CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        method = PartDeclaredBy(method, syntax);
        // Code the compiler rejects (half-typed, say) gets nothing, and no diagnostic: the compiler says why.
        // Calls to generated derivatives, in the method or in code it inlines, bind once the generated files are there (the
        // generator's compilation lacks them; the analyzer's has them, and then nothing is added).
        if (GeneratedStubs.Augment(syntax, semanticModel, cancellationToken) is { } augmented)
        {
            (method, semanticModel) = augmented;
        }
        if (!CompileCheck.Compiles(method, syntax, semanticModel, cancellationToken)) return new MethodAnalysisResult(null, diagnostics) { DoesNotCompile = true };
        var identifier = syntax.Identifier.GetLocation();

        var containingTypes = ContainingTypes(method, syntax, diagnostics);
        CheckShape(method, syntax, identifier, diagnostics);
        // A method that returns a struct is vector-valued: its scalarised form writes the struct's numbers into a span.
        string returnWhy = "";
        var returnStruct = !method.ReturnsByRef && !method.ReturnsByRefReadonly && StructLayout.IsCandidate(method.ReturnType) && !method.ReturnType.IsTupleType
            ? StructLayout.Of(method.ReturnType, method.ContainingType, out returnWhy) : null;
        bool scalarise = StructBoundary.TakesStructs(method) || returnStruct is not null;
        var flat = scalarise ? FlattenParameters(method, syntax, diagnostics) : null;
        var parameters = scalarise ? flat?.Parameters : Parameters(method, syntax, diagnostics);
        // void: a vector-valued method, whose results are the Span<T> parameters it writes (checked after lowering).
        var returnType = method.ReturnsVoid || returnStruct is not null ? IrType.Void : TypeMapping.ToIr(method.ReturnType);
        string? resultSpan = null;
        if (returnStruct is { IsHomogeneousFloatingPoint: true } && parameters is not null)
        {
            resultSpan = "result";
            for (int i = 2; parameters.Any(p => p.Name == resultSpan); i++) resultSpan = "result" + i;
            parameters = parameters.Append(new IrParameter(resultSpan, returnStruct.Leaves[0].Type.WithShape(TypeShape.Span))).ToList();
        }
        bool returnsArray = returnType is { Shape: TypeShape.Array, IsFloatingPointSequence: true };
        if (method.IsAsync || IsIterator(syntax))
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodShape, identifier, method.Name, method.IsAsync
                ? "async methods cannot be differentiated; make it synchronous and await outside it"
                : "iterators (yield return) cannot be differentiated; return an array, or write the values into a Span<T> parameter"));
        }
        else if (StructLayout.IsCandidate(method.ReturnType) && !method.ReturnsByRef && !method.ReturnsByRefReadonly && returnStruct is not { IsHomogeneousFloatingPoint: true })
        {
            var reason = method.ReturnType.IsTupleType ? "a tuple cannot be returned; return a struct, or a double"
                : returnStruct is null ? returnWhy
                : "a struct returned from a [Differentiable] method needs every field of one floating-point type (all double or all float)";
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedSignature, syntax.ReturnType.GetLocation(),
                "The return type", method.Name, method.ReturnType.ToDisplayString(), reason));
        }
        else if (returnStruct is null && (returnType is null || !(returnType.IsFloatingPoint || returnType.IsVoid || returnsArray) || method.ReturnsByRef || method.ReturnsByRefReadonly))
        {
            bool byRef = method.ReturnsByRef || method.ReturnsByRefReadonly;
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedSignature, syntax.ReturnType.GetLocation(),
                "The return type", method.Name, (byRef ? "ref " : "") + method.ReturnType.ToDisplayString(),
                byRef ? "return the value, not a reference" : "return double or float"));
        }
        if (flat is not null && (TypeMapping.IsCustomDerivative(method) || method.ReturnsVoid || returnsArray))
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodShape, identifier, method.Name, TypeMapping.IsCustomDerivative(method)
                ? "a [CustomDerivative] method cannot take or return structs yet; take their fields as separate parameters"
                : "a vector-valued method cannot take structs yet; take their fields as separate parameters, return a double, or return a struct"));
        }
        if (parameters is not null && !parameters.Any(p => p.Type.CarriesDerivative && !p.NoDerivative))
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NoDifferentiableParameter, identifier, method.Name));
        }
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || syntax.Body is null && syntax.ExpressionBody is null)
        {
            return new MethodAnalysisResult(null, diagnostics);
        }
        if (TypeMapping.IsCustomDerivative(method))
        {
            var custom = CustomDerivativeAnalysis.Analyze(method, syntax, semanticModel, parameters!, returnType!, containingTypes,
                Accessibility(method.DeclaredAccessibility), HintName(method), diagnostics, cancellationToken);
            return custom.Model is null ? custom
                : Finish(method, custom.Model with { Key = KeyOf(method) }, identifier, semanticModel.Compilation, diagnostics, null, cancellationToken);
        }

        if (semanticModel.GetOperation(syntax, cancellationToken) is not IMethodBodyOperation body)
        {
            return new MethodAnalysisResult(null, diagnostics);
        }
        var hazards = new List<Hazard>();
        var lowerer = new OperationLowerer(parameters!.Select(p => p.Name), diagnostics, hazards)
        {
            Within = method.ContainingType,
            BaseLine = OperationLowerer.BaseLineOf(syntax),
        };
        if (resultSpan is not null) lowerer.BindStructResult(returnStruct!, Ir.Var(parameters!.Last().Type, resultSpan));
        if (flat is not null)
        {
            int offset = StructBoundary.HasStructThis(method) ? 1 : 0;
            if (offset == 1) lowerer.BindThis(flat.Boundary[0].Struct!, flat.Boundary[0].Flat);
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                var boundaryParameter = flat.Boundary[i + offset];
                if (boundaryParameter.Struct is not { } structModel) continue;
                if (boundaryParameter.IsArray)
                {
                    var flatParameter = flat.Parameters.First(p => p.Name == boundaryParameter.Flat[0]);
                    lowerer.BindStructArrayParameter(method.Parameters[i], structModel, Ir.Var(flatParameter.Type, flatParameter.Name));
                }
                else
                {
                    lowerer.BindStructParameter(method.Parameters[i], structModel, boundaryParameter.Flat);
                }
            }
        }
        var irBody = lowerer.LowerBody(body);
        // Span<T> parameters the body writes are the outputs of a vector-valued method.
        var written = Ir.ElementWriteTargets(irBody);
        // Array parameters it writes: index scratch (int[], long[], bool[]) that callers keep and restore around a call, or
        // inputs updated in place (double[], float[]), whose derivatives are with respect to the values passed in.
        var outputs = parameters!.Select(p => p.Type.Shape == TypeShape.Span && written.Contains(p.Name) ? p with { IsOutput = true }
            : p.Type.Shape == TypeShape.Array && written.Contains(p.Name) ? p with { IsWritten = true }
            : p).ToList();
        bool hasOutputs = outputs.Any(p => p.IsOutput);
        if (returnType!.IsVoid && !hasOutputs)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedSignature, syntax.ReturnType.GetLocation(),
                "The return type", method.Name, "void", "return double or float, or write the results into a Span<T> parameter"));
            return new MethodAnalysisResult(null, diagnostics);
        }
        if (!returnType.IsVoid && hasOutputs)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodShape, identifier, method.Name,
                "a method that writes results into a Span<T> parameter must return void (a vector-valued method)"));
            return new MethodAnalysisResult(null, diagnostics);
        }
        if (!outputs.Any(p => p.IsDifferentiable))
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NoDifferentiableParameter, identifier, method.Name));
            return new MethodAnalysisResult(null, diagnostics);
        }
        // A method that returns an array returns a local array at its end: that local is its result.
        string? resultArray = null;
        if (returnsArray)
        {
            int returns = 0;
            Ir.ForEachStatement(irBody, s => returns += s is IrReturn ? 1 : 0);
            var statements = irBody.Statements;
            if (hasOutputs || returns != 1 || statements.Count == 0 || statements[statements.Count - 1] is not IrReturn { Value: IrVariable { Type.Shape: TypeShape.Array } returned }
                || !statements.Any(s => s is IrDeclare { Initializer: IrNewArray } d && d.Name == returned.Name))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodShape, identifier, method.Name,
                    "a method that returns an array must create it as a local (new T[n]) and return it at its end, and nowhere else"));
                return new MethodAnalysisResult(null, diagnostics);
            }
            resultArray = returned.Name;
            irBody = new IrBlock(statements.Take(statements.Count - 1).ToEquatableArray());
        }
        var irName = flat is null ? TypeMapping.Identifier(method.Name) : StructBoundary.ScalarizedName(method.Name);
        var irMethod = new IrMethod(irName, returnType, outputs.ToEquatableArray(), irBody) { ResultArray = resultArray };

        var activity = ActivityAnalysis.Compute(irMethod);
        bool zeroExplained = false;
        foreach (var hazard in hazards)
        {
            var active = Enumerable.Range(0, hazard.Operands.Count).Where(i => activity.IsActive(hazard.Operands[i])).ToList();
            if (active.Count == 0) continue;
            var properties = StopDerivativeProperties(active.Select(i => hazard.OperandLocations[i]), syntax.SyntaxTree);
            if (hazard.Forwarder is { } forwarder)
            {
                properties = properties.SetItem(DiagnosticDescriptors.SkeletonProperty, CustomDerivativeSkeleton.Forwarder(forwarder.Stub, forwarder.TypeName, forwarder.MethodName));
            }
            diagnostics.Add(hazard.Report(properties));
            zeroExplained |= hazard.Kind is HazardKind.IntegerCast or HazardKind.PiecewiseConstant;
        }
        var sourceCalls = lowerer.SourceCallees;
        foreach (var (callee, assembly, call) in lowerer.CalleesWithoutSecondOrder)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CalleeWithoutSecondOrder, call, method.Name, callee, assembly));
        }
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return new MethodAnalysisResult(null, diagnostics, sourceCalls);
        }
        // A result that no differentiated input reaches has zero derivatives: a mistake, unless a warning above
        // already explains it or the code cuts the derivative on purpose with Ad.WithoutDerivative.
        if (!zeroExplained && !DependsOnInputs(irMethod, activity) && !ContainsStopDerivative(irBody))
        {
            var inputs = string.Join(", ", irMethod.Parameters.Where(p => p.IsDifferentiable).Select(p => p.Name));
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.ResultIndependentOfInputs, identifier, method.Name, inputs));
        }

        var model = new DifferentiableMethodModel(
            method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            containingTypes.ToEquatableArray(),
            Accessibility(method.DeclaredAccessibility),
            irMethod,
            HintName(method))
        {
            Key = KeyOf(method),
            // The scalarised form of a struct's instance method takes the struct's numbers as parameters: it is static.
            IsStatic = method.IsStatic || StructBoundary.HasStructThis(method),
            HasStructThis = StructBoundary.HasStructThis(method),
            UserName = TypeMapping.Identifier(method.Name),
            QualifiedType = TypeMapping.FullyQualified(method.ContainingType),
            Boundary = flat?.Boundary.ToEquatableArray() ?? EquatableArray<BoundaryParameter>.Empty,
            ReturnStruct = resultSpan is null ? null : returnStruct,
            SourceCallees = sourceCalls.Select(c => KeyOf(c.Callee)).Distinct().OrderBy(k => k, System.StringComparer.Ordinal).ToEquatableArray(),
            FirstOrderOnly = lowerer.CalleesWithoutSecondOrder.Count > 0,
        };

        return Finish(method, model, identifier, semanticModel.Compilation, diagnostics, sourceCalls, cancellationToken);
    }

    /// <summary>
    /// The result for a method that lowered: a generated member that would collide with one of the type's (CS0111,
    /// ADIFF013) leaves it without derivatives. Nothing is emitted here (emitting costs as much as the generator's work,
    /// and the analyzer would pay it again): the generator reports ADIFF900 itself when emitting throws, at
    /// its name (<c>MethodPlacement.Identifier</c>).
    /// </summary>
    private static MethodAnalysisResult Finish(IMethodSymbol method, DifferentiableMethodModel model, Location identifier, Compilation compilation,
        List<Diagnostic> diagnostics, IReadOnlyList<SourceCall>? sourceCalls, CancellationToken cancellationToken)
    {
        var collisions = MemberCollisions.Find(method, () => DerivativeFileEmitter.Emit(model, Differentiator.Run(model, secondOrder: true)), identifier, compilation, cancellationToken);
        if (collisions.Count > 0)
        {
            diagnostics.AddRange(collisions);
            return new MethodAnalysisResult(null, diagnostics, sourceCalls);
        }
        return new MethodAnalysisResult(model, diagnostics, sourceCalls);
    }

    /// <summary>A location in a file, as a value the pipeline can keep.</summary>
    public static SourceSpan SpanOf(Location location)
    {
        var lines = location.GetLineSpan();
        return new SourceSpan(lines.Path, location.SourceSpan.Start, location.SourceSpan.Length,
            lines.StartLinePosition.Line, lines.StartLinePosition.Character, lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }

    private static bool IsIterator(MethodDeclarationSyntax syntax)
        => syntax.Body is { } body && body.DescendantNodes(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(node => node is YieldStatementSyntax);

    /// <summary>The method's declaration, when its source is in <paramref name="compilation"/> (null for metadata or another project).</summary>
    public static MethodDeclarationSyntax? DeclarationIn(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        => AttributedDeclaration(method, cancellationToken) is { } syntax && compilation.ContainsSyntaxTree(syntax.SyntaxTree) ? syntax : null;

    /// <summary>
    /// The declaration the generator differentiates: the one <c>[Differentiable]</c> (or <c>[CustomDerivative]</c>) is
    /// written on. A partial method has two, and its symbols (either part) carry the attributes of both: the attribute's own
    /// syntax tells which part it is on (the defining part then gets ADIFF006, having no body). Null for metadata.
    /// </summary>
    public static MethodDeclarationSyntax? AttributedDeclaration(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() is not (TypeMapping.DifferentiableAttributeName or TypeMapping.CustomDerivativeAttributeName)) continue;
                if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } declaration) return declaration;
            }
        }
        return method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
    }

    /// <summary>
    /// The symbol of the part of <paramref name="method"/> that <paramref name="syntax"/> declares: for a partial method,
    /// the implementing part's when the syntax is that part (its parameter names and body are the ones lowered), whichever
    /// part's symbol came with it (a call binds to the defining part).
    /// </summary>
    public static IMethodSymbol PartDeclaredBy(IMethodSymbol method, MethodDeclarationSyntax syntax)
    {
        foreach (var part in new[] { method, method.PartialImplementationPart, method.PartialDefinitionPart })
        {
            if (part is not null && part.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == syntax.SyntaxTree && r.Span == syntax.Span)) return part;
        }
        return method;
    }

    /// <summary>A method's identity across the generator's pipeline: its documentation comment ID.</summary>
    public static string KeyOf(IMethodSymbol method) => method.OriginalDefinition.GetDocumentationCommentId() ?? method.ToDisplayString();

    /// <summary>Whether a returned value, an output span or the returned array depends on a differentiated parameter.</summary>
    private static bool DependsOnInputs(IrMethod method, ActivityAnalysis activity)
    {
        bool depends = method.Parameters.Any(p => p.IsOutput && activity.IsVaried(p.Name))
            || method.ResultArray is { } result && activity.IsVaried(result);
        Ir.ForEachStatement(method.Body, statement => depends |= statement is IrReturn { Value: { } value } && activity.IsActive(value));
        return depends;
    }

    private static bool ContainsStopDerivative(IrBlock body)
    {
        bool found = false;
        Ir.ForEachRootExpression(body, root => Ir.ForEachNode(root, node => found |= node is IrStopDerivative));
        return found;
    }

    /// <summary>The spans, in the method's own file, that <c>Ad.WithoutDerivative</c> would wrap to silence a diagnostic.</summary>
    private static ImmutableDictionary<string, string?> StopDerivativeProperties(IEnumerable<Location?> locations, SyntaxTree tree)
    {
        var spans = locations.Where(l => l is not null && l.SourceTree == tree).Select(l => $"{l!.SourceSpan.Start}:{l.SourceSpan.Length}");
        return ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.StopDerivativeSpansProperty, string.Join(";", spans));
    }

    private static List<ContainingTypeModel> ContainingTypes(IMethodSymbol method, MethodDeclarationSyntax syntax, List<Diagnostic> diagnostics)
    {
        var types = new List<ContainingTypeModel>();
        foreach (var declaration in syntax.Ancestors().OfType<TypeDeclarationSyntax>().Reverse())
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeNotPartial, declaration.Identifier.GetLocation(),
                    declaration.Identifier.Text, method.Name));
            }
            string keyword = declaration switch
            {
                RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            var modifiers = declaration.Modifiers
                .Where(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.ReadOnlyKeyword) || m.IsKind(SyntaxKind.RefKeyword))
                .Select(m => m.Text)
                .Distinct();
            types.Add(new ContainingTypeModel(keyword, declaration.Identifier.Text + (declaration.TypeParameterList?.ToString() ?? ""), string.Join(" ", modifiers)));
        }
        return types;
    }

    private static void CheckShape(IMethodSymbol method, MethodDeclarationSyntax syntax, Location identifier, List<Diagnostic> diagnostics)
    {
        string? why = null;
        if (!method.IsStatic && TypeMapping.IsCustomDerivative(method))
        {
            why = "a [CustomDerivative] method must be static";
        }
        else if (method.IsGenericMethod) why = "generic methods are not supported; write it for double or float";
        else if (method.ContainingType.TypeKind == TypeKind.Interface) why = "methods of interfaces are not supported; move it to a partial class";
        else if (syntax.Body is null && syntax.ExpressionBody is null) why = "it has no body here; put [Differentiable] on the part that implements it";
        if (why is not null) diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodShape, identifier, method.Name, why));
    }

    /// <summary>The scalarised parameters of a method that takes structs; null (reported) when a struct cannot be differentiated.</summary>
    private static FlatSignature? FlattenParameters(IMethodSymbol method, MethodDeclarationSyntax syntax, List<Diagnostic> diagnostics)
    {
        var flat = StructBoundary.Flatten(method, method.ContainingType, out var why, out int failed);
        if (flat is not null) return flat;
        var parameter = failed >= 0 ? method.Parameters[failed] : null;
        var location = failed >= 0 && failed < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[failed].GetLocation() : syntax.Identifier.GetLocation();
        diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedSignature, location,
            parameter is null ? "The struct it is called on" : $"Parameter '{parameter.Name}'", method.Name,
            (parameter?.Type ?? method.ContainingType).ToDisplayString(), why));
        return null;
    }

    private static List<IrParameter>? Parameters(IMethodSymbol method, MethodDeclarationSyntax syntax, List<Diagnostic> diagnostics)
    {
        var parameters = new List<IrParameter>();
        bool ok = true;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var type = TypeMapping.ToIr(parameter.Type);
            var location = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i].GetLocation() : syntax.Identifier.GetLocation();
            // params on a supported array or span is fine: the derivatives take the array itself.
            if (type is null || parameter.RefKind != RefKind.None)
            {
                bool byRef = parameter.RefKind != RefKind.None;
                var shown = (byRef ? TypeMapping.RefKindKeyword(parameter.RefKind) + " " : parameter.IsParams ? "params " : "") + parameter.Type.ToDisplayString();
                var fix = byRef ? "pass it by value and return results instead"
                    : parameter.IsParams ? "take params double[] or params float[] (or a span of them)"
                    : "use double or float (int, long and bool parameters are accepted and not differentiated)";
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedSignature, location, $"Parameter '{parameter.Name}'", method.Name, shown, fix));
                ok = false;
                continue;
            }
            parameters.Add(new IrParameter(TypeMapping.Identifier(parameter.Name), type) { NoDerivative = TypeMapping.HasNoDerivative(parameter) });
        }
        return ok ? parameters : null;
    }

    private static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>
    /// <c>Namespace.Outer.Inner{T}.Method.g.cs</c>, and for an overloaded method its parameter types, fully qualified, in
    /// parentheses: <c>Shapes.Norm(System.Numerics.Vector2).g.cs</c>. Unique by construction (see <see cref="HintNames"/>):
    /// the braces and parentheses cannot occur in identifiers.
    /// </summary>
    internal static string HintName(IMethodSymbol method)
    {
        var parts = new List<string>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType) parts.Insert(0, HintTypeDeclaration(type));
        if (method.ContainingNamespace is { IsGlobalNamespace: false } ns) parts.Insert(0, ns.ToDisplayString());
        var name = method.Name;
        if (method.ContainingType.GetMembers(method.Name).Length > 1)
        {
            name += "(" + string.Join(",", method.Parameters.Select(p => (p.RefKind == RefKind.None ? "" : TypeMapping.RefKindKeyword(p.RefKind) + " ") + HintTypeName(p.Type))) + ")";
        }
        parts.Add(name);
        return Sanitized(string.Join(".", parts)) + ".g.cs";
    }

    /// <summary>A declared type: <c>Box{T}</c> for <c>Box&lt;T&gt;</c>.</summary>
    private static string HintTypeDeclaration(INamedTypeSymbol type)
        => type.TypeParameters.Length == 0 ? type.Name : type.Name + "{" + string.Join(",", type.TypeParameters.Select(p => p.Name)) + "}";

    /// <summary>A parameter's type, fully qualified: <c>System.Double[]</c>, <c>System.ReadOnlySpan{System.Single}</c>, <c>System.Double[,]</c>.</summary>
    private static string HintTypeName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => HintTypeName(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]",
        IPointerTypeSymbol pointer => HintTypeName(pointer.PointedAtType) + "{pointer}",
        ITypeParameterSymbol parameter => parameter.Name,
        INamedTypeSymbol named => (named.ContainingType is { } outer ? HintTypeName(outer) : named.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "")
            is var prefix && prefix.Length > 0
                ? prefix + "." + HintTypeArguments(named)
                : HintTypeArguments(named),
        _ => type.ToDisplayString(),
    };

    private static string HintTypeArguments(INamedTypeSymbol type)
        => type.TypeArguments.Length == 0 ? type.Name : type.Name + "{" + string.Join(",", type.TypeArguments.Select(HintTypeName)) + "}";

    /// <summary>Any character Roslyn does not take in a hint name (a rare type's display form) becomes an underscore.</summary>
    private static string Sanitized(string name)
        => new string(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '.' or ',' or '-' or ' ' or '(' or ')' or '[' or ']' or '{' or '}' ? c : '_').ToArray());
}
