using System;
using System.Globalization;

namespace AutoDiff;

/// <summary>
/// Thrown by the minimisers of <c>AutoDiff.Optimization</c> when the objective returns a NaN or infinite value or
/// gradient component (or, for Newton-CG, a Hessian-vector product does). The message names the iteration and, when
/// the gradient is at fault, the index of its first non-finite component.
/// </summary>
public sealed class NonFiniteException : ArithmeticException
{
    /// <summary>Creates the exception with a message of its own.</summary>
    public NonFiniteException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public NonFiniteException(string message, Exception innerException) : base(message, innerException) { }

    internal NonFiniteException(string message, int iteration, int index, double value)
        : base(message)
    {
        Iteration = iteration;
        Index = index;
        Value = value;
    }

    /// <summary>
    /// The iteration at which the non-finite number appeared: 0 for the evaluation at the starting point, k for the
    /// evaluations made while computing iterate k (line-search trial points, Hessian-vector products). -1 when unknown.
    /// </summary>
    public int Iteration { get; } = -1;

    /// <summary>
    /// The index of the first non-finite component of the gradient (or Hessian-vector product), or -1 when every
    /// component is finite and only the function value is not.
    /// </summary>
    public int Index { get; } = -1;

    /// <summary>The function value returned by the evaluation that failed (NaN when unknown).</summary>
    public double Value { get; } = double.NaN;

    /// <summary>Throws when <paramref name="value"/> or a component of <paramref name="gradient"/> is not finite.</summary>
    internal static void ThrowIfNonFinite(string method, int iteration, double value, ReadOnlySpan<double> gradient)
    {
        int index = FirstNonFinite(gradient);
        if (index < 0 && double.IsFinite(value))
            return;
        throw Create(method, iteration, value, gradient, index);
    }

    /// <summary>Throws when a component of a Hessian-vector product is not finite.</summary>
    internal static void ThrowIfNonFiniteProduct(string method, int iteration, double value, ReadOnlySpan<double> hv)
    {
        int index = FirstNonFinite(hv);
        if (index < 0)
            return;
        string message = string.Format(
            CultureInfo.InvariantCulture,
            "{0}: non-finite Hessian-vector product at iteration {1}: component {2} is {3}.",
            method, iteration, index, hv[index]);
        throw new NonFiniteException(message, iteration, index, value);
    }

    /// <summary>The index of the first NaN or infinite element, or -1.</summary>
    internal static int FirstNonFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                return i;
        }
        return -1;
    }

    private static NonFiniteException Create(string method, int iteration, double value, ReadOnlySpan<double> gradient, int index)
    {
        string message = index >= 0
            ? string.Format(
                CultureInfo.InvariantCulture,
                "{0}: non-finite gradient at iteration {1}: component {2} is {3} (function value {4}).",
                method, iteration, index, gradient[index], value)
            : string.Format(
                CultureInfo.InvariantCulture,
                "{0}: non-finite function value {1} at iteration {2} (every gradient component is finite).",
                method, value, iteration);
        return new NonFiniteException(message, iteration, index, value);
    }
}
