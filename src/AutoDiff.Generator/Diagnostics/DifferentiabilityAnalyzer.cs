using System;
using System.Collections.Immutable;
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
        DiagnosticDescriptors.PiecewiseConstantFunction,
        DiagnosticDescriptors.InternalError);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(AnalyzeMethod, SyntaxKind.MethodDeclaration);
        context.RegisterSyntaxNodeAction(AnalyzeLocalFunction, SyntaxKind.LocalFunctionStatement);
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

    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        if (syntax.AttributeLists.Count == 0) return;
        if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method) return;
        if (!TypeMapping.IsDifferentiable(method)) return;

        MethodAnalysisResult result;
        try
        {
            result = MethodAnalysis.Analyze(method, syntax, context.SemanticModel, verifyEmission: true, context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The generator skips the method in this case too (it catches the same failure).
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), method.Name, exception.Message));
            return;
        }
        foreach (var diagnostic in result.Diagnostics) context.ReportDiagnostic(diagnostic);
    }
}
