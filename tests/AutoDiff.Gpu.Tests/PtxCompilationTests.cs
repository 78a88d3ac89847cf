using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiff.Gpu.Models;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// ILGPU's CPU accelerator runs a kernel's .NET code as it is, so it cannot show that ILGPU's compiler accepts the
/// kernel. These tests run that compiler: every generated kernel in AutoDiff.Gpu and in this project is compiled to PTX
/// (the CUDA backend's output), which needs no GPU and no driver.
/// </summary>
public class PtxCompilationTests
{
    public static IEnumerable<object[]> Kernels()
        => new[] { typeof(KernelLosses), typeof(LossKernels), typeof(UserKernels), typeof(MathKernels), typeof(CallKernels), typeof(HelperKernels), typeof(ScratchKernels) }
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(method => method.Name.EndsWith("Kernel"))
            .OrderBy(method => method.DeclaringType!.Name + "." + method.Name)
            .Select(method => new object[] { method.DeclaringType!.Name + "." + method.Name });

    [Fact]
    public void EveryKindOfKernelIsGenerated()
    {
        var names = Kernels().Select(k => (string)k[0]).ToList();
        // KernelLosses: BinaryLogistic, BinaryLogisticSingle and MultinomialLogisticSingle (ActivateSingle is no kernel).
        Assert.Equal(4 * 3, names.Count(n => n.StartsWith("KernelLosses.")));
        Assert.Contains("KernelLosses.BinaryLogisticHessianVectorKernel", names);
        // LossKernels: BinaryLogistic and MultinomialLogistic, whose kernels keep their local arrays in scratch rows.
        Assert.Equal(4 * 2, names.Count(n => n.StartsWith("LossKernels.")));
        Assert.Contains("KernelLosses.MultinomialLogisticSingleHessianVectorKernel", names);
        Assert.Contains("LossKernels.MultinomialLogisticHessianVectorKernel", names);
        Assert.Contains("UserKernels.ExponentialFitPerSampleBackwardKernel", names);
        Assert.Equal(4 * 2, names.Count(n => n.StartsWith("MathKernels.")));
        // A kernel that calls the user's own [Differentiable] helpers as device functions.
        Assert.Equal(4, names.Count(n => n.StartsWith("HelperKernels.")));
        // Kernels whose tape and local arrays live in the scratch row.
        Assert.Equal(4 * 3, names.Count(n => n.StartsWith("ScratchKernels.")));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CompilesToPtx(string name)
    {
        var parts = name.Split('.');
        var type = parts[0] switch { nameof(KernelLosses) => typeof(KernelLosses), nameof(LossKernels) => typeof(LossKernels), nameof(CallKernels) => typeof(CallKernels), nameof(MathKernels) => typeof(MathKernels), nameof(HelperKernels) => typeof(HelperKernels), nameof(ScratchKernels) => typeof(ScratchKernels), _ => typeof(UserKernels) };
        var method = type.GetMethod(parts[1], BindingFlags.Public | BindingFlags.Static)!;
        using var context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_70), CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, nvvmAPI: null);
        var kernel = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);
        Assert.Contains(".entry", kernel.PTXAssembly);
        // The batch-summed kernels add with atomics; the per-sample kernel writes its own row without them.
        bool atomic = name.EndsWith("HessianVectorKernel") || name.EndsWith("BackwardKernel") && !name.EndsWith("PerSampleBackwardKernel");
        // PTX's atomic add is atom.add, or red.add when the old value is not used.
        Assert.Equal(atomic, System.Text.RegularExpressions.Regex.IsMatch(kernel.PTXAssembly, @"\b(atom|red)(\.global)?\.add\.f(32|64)\b"));
    }
}
