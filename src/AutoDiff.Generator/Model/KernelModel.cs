using System;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Model;

/// <summary>
/// A <c>[GpuKernel]</c> method: its differentiable model and the names of the parameters that vary per sample (marked
/// <c>[PerSample]</c>); every other parameter is shared by all samples. A value, like every model in the pipeline.
/// </summary>
/// <param name="Method">The method's model, as for its CPU derivatives.</param>
/// <param name="PerSample">The per-sample parameters, in declaration order.</param>
internal sealed record KernelModel(DifferentiableMethodModel Method, EquatableArray<string> PerSample)
{
    /// <summary>
    /// The <c>[Differentiable]</c> methods of this compilation that the method calls, each with the reason a kernel may
    /// not call it (<c>KernelCallees</c>); the others are called as device functions.
    /// </summary>
    public EquatableArray<KernelCallee> Callees { get; init; } = EquatableArray<KernelCallee>.Empty;

    /// <summary>The kernels' file: the derivatives' file name with <c>-Kernels</c> before <c>.g.cs</c>.</summary>
    public string HintName => HintNames.WithRole(Method.HintName, "Kernels");

    /// <summary>The callee that <paramref name="method"/> is, or a generated derivative of; null for any other method.</summary>
    public KernelCallee? CalleeOf(IrMethodRef method) => Callees.FirstOrDefault(c => c.Matches(method));

    /// <summary>True when the kernels call one of the user's methods (whose <c>GBackwardTangent</c> the H·v kernel needs).</summary>
    public bool CallsUserMethods => Callees.Count > 0;
}

/// <summary>A <c>[Differentiable]</c> method of this compilation that a kernel calls.</summary>
/// <param name="ContainingType">Its type, fully qualified, as IR calls name it.</param>
/// <param name="Name">Its name, as IR calls name it.</param>
/// <param name="Parameters">Its parameters' types, in order: they tell overloads apart.</param>
/// <param name="Refusal">Why a kernel may not call it (ADIFF012's reason), or null when it is a device function.</param>
internal sealed record KernelCallee(string ContainingType, string Name, EquatableArray<IrType> Parameters, string? Refusal)
{
    /// <summary>
    /// True when <paramref name="method"/> is this method or one of its generated derivatives: the same type, the name
    /// with a derivative's suffix, and this method's parameter types first (derivatives add theirs after them).
    /// </summary>
    public bool Matches(IrMethodRef method)
    {
        if (method.ContainingType != ContainingType || method.Parameters.Count < Parameters.Count) return false;
        if (method.Name != Name && !DerivativeKinds.CalledByKernels.Any(k => method.Name == Name + k.Suffix())) return false;
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (method.Parameters[i].Type != Parameters[i]) return false;
        }
        return true;
    }
}
