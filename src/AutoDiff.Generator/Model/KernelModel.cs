namespace AutoDiff.Generator.Model;

/// <summary>
/// A <c>[GpuKernel]</c> method: its differentiable model and the names of the parameters that vary per sample (marked
/// <c>[PerSample]</c>); every other parameter is shared by all samples. A value, like every model in the pipeline.
/// </summary>
/// <param name="Method">The method's model, as for its CPU derivatives.</param>
/// <param name="PerSample">The per-sample parameters, in declaration order.</param>
internal sealed record KernelModel(DifferentiableMethodModel Method, EquatableArray<string> PerSample)
{
    /// <summary>The kernels' file: the derivatives' file name with <c>.Kernels</c> before <c>.g.cs</c>.</summary>
    public string HintName => Method.HintName.EndsWith(".g.cs", System.StringComparison.Ordinal)
        ? Method.HintName.Substring(0, Method.HintName.Length - ".g.cs".Length) + ".Kernels.g.cs"
        : Method.HintName + ".Kernels.g.cs";
}
