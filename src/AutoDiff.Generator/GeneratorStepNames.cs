namespace AutoDiff.Generator;

/// <summary>Tracking names of the generator's pipeline steps (tests check their caching by these names).</summary>
internal static class GeneratorStepNames
{
    /// <summary>A [Differentiable] method lowered to its model (null when it cannot be differentiated).</summary>
    public const string Lowered = nameof(Lowered);

    /// <summary>A [CustomDerivative] method lowered to its model (null when its rules do not check out).</summary>
    public const string LoweredCustom = nameof(LoweredCustom);

    /// <summary>The models of the methods that can be differentiated, and whose [Differentiable] callees can be too.</summary>
    public const string Accepted = nameof(Accepted);

    /// <summary>The generated file of each method: its derivatives built (<c>Differentiator.Run</c>) and printed.</summary>
    public const string Emitted = nameof(Emitted);

    /// <summary>Where each [Differentiable] and [CustomDerivative] method stands in its file (<c>MethodPlacement</c>).</summary>
    public const string Placed = nameof(Placed);

    /// <summary>A [GpuKernel] method's kernel model (null when it gets no kernels).</summary>
    public const string KernelLowered = nameof(KernelLowered);

    /// <summary>The kernels' file of each [GpuKernel] method.</summary>
    public const string KernelEmitted = nameof(KernelEmitted);
}
