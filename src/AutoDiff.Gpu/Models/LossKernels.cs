using AutoDiff.Models;
using AutoDiff.Primitives;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// The runtime's losses as <c>[GpuKernel]</c> methods: one sample per thread, written with the runtime's own code (its
/// vector primitives and its <c>[Differentiable]</c> helpers), so that the generator emits ILGPU kernels of the same
/// computation the CPU path differentiates. The runtime itself does not reference ILGPU, so the kernels are generated
/// here, from thin per-sample wrappers.
/// </summary>
public static partial class LossKernels
{
    /// <summary>
    /// One row of <see cref="Losses.BinaryLogistic"/> (without the penalty): softplus(z) − y·z with
    /// z = <see cref="Vector.DotWithConstant"/>(w, 0, x, 0, d) + w[d], the runtime's own statements for row i.
    /// </summary>
    /// <param name="x">The sample's d features.</param>
    /// <param name="y">The sample's label, 0 or 1.</param>
    /// <param name="parameters">The d weights, then the bias (d + 1 values).</param>
    [Differentiable, GpuKernel]
    public static double BinaryLogistic([PerSample] double[] x, [PerSample] double y, double[] parameters)
    {
        double z = Vector.DotWithConstant(parameters, 0, x, 0, x.Length) + parameters[x.Length];
        return Losses.Softplus(z) - y * z;
    }
}
