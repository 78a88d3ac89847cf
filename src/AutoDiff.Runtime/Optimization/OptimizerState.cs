using System;

namespace AutoDiff.Optimization;

/// <summary>Argument checks shared by the step optimisers.</summary>
internal static class OptimizerState
{
    /// <summary>Checks the lengths of a step's arguments against each other and against the state's length.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="gradient">The gradient.</param>
    /// <param name="stateLength">The length the state was made for, or -1 when there is no state yet.</param>
    public static void CheckStep(ReadOnlySpan<double> parameters, ReadOnlySpan<double> gradient, int stateLength)
    {
        if (gradient.Length != parameters.Length)
            throw new ArgumentException(
                $"The gradient has {gradient.Length} elements but there are {parameters.Length} parameters.", nameof(gradient));
        if (stateLength >= 0 && stateLength != parameters.Length)
            throw new ArgumentException(
                $"The optimiser's state is for {stateLength} parameters but {parameters.Length} were passed; call Reset() to start over with another length.",
                nameof(parameters));
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and positive.</summary>
    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be finite and positive.");

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    public static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be finite and non-negative.");

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    public static double UnitInterval(double value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be in [0, 1).");
}
