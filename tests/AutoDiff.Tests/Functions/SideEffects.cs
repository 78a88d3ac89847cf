using System;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// A call made for its side effects (ADIFF105, silenced here): the generated derivatives run it again, and their
/// values are unaffected by it.
/// </summary>
public static partial class SideEffects
{
    [ThreadStatic] private static int calls;

    /// <summary>How many times <see cref="Count"/> ran on this thread since the last reset.</summary>
    public static int TakeCalls()
    {
        int taken = calls;
        calls = 0;
        return taken;
    }

    public static void Count(double value)
    {
        if (!double.IsNaN(value)) calls++;
    }

#pragma warning disable ADIFF105 // The repetition is what the test counts.
    [Differentiable]
    public static double Logged(double x, double y)
    {
        double s = x * y;
        Count(s);
        return s * Math.Sin(x);
    }
#pragma warning restore ADIFF105
}
