using System;

namespace AutoDiff;

/// <summary>Thrown by <see cref="GradientChecker.Assert(Func{double[], double}, double[], double[], GradientCheckOptions?)"/> when the check fails.</summary>
public sealed class GradientCheckException : Exception
{
    /// <summary>Creates the exception for a failed check; the message is the result's description.</summary>
    public GradientCheckException(GradientCheckResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).ToString())
    {
        Result = result;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public GradientCheckException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public GradientCheckException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The failed check's result; null when the exception was created from a message.</summary>
    public GradientCheckResult? Result { get; }
}
