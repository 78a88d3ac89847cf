using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Targets.Ilgpu;

/// <summary>What a parameter of the user's method is in the kernels.</summary>
internal enum KernelRole
{
    /// <summary>A scalar per sample: <c>ArrayView&lt;T&gt;</c>, read at the sample.</summary>
    PerSampleScalar,

    /// <summary>An array per sample: <c>ArrayView2D&lt;T, Stride2D.DenseY&gt;</c>, the sample's row.</summary>
    PerSampleArray,

    /// <summary>A shared scalar, passed by value.</summary>
    SharedScalar,

    /// <summary>A shared array: <c>ArrayView&lt;T&gt;</c>.</summary>
    SharedArray,
}

internal enum KernelVariant
{
    Forward,
    Backward,
    PerSampleBackward,
    HessianVector,
}

/// <summary>
/// The names and IR the four kernels of a <c>[GpuKernel]</c> method share: the method (its per-sample parameters excluded
/// from differentiation), its pullback with plain calls, forward mode over the pullback, the role of each parameter, and
/// the names the kernels add. <see cref="KernelRewriter"/> rewrites each variant from it, and <see cref="KernelEmitter"/>
/// prints the result.
/// </summary>
internal sealed class KernelPlan
{
    private KernelPlan(KernelModel model, IrMethod method, IrMethod backward, IrMethod backwardTangent, PullbackNames pullback, NameAllocator names)
    {
        Model = model;
        Method = method;
        Backward = backward;
        BackwardTangent = backwardTangent;
        Pullback = pullback;
        Roles = method.Parameters.ToDictionary(p => p.Name, p => model.PerSample.Contains(p.Name)
            ? p.Type.IsSequence ? KernelRole.PerSampleArray : KernelRole.PerSampleScalar
            : p.Type.IsSequence ? KernelRole.SharedArray : KernelRole.SharedScalar);
        Shared = method.Parameters.Where(p => p.IsDifferentiable).ToList();
        Index = names.Fresh("index");
        Samples = names.Fresh("samples");
        Sample = names.Fresh("sample");
        Values = names.Fresh("values");
        Lengths = method.Parameters.Where(p => p.Type.IsSequence)
            .ToDictionary(p => p.Name, p => names.Fresh("_" + NameAllocator.Unescaped(p.Name) + (Roles[p.Name] == KernelRole.PerSampleArray ? "Width" : "Length")));
        Directions = Shared.ToDictionary(p => p.Name, p => names.Fresh("v" + DerivativeNaming.AdjointName(p.Name).Substring(1)));
        Products = Shared.ToDictionary(p => p.Name, p => names.Fresh("hv" + DerivativeNaming.AdjointName(p.Name).Substring(1)));
        UsesScratch = new[] { method, backward, backwardTangent }.Any(m => Ir.AnyStatement(m.Body, s => s is IrDeclare { Type.IsSequence: true } or IrTapePush));
        Scratch = names.Fresh("scratch");
        ScratchWidth = names.Fresh("scratchWidth");
        ScratchTop = names.Fresh("_scratchTop");
        TapeTop = names.Fresh("_tapeTop");
        Names = names;
    }

    /// <summary>Fresh names for the locals of expanded calls (<see cref="KernelCalls"/>).</summary>
    public NameAllocator Names { get; }

    public KernelModel Model { get; }

    /// <summary>The user's method with the per-sample parameters excluded from differentiation.</summary>
    public IrMethod Method { get; }

    public IrMethod Backward { get; }

    public IrMethod BackwardTangent { get; }

    public PullbackNames Pullback { get; }

    public Dictionary<string, KernelRole> Roles { get; }

    /// <summary>The shared parameters the kernels differentiate, in order.</summary>
    public List<IrParameter> Shared { get; }

    public string Index { get; }

    public string Samples { get; }

    public string Sample { get; }

    public string Values { get; }

    /// <summary>For each array parameter, the local holding its length (a per-sample array's: its row's).</summary>
    public Dictionary<string, string> Lengths { get; }

    /// <summary>For each shared parameter, the name of its component of the direction v.</summary>
    public Dictionary<string, string> Directions { get; }

    /// <summary>For each shared parameter, the name of its component of H·v.</summary>
    public Dictionary<string, string> Products { get; }

    public IrType Result => Method.ReturnType;

    /// <summary>
    /// True when a kernel body declares a local array (the method's own, or an adjoint or tangent of one) or keeps a
    /// tape: the kernels then take <see cref="Scratch"/>, one row of <see cref="ScratchWidth"/> elements per thread;
    /// each local array is a slice of the thread's row, and the tape grows down from its end.
    /// </summary>
    public bool UsesScratch { get; }

    public string Scratch { get; }

    public string ScratchWidth { get; }

    /// <summary>The per-sample method's local holding the first free element of the thread's scratch row.</summary>
    public string ScratchTop { get; }

    /// <summary>The local holding the top of the thread's tape, which grows down from the end of its scratch row.</summary>
    public string TapeTop { get; }

    /// <summary>The IR a variant's kernel is rewritten from: the method for the forward kernel, its pullback for the backward ones, forward mode over the pullback for H·v.</summary>
    public IrBlock BodyOf(KernelVariant variant) => variant switch
    {
        KernelVariant.Forward => Method.Body,
        KernelVariant.HessianVector => BackwardTangent.Body,
        _ => Backward.Body,
    };

    /// <summary>The plan of a <c>[GpuKernel]</c> method's kernels, or null when the method cannot have kernels; <paramref name="refusal"/> then says why.</summary>
    public static KernelPlan? Build(KernelModel model, KernelRefusal refusal)
    {
        var outer = model.Method;
        var original = outer.Method;
        if (outer.Custom is not null) return refusal.Refuse("its derivatives are hand-written ([CustomDerivative]), and kernels are generated from the method's own code only", (KernelPlan?)null);
        if (!outer.IsStatic) return refusal.Refuse("it is an instance method; kernels are static", (KernelPlan?)null);
        if (original.IsVectorValued || !original.ReturnType.IsFloatingPoint) return refusal.Refuse("it does not return a double or float (a kernel computes one scalar per sample)", (KernelPlan?)null);
        foreach (var parameter in original.Parameters)
        {
            if (parameter.Kind != ParameterKind.Value) return refusal.Refuse($"parameter '{parameter.Name}' is passed by {parameter.Kind.ToString().ToLowerInvariant()}; kernels take values and arrays", (KernelPlan?)null);
            if (parameter.IsOutput || parameter.Type.Shape is TypeShape.Span or TypeShape.Matrix)
            {
                return refusal.Refuse($"parameter '{parameter.Name}' is a {parameter.Type.Keyword.Replace("global::System.", "")}; kernels take scalars and one-dimensional arrays", (KernelPlan?)null);
            }
        }
        // Per-sample parameters are data: excluded from differentiation, as [NoDerivative] would.
        var method = original with
        {
            Parameters = original.Parameters.Select(p => model.PerSample.Contains(p.Name) ? p with { NoDerivative = true } : p).ToEquatableArray(),
        };
        if (!method.Parameters.Any(p => p.IsDifferentiable))
        {
            return refusal.Refuse("every double or float parameter is [PerSample], so there is no shared parameter to differentiate", (KernelPlan?)null);
        }
        // Plain GBackward calls: a kernel calls its callees' pullbacks, never their split halves (which keep a tape).
        var (backward, backwardTangent) = Differentiator.ForKernels(method);
        var pullback = DerivativeNaming.ForPullback(method);

        var reserved = new HashSet<string>(DerivativeNaming.MethodNames(method.Name));
        foreach (var m in new[] { method, backward, backwardTangent })
        {
            foreach (var p in m.Parameters) reserved.Add(p.Name);
            Ir.ForEachStatement(m.Body, s =>
            {
                if (s is IrDeclare d) reserved.Add(d.Name);
            });
        }
        return new KernelPlan(model, method, backward, backwardTangent, pullback, new NameAllocator(reserved));
    }

    /// <summary>The name <c>FKernelScratchWidth</c> gives an array parameter's length.</summary>
    public static string HostLengthName(string array) => NameAllocator.Unescaped(array) + "Length";

    /// <summary>The name <c>FKernelScratchWidth</c> gives the largest value of a per-sample int.</summary>
    public static string HostMaxName(string scalar) => NameAllocator.Unescaped(scalar) + "Max";

    /// <summary>The parameter of <c>FKernelScratchWidth</c> that stands for <paramref name="parameter"/>.</summary>
    public static string HostName(KernelPlan plan, IrParameter parameter) => plan.Roles[parameter.Name] switch
    {
        KernelRole.PerSampleArray or KernelRole.SharedArray => HostLengthName(parameter.Name),
        KernelRole.PerSampleScalar => HostMaxName(parameter.Name),
        _ => parameter.Name,
    };
}
