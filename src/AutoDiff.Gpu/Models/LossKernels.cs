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
    /// z = <see cref="VectorMath.DotWithConstant"/>(w, 0, x, 0, d) + w[d], the runtime's own statements for row i.
    /// </summary>
    /// <param name="x">The sample's d features.</param>
    /// <param name="y">The sample's label, 0 or 1.</param>
    /// <param name="parameters">The d weights, then the bias (d + 1 values).</param>
    [Differentiable, GpuKernel]
    public static double BinaryLogistic([PerSample] double[] x, [PerSample] double y, double[] parameters)
    {
        double z = VectorMath.DotWithConstant(parameters, 0, x, 0, x.Length) + parameters[x.Length];
        return Losses.Softplus(z) - y * z;
    }

    /// <summary>
    /// One row of <see cref="Losses.MultinomialLogistic"/> (without the penalty): log Σₖ exp(zₖ) − z_label with
    /// zₖ = <see cref="VectorMath.DotWithConstant"/>(w, k·d, x, 0, d) + b_k, the runtime's own statements for row i (its
    /// logits in a local array, <see cref="VectorMath.LogSumExp"/> shifted by the largest logit). The kernels keep the logits,
    /// their adjoints and their tangents in the thread's row of the scratch memory (<c>MultinomialLogisticKernelScratchWidth</c>).
    /// </summary>
    /// <param name="x">The sample's d features.</param>
    /// <param name="label">The sample's class, 0 to classes − 1.</param>
    /// <param name="parameters">The classes rows of d weights (row-major), then the classes biases.</param>
    /// <param name="classes">The number of classes.</param>
    [Differentiable, GpuKernel]
    public static double MultinomialLogistic([PerSample] double[] x, [PerSample] int label, double[] parameters, int classes)
    {
        double[] logits = new double[classes];
        int columns = x.Length;
        int biases = classes * columns;
        for (int k = 0; k < classes; k++)
        {
            logits[k] = VectorMath.DotWithConstant(parameters, k * columns, x, 0, columns) + parameters[biases + k];
        }
        return VectorMath.LogSumExp(logits, 0, classes) - logits[label];
    }
}
