using System.Linq;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Lowering;

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
    /// The kernel model of <paramref name="method"/>, lowered to <paramref name="model"/> (null when it has errors of
    /// its own, which other diagnostics report), or why it gets no kernels.
    /// </summary>
    public static (KernelModel? Model, string? Reason) Analyze(IMethodSymbol method, DifferentiableMethodModel? model, Compilation compilation)
    {
        if (!TypeMapping.IsDifferentiable(method)) return (null, "it is not [Differentiable]; kernels are generated from the method's derivatives");
        if (compilation.GetTypeByMetadataName("ILGPU.ArrayView`1") is null)
        {
            return (null, "the project does not reference ILGPU; add the AutoDiff.Gpu package");
        }
        if (model is null) return (null, null);
        var perSample = method.Parameters
            .Where(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == PerSampleAttributeName))
            .Select(p => TypeMapping.Identifier(p.Name))
            .ToEquatableArray();
        var kernel = new KernelModel(model, perSample);
        return KernelEmitter.Unsupported(kernel) is { } reason ? (null, reason) : (kernel, null);
    }
}
