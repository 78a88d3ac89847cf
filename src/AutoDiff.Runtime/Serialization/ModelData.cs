using System;
using System.Collections.Generic;

namespace AutoDiff.Serialization;

/// <summary>
/// What a model file holds: the kind of model, string metadata (hyper-parameters, class names, training details)
/// and the named parameter arrays (weights, biases, a standardiser's mean and scale).
/// </summary>
/// <param name="Kind">
/// What the model is, chosen by the code that saves it (for example <c>"softmax-regression"</c>), so that a loader can
/// check that it got the model it expects. Not empty.
/// </param>
/// <param name="Metadata">String keys and values; keys are not empty.</param>
/// <param name="Parameters">Named parameter arrays; names are not empty.</param>
/// <remarks>
/// Two instances are equal when their kinds, metadata and parameters are equal, the arrays compared bit for bit
/// (so a saved and reloaded model equals the original, NaNs included). The arrays are not copied: do not change
/// them while the data is in use.
/// </remarks>
/// <example>
/// <code>
/// var data = new ModelData("softmax-regression",
///     new Dictionary&lt;string, string&gt; { ["classes"] = "setosa,versicolor,virginica", ["features"] = "4" },
///     new Dictionary&lt;string, double[]&gt; { ["weights"] = weights, ["bias"] = bias });
/// ModelFile.Save("iris.admf", data);
/// </code>
/// </example>
public sealed record ModelData(string Kind, IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, double[]> Parameters)
{
    /// <summary>A model of the given kind with no metadata and no parameters yet.</summary>
    /// <param name="kind">What the model is.</param>
    public ModelData(string kind)
        : this(kind, new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, double[]>(StringComparer.Ordinal))
    {
    }

    /// <summary>What the model is (for example <c>"softmax-regression"</c>).</summary>
    public string Kind { get; init; } = !string.IsNullOrEmpty(Kind) ? Kind : throw new ArgumentException("The model kind must not be empty.", nameof(Kind));

    /// <summary>String keys and values: hyper-parameters, class names, training details.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Metadata ?? throw new ArgumentNullException(nameof(Metadata));

    /// <summary>The parameter arrays by name.</summary>
    public IReadOnlyDictionary<string, double[]> Parameters { get; init; } = Parameters ?? throw new ArgumentNullException(nameof(Parameters));

    /// <summary>Whether <paramref name="other"/> has the same kind, metadata and parameters (arrays compared bit for bit).</summary>
    /// <param name="other">The other model data.</param>
    public bool Equals(ModelData? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || Kind != other.Kind) return false;
        if (Metadata.Count != other.Metadata.Count || Parameters.Count != other.Parameters.Count) return false;
        foreach (var (key, value) in Metadata)
        {
            if (!other.Metadata.TryGetValue(key, out string? theirs) || value != theirs) return false;
        }

        foreach (var (name, array) in Parameters)
        {
            if (!other.Parameters.TryGetValue(name, out double[]? theirs) || !BitwiseEqual(array, theirs)) return false;
        }

        return true;
    }

    /// <summary>A hash of the kind and the numbers of entries, consistent with <see cref="Equals(ModelData?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Kind, Metadata.Count, Parameters.Count);

    private static bool BitwiseEqual(double[]? a, double[]? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i])) return false;
        }

        return true;
    }
}
