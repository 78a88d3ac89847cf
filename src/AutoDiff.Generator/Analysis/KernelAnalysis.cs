using System;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Targets.Ilgpu;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Analysis;

/// <summary>
/// Decides whether a <c>[GpuKernel]</c> method gets ILGPU kernels. The generator and the analyzer share it: the
/// generator emits the kernels of the methods it accepts, the analyzer reports ADIFF012 for the others.
/// </summary>
internal static class KernelAnalysis
{
    public const string GpuKernelAttributeName = "AutoDiff.GpuKernelAttribute";
    public const string PerSampleAttributeName = "AutoDiff.PerSampleAttribute";

    public static bool IsKernel(IMethodSymbol method)
        => method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GpuKernelAttributeName);

    /// <summary>
    /// The kernel model of <paramref name="method"/>, analysed to <paramref name="analysis"/> (whose model is null when it
    /// has errors of its own, which other diagnostics report), or why it gets no kernels.
    /// </summary>
    /// <param name="method">The [GpuKernel] method.</param>
    /// <param name="analysis">Its analysis; null when it is not [Differentiable].</param>
    /// <param name="compilation">The compilation it is in.</param>
    /// <param name="analyzeCallee">Lowers a [Differentiable] method of the compilation that it calls, directly or further
    /// down (null when its source is not in the compilation): the generator lowers it there, the analyzer takes the
    /// analysis it keeps for ADIFF011.</param>
    public static (KernelModel? Model, string? Reason) Analyze(IMethodSymbol method, MethodAnalysisResult? analysis, Compilation compilation,
        Func<IMethodSymbol, MethodAnalysisResult?> analyzeCallee)
    {
        if (!TypeMapping.IsDifferentiable(method)) return (null, "it is not [Differentiable]; kernels are generated from the method's derivatives");
        if (compilation.GetTypeByMetadataName("ILGPU.ArrayView`1") is null)
        {
            return (null, "the project does not reference ILGPU; add the AutoDiff.Gpu package");
        }
        if (analysis?.Model is not { } model) return (null, null);
        var perSample = method.Parameters
            .Where(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == PerSampleAttributeName))
            .Select(p => TypeMapping.Identifier(p.Name))
            .ToEquatableArray();
        // The [Differentiable] methods of this compilation it calls, and which of them kernels may call: the emitter
        // calls those as device functions and reports the reason of the first other one it meets.
        var callees = new KernelCallees(analyzeCallee).Decide(analysis.SourceCalls);
        var kernel = new KernelModel(model, perSample) { Callees = callees };
        return KernelEmitter.Unsupported(kernel) is { } reason ? (null, reason) : (kernel, null);
    }

    /// <summary>
    /// Lowers <paramref name="callee"/> in <paramref name="compilation"/> as the generator does (null when its source is
    /// not there, or lowering fails): how the generator, which keeps no analyses between methods, reaches a kernel's callees.
    /// </summary>
    public static MethodAnalysisResult? AnalyzeInCompilation(IMethodSymbol callee, Compilation compilation, CancellationToken cancellationToken)
    {
        if (MethodAnalysis.DeclarationIn(callee, compilation, cancellationToken) is not { } syntax) return null;
        var semanticModel = compilation.GetSemanticModel(syntax.SyntaxTree);
        if (semanticModel.GetDeclaredSymbol(syntax, cancellationToken) is not IMethodSymbol symbol) return null;
        try
        {
            return MethodAnalysis.Analyze(symbol, syntax, semanticModel, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }
}
