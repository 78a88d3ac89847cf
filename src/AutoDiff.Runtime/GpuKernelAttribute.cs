using System;

namespace AutoDiff;

/// <summary>
/// Asks the generator for ILGPU kernel variants of a <c>[Differentiable]</c> static method, besides its CPU derivatives:
/// a batched forward pass (<c>FForwardKernel</c>: one value per sample), a batched backward pass (<c>FBackwardKernel</c>:
/// the gradient with respect to the shared parameters, summed over the samples), per-sample gradients
/// (<c>FPerSampleBackwardKernel</c>) and a batched Hessian-vector product (<c>FHessianVectorKernel</c>). Each GPU thread
/// runs the method for one sample.
/// </summary>
/// <remarks>
/// Mark the parameters that vary from sample to sample with <see cref="PerSampleAttribute"/>; every other parameter is
/// shared by all samples (the model's parameters, which the kernels differentiate, or constants such as a count).
/// The project must reference ILGPU (the <c>AutoDiff.Gpu</c> package brings it). A method that cannot run as a kernel
/// (one that needs a tape, calls other methods, allocates, writes its inputs; see ADIFF012) still gets its CPU
/// derivatives, and ADIFF012 says why it gets no kernels.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GpuKernelAttribute : Attribute
{
}

/// <summary>
/// Marks a parameter of a <c>[GpuKernel]</c> method as varying per sample: a <c>double</c>/<c>float</c>/<c>int</c>
/// scalar becomes an <c>ArrayView&lt;T&gt;</c> with one element per sample in the kernels, and a one-dimensional array
/// becomes an <c>ArrayView2D&lt;T, Stride2D.DenseY&gt;</c> with one row per sample (all rows of one length). Per-sample
/// parameters are data: the kernels do not differentiate with respect to them.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class PerSampleAttribute : Attribute
{
}
