using System;
using System.Threading;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

/// <summary>
/// Generates, for each <c>[Differentiable]</c> method <c>F</c>, the pullback <c>FBackward</c> and the gradient
/// <c>FGradient</c> in the same partial type. Methods it cannot differentiate get nothing (the analyzer says
/// why); it never throws.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AutoDiffGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var lowered = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeMapping.DifferentiableAttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (target, cancellationToken) => Lower(target, custom: false, cancellationToken))
            .WithTrackingName(GeneratorStepNames.Lowered);
        Register(context, lowered);

        // [CustomDerivative] methods: their rules are checked, and the wrappers around them generated.
        var custom = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeMapping.CustomDerivativeAttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (target, cancellationToken) => Lower(target, custom: true, cancellationToken))
            .WithTrackingName(GeneratorStepNames.LoweredCustom);
        Register(context, custom);
    }

    private static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<DifferentiableMethodModel?> lowered)
    {
        var accepted = lowered
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(GeneratorStepNames.Accepted);

        var files = accepted
            .Select(static (model, _) => Emit(model))
            .WithTrackingName(GeneratorStepNames.Emitted);

        context.RegisterSourceOutput(files, static (output, file) =>
        {
            if (file is null) return;
            try
            {
                output.AddSource(file.HintName, file.Text);
            }
            catch (ArgumentException)
            {
                // Two methods with one file name: only declarations the compiler rejects (the same method twice) get
                // here, as CompileCheck skips the second of two; the first keeps its file, and nothing throws.
            }
        });
    }

    /// <param name="target">The attributed method.</param>
    /// <param name="custom">True for the [CustomDerivative] provider: a method with both attributes is handled by that
    /// one only, so that it gets one file.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    private static DifferentiableMethodModel? Lower(GeneratorAttributeSyntaxContext target, bool custom, CancellationToken cancellationToken)
    {
        if (target.TargetSymbol is not IMethodSymbol method || target.TargetNode is not MethodDeclarationSyntax syntax) return null;
        if (TypeMapping.IsCustomDerivative(method) != custom) return null;
        try
        {
            return MethodAnalysis.Analyze(method, syntax, target.SemanticModel, verifyEmission: false, cancellationToken).Model;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The analyzer reports ADIFF900 for the same method; the generator just skips it.
            return null;
        }
    }

    private static GeneratedFile? Emit(DifferentiableMethodModel model)
    {
        try
        {
            return new GeneratedFile(model.HintName, DerivativeFileEmitter.Emit(model));
        }
        catch (Exception)
        {
            return null;
        }
    }
}

/// <summary>A generated file: its name and text.</summary>
internal sealed record GeneratedFile(string HintName, string Text);
