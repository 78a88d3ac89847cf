namespace AutoDiff.Generator.Targets.Ilgpu;

/// <summary>
/// Why a method cannot become kernels (ADIFF012's text), found while its kernels are planned and rewritten. Code that
/// meets something kernels cannot do records the reason here and goes on with a placeholder; the first reason recorded
/// is the one reported, and whoever started the work reads it at the end. No exception carries it.
/// </summary>
internal sealed class KernelRefusal
{
    /// <summary>The first reason recorded, or null while there is none.</summary>
    public string? Reason { get; private set; }

    /// <summary>True once a reason has been recorded.</summary>
    public bool Refused => Reason is not null;

    /// <summary>Records <paramref name="reason"/>, unless an earlier one stands.</summary>
    public void Refuse(string reason) => Reason ??= reason;

    /// <summary>Records <paramref name="reason"/> (unless an earlier one stands) and returns <paramref name="placeholder"/>, which the caller goes on with.</summary>
    public T Refuse<T>(string reason, T placeholder)
    {
        Reason ??= reason;
        return placeholder;
    }
}
