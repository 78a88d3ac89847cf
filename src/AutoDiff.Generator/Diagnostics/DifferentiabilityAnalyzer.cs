using System;
using System.Collections.Immutable;
using System.Linq;
using AutoDiff.Generator.Analysis;
using AutoDiff.Generator.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiff.Generator.Diagnostics;

/// <summary>
/// Reports, at the offending code, what keeps a [Differentiable] method from being differentiated or would
/// make its derivative silently zero. It runs the same analysis as the generator.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DifferentiabilityAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ContainingTypeNotPartial,
        DiagnosticDescriptors.UnsupportedConstruct,
        DiagnosticDescriptors.CallWithoutDerivative,
        DiagnosticDescriptors.UnsupportedSignature,
        DiagnosticDescriptors.NoDifferentiableParameter,
        DiagnosticDescriptors.UnsupportedMethodShape,
        DiagnosticDescriptors.CustomRuleMismatch,
        DiagnosticDescriptors.IntegerCastCutsDerivative,
        DiagnosticDescriptors.ExternalCallWithoutDerivative,
        DiagnosticDescriptors.DynamicDispatch,
        DiagnosticDescriptors.WriteToSharedState,
        DiagnosticDescriptors.CalleeNotDifferentiated,
        DiagnosticDescriptors.KernelNotGenerated,
        DiagnosticDescriptors.GeneratedMemberCollision,
        DiagnosticDescriptors.PiecewiseConstantFunction,
        DiagnosticDescriptors.ResultIndependentOfInputs,
        DiagnosticDescriptors.FloatEquality,
        DiagnosticDescriptors.SideEffectRepeats,
        DiagnosticDescriptors.PerSampleWithoutKernel,
        DiagnosticDescriptors.NonDifferentiablePoint,
        DiagnosticDescriptors.CalleeWithoutSecondOrder,
        DiagnosticDescriptors.InternalError);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var outcomes = new CalleeOutcomes(start.Compilation);
            start.RegisterSyntaxNodeAction(node => AnalyzeMethod(node, outcomes), SyntaxKind.MethodDeclaration);
            start.RegisterSyntaxNodeAction(AnalyzeLocalFunction, SyntaxKind.LocalFunctionStatement);
            start.RegisterSyntaxNodeAction(AnalyzeType, SyntaxKind.ClassDeclaration, SyntaxKind.StructDeclaration,
                SyntaxKind.RecordDeclaration, SyntaxKind.RecordStructDeclaration, SyntaxKind.InterfaceDeclaration);
        });
    }

    /// <summary>
    /// ADIFF001, once per type and from the type's own declaration: reported while analysing a method, a diagnostic at
    /// the type's name would lie outside the node analysed, which makes it non-local (IDEs then neither show it in the
    /// open document nor offer its code fix).
    /// </summary>
    private static void AnalyzeType(SyntaxNodeAnalysisContext context)
    {
        var type = (TypeDeclarationSyntax)context.Node;
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword)) return;
        foreach (var syntax in type.DescendantNodes(node => node == type || node is TypeDeclarationSyntax).OfType<MethodDeclarationSyntax>())
        {
            if (syntax.AttributeLists.Count == 0) continue;
            if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method) continue;
            if (!TypeMapping.IsDifferentiable(method)) continue;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeNotPartial, type.Identifier.GetLocation(),
                type.Identifier.Text, method.Name));
            return;
        }
    }

    private static void AnalyzeLocalFunction(SyntaxNodeAnalysisContext context)
    {
        var syntax = (LocalFunctionStatementSyntax)context.Node;
        if (syntax.AttributeLists.Count == 0) return;
        if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol function) return;
        if (!TypeMapping.IsDifferentiable(function)) return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodShape, syntax.Identifier.GetLocation(),
            function.Name, "local functions are not differentiated; make it a static method of a partial type"));
    }

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context, CalleeOutcomes outcomes)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        bool parameterAttributes = syntax.ParameterList.Parameters.Any(p => p.AttributeLists.Count > 0);
        if (syntax.AttributeLists.Count == 0 && !parameterAttributes) return;
        if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method) return;
        bool kernel = KernelAnalysis.IsKernel(method);
        if (!kernel && parameterAttributes) ReportPerSampleWithoutKernel(context, method);
        if (syntax.AttributeLists.Count == 0) return;
        if (!TypeMapping.IsDifferentiable(method))
        {
            if (kernel) ReportKernel(context, method, syntax, null, outcomes);
            return;
        }
        // Both parts of a partial method carry the attributes of both: only the part [Differentiable] is written on is
        // analysed, as the generator differentiates that one (and reports ADIFF006 when it is the defining part).
        if (MethodAnalysis.AttributedDeclaration(method, context.CancellationToken) != syntax) return;

        var result = outcomes.Analyze(method, syntax, context.SemanticModel, context.CancellationToken);
        if (kernel) ReportKernel(context, method, syntax, result, outcomes);
        foreach (var diagnostic in result.Diagnostics)
        {
            // AnalyzeType reports ADIFF001, at the type.
            if (diagnostic.Id != DiagnosticDescriptors.ContainingTypeNotPartial.Id) context.ReportDiagnostic(diagnostic);
        }

        // A callee of this compilation that gets no derivatives leaves this method without them too: say which error
        // down the chain of calls is to blame, with the chain as additional locations.
        foreach (var call in result.SourceCalls)
        {
            if (outcomes.BlockingChain(call.Callee, context.CancellationToken) is not { } chain) continue;
            var because = chain.Path.Count == 0
                ? $"'{call.Callee.Name}' has {chain.Reason}"
                : $"'{call.Callee.Name}' calls {string.Join(", which calls ", chain.Path.Select(step => $"'{step.Method.Name}'"))}, which has {chain.Reason}";
            var additional = chain.Path.Select(step => step.Call).Append(chain.ErrorLocation).Where(l => l.IsInSource);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CalleeNotDifferentiated, call.Location, additional, call.Callee.Name, because));
        }
    }

    /// <summary>ADIFF106: [PerSample] on a parameter of a method that is not [GpuKernel], at the attribute.</summary>
    private static void ReportPerSampleWithoutKernel(SyntaxNodeAnalysisContext context, IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != KernelAnalysis.PerSampleAttributeName) continue;
                var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? parameter.Locations.FirstOrDefault();
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PerSampleWithoutKernel, location, parameter.Name, method.Name));
            }
        }
    }

    /// <summary>ADIFF012: a [GpuKernel] method that gets no kernels (the same verdict as the generator's).</summary>
    private static void ReportKernel(SyntaxNodeAnalysisContext context, IMethodSymbol method, MethodDeclarationSyntax syntax, MethodAnalysisResult? analysis,
        CalleeOutcomes outcomes)
    {
        var (_, reason) = KernelAnalysis.Analyze(method, analysis, context.SemanticModel.Compilation,
            callee => outcomes.AnalyzeCallee(callee, context.CancellationToken));
        if (reason is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.KernelNotGenerated, syntax.Identifier.GetLocation(), method.Name, reason));
        }
    }
}
