using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Analysis;

/// <summary>
/// Checks the hand-written rules of a [CustomDerivative] method against the signatures the generator would give
/// them, and lowers its pullback rule so that forward mode can give the second order.
/// </summary>
internal static class CustomDerivativeAnalysis
{
    public static MethodAnalysisResult Analyze(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel,
        List<IrParameter> parameters, IrType returnType, List<ContainingTypeModel> containingTypes, string accessibility, string hintName,
        List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var identifier = syntax.Identifier.GetLocation();
        if (returnType.IsVoid)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodShape, identifier, method.Name,
                "custom derivatives of vector-valued methods are not supported yet"));
            return new MethodAnalysisResult(null, diagnostics);
        }

        // A forwarder for a method of another library must match it: same name, parameters and result.
        if (TypeMapping.CustomDerivativeTarget(method) is { } target)
        {
            bool matches = method.Name == target.Name && target.Type.GetMembers(target.Name).OfType<IMethodSymbol>().Any(m => m.IsStatic
                && m.Parameters.Length == method.Parameters.Length
                && m.Parameters.Select(p => p.Type).SequenceEqual(method.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default)
                && SymbolEqualityComparer.Default.Equals(m.ReturnType, method.ReturnType));
            if (!matches)
            {
                var wanted = $"static {method.ReturnType.ToDisplayString()} {target.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name))})";
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CustomRuleMismatch, identifier, method.Name,
                    $"it must forward to a static method '{target.Type.ToDisplayString()}.{target.Name}' with the same name, parameters and result, and there is none",
                    wanted));
                return new MethodAnalysisResult(null, diagnostics);
            }
        }

        // The rules' expected signatures are those the generator gives generated derivatives.
        var stub = new IrMethod(TypeMapping.Identifier(method.Name), returnType, parameters.ToEquatableArray(), IrBlock.Of(new IrReturn(Ir.Lit(returnType, 0))));
        var (expectedBackward, expectedTangent) = Differentiator.FirstOrder(stub);
        var expectedBackwardTangent = ExpectedBackwardTangent(expectedBackward);

        // A missing pullback comes with a skeleton of the second-order rule too: a skeleton's body cannot be differentiated.
        bool hasBackwardTangent = method.ContainingType.GetMembers(expectedBackwardTangent.Name).Length > 0;
        var backwardSkeleton = CustomDerivativeSkeleton.Rules.Backward | (hasBackwardTangent ? 0 : CustomDerivativeSkeleton.Rules.BackwardTangent);
        var backward = FindRule(method, expectedBackward, required: true, identifier, diagnostics, stub, backwardSkeleton, accessibility);
        FindRule(method, expectedTangent, required: true, identifier, diagnostics, stub, CustomDerivativeSkeleton.Rules.Tangent, accessibility);
        var backwardTangent = FindRule(method, expectedBackwardTangent, required: false, identifier, diagnostics, stub,
            CustomDerivativeSkeleton.Rules.None, accessibility);
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) return new MethodAnalysisResult(null, diagnostics);

        IrMethod? pullbackRule = null;
        if (backwardTangent is null)
        {
            pullbackRule = LowerPullbackRule(backward!, semanticModel, OperationLowerer.BaseLineOf(syntax), cancellationToken, out var problem);
            if (pullbackRule is null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CustomRuleMismatch, identifier, method.Name,
                    $"second order needs '{expectedBackwardTangent.Name}', and '{expectedBackward.Name}' cannot be differentiated to give it ({problem})",
                    Signature(expectedBackwardTangent)));
                return new MethodAnalysisResult(null, diagnostics);
            }
        }

        var model = new DifferentiableMethodModel(
            method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            containingTypes.ToEquatableArray(),
            accessibility,
            stub,
            hintName)
        {
            Custom = new CustomRules(pullbackRule),
        };
        return new MethodAnalysisResult(model, diagnostics);
    }

    /// <summary>
    /// The second-order rule's signature. Callers call it through <see cref="DerivativeSignatures.TangentOf"/>, which gives each
    /// span adjoint a writable tangent; differentiating the stub's pullback would not, since the stub writes nothing.
    /// </summary>
    public static IrMethod ExpectedBackwardTangent(IrMethod expectedBackward)
    {
        var reference = DerivativeSignatures.TangentOf(new IrMethodRef("", expectedBackward.Name, true, expectedBackward.Parameters), expectedBackward.ReturnType);
        return new IrMethod(reference.Name, expectedBackward.ReturnType, reference.Parameters, IrBlock.Empty);
    }

    /// <summary>The rule with the expected signature in the method's type; reports ADIFF007 when it is absent or differs.</summary>
    /// <param name="method">The [CustomDerivative] method.</param>
    /// <param name="expected">The rule as the generator would declare it.</param>
    /// <param name="required">False for a rule the generator can derive when it is absent.</param>
    /// <param name="location">Where to report.</param>
    /// <param name="diagnostics">Receives ADIFF007.</param>
    /// <param name="stub">The method's signature in IR, for the skeleton.</param>
    /// <param name="skeleton">The rules the diagnostic's skeleton holds when the rule is missing.</param>
    /// <param name="accessibility">The skeleton's accessibility (the method's).</param>
    private static IMethodSymbol? FindRule(IMethodSymbol method, IrMethod expected, bool required, Location location, List<Diagnostic> diagnostics,
        IrMethod stub, CustomDerivativeSkeleton.Rules skeleton, string accessibility)
    {
        var candidates = method.ContainingType.GetMembers(expected.Name).OfType<IMethodSymbol>().ToList();
        var match = candidates.FirstOrDefault(c => Matches(c, expected));
        if (match is not null) return match;
        if (candidates.Count == 0 && !required) return null;
        var what = candidates.Count == 0
            ? $"'{expected.Name}' is missing"
            : $"'{expected.Name}' has the signature '{Describe(candidates[0])}'";
        // A missing rule can be added by the code fix; a mismatched one is the user's to change.
        var properties = candidates.Count == 0 && skeleton != CustomDerivativeSkeleton.Rules.None
            ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.SkeletonProperty, CustomDerivativeSkeleton.For(stub, skeleton, accessibility))
            : null;
        diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CustomRuleMismatch, location, properties, method.Name, what, Signature(expected)));
        return null;
    }

    private static bool Matches(IMethodSymbol candidate, IrMethod expected)
    {
        if (!candidate.IsStatic || candidate.IsGenericMethod || candidate.Parameters.Length != expected.Parameters.Count) return false;
        if (TypeMapping.ToIr(candidate.ReturnType) != expected.ReturnType) return false;
        for (int i = 0; i < candidate.Parameters.Length; i++)
        {
            var parameter = candidate.Parameters[i];
            var wanted = expected.Parameters[i];
            var kind = parameter.RefKind switch
            {
                RefKind.None => ParameterKind.Value,
                RefKind.Ref => ParameterKind.Ref,
                RefKind.Out => ParameterKind.Out,
                _ => (ParameterKind?)null,
            };
            if (kind != wanted.Kind || TypeMapping.ToIr(parameter.Type) != wanted.Type) return false;
        }
        return true;
    }

    /// <summary>A signature as C# declares it: <c>static double FBackward(double x, double seed, ref double dX)</c>.</summary>
    public static string Signature(IrMethod method)
        => $"static {method.ReturnType.Keyword.Replace("global::", "")} {method.Name}({string.Join(", ", method.Parameters.Select(p => Modifier(p.Kind) + p.Type.Keyword.Replace("global::", "") + " " + p.Name))})";

    private static string Modifier(ParameterKind kind) => kind switch
    {
        ParameterKind.Ref => "ref ",
        ParameterKind.Out => "out ",
        _ => "",
    };

    private static string Describe(IMethodSymbol method)
        => $"{(method.IsStatic ? "static " : "")}{method.ReturnType.ToDisplayString()} {method.Name}({string.Join(", ", method.Parameters.Select(p => (p.RefKind == RefKind.None ? "" : TypeMapping.RefKindKeyword(p.RefKind) + " ") + p.Type.ToDisplayString() + " " + p.Name))})";

    /// <summary>
    /// The user's pullback rule in IR (its ref adjoints writable), or null with the reason it cannot be. Its lines are
    /// relative to <paramref name="baseLine"/>, the line the [CustomDerivative] method's declaration starts on.
    /// </summary>
    private static IrMethod? LowerPullbackRule(IMethodSymbol rule, SemanticModel semanticModel, int baseLine, CancellationToken cancellationToken, out string problem)
    {
        problem = "";
        if (rule.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax)
        {
            problem = "its source is not in this compilation";
            return null;
        }
        var model = syntax.SyntaxTree == semanticModel.SyntaxTree ? semanticModel : semanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
        if (model.GetOperation(syntax, cancellationToken) is not IMethodBodyOperation body)
        {
            problem = "it has no body";
            return null;
        }
        var parameters = new List<IrParameter>();
        foreach (var parameter in rule.Parameters)
        {
            var type = TypeMapping.ToIr(parameter.Type)!;
            parameters.Add(new IrParameter(TypeMapping.Identifier(parameter.Name), type, parameter.RefKind == RefKind.Ref ? ParameterKind.Ref : ParameterKind.Value));
        }
        var diagnostics = new List<Diagnostic>();
        var hazards = new List<Hazard>();
        var lowerer = new OperationLowerer(parameters.Select(p => p.Name), diagnostics, hazards) { AllowRefParameterWrites = true, BaseLine = baseLine };
        var irBody = lowerer.LowerBody(body);
        if (diagnostics.Count > 0)
        {
            problem = diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            return null;
        }
        var irRule = new IrMethod(TypeMapping.Identifier(rule.Name), TypeMapping.ToIr(rule.ReturnType)!, parameters.ToEquatableArray(), irBody);

        // In forward mode every floating-point parameter of the rule, its adjoints included, carries a tangent.
        var activity = ActivityAnalysis.Compute(irRule, DerivativeSignatures.HasTangent);
        var blocking = hazards.FirstOrDefault(h => h.Kind == HazardKind.CallWithoutDerivative && h.Operands.Any(activity.IsActive));
        if (blocking is not null)
        {
            problem = blocking.Summary;
            return null;
        }
        try
        {
            Differentiator.TangentOfRule(irRule);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            problem = exception.Message;
            return null;
        }
        return irRule;
    }
}
