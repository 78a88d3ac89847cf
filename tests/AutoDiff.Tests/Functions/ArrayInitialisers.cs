using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>Arrays written with initialisers, as people write small fixed vectors: constants, values, arguments.</summary>
public static partial class ArrayInitialisers
{
    /// <summary>A cubic by Horner's rule over constant coefficients: 1 − 2x + 0.5x² + 3x³.</summary>
    [Differentiable]
    public static double Cubic(double x)
    {
        double[] c = { 1.0, -2.0, 0.5, 3.0 };
        double s = 0;
        for (int i = c.Length - 1; i >= 0; i--) s = s * x + c[i];
        return s;
    }

    /// <summary>A point rotated by an angle, kept in a two-element array.</summary>
    [Differentiable]
    public static double Rotated(double x, double y, double angle)
    {
        var v = new[] { x * Math.Cos(angle) - y * Math.Sin(angle), x * Math.Sin(angle) + y * Math.Cos(angle) };
        return v[0] * v[0] + 3 * v[1];
    }

    [Differentiable]
    public static double SumOfSquares(double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
        return s;
    }

    /// <summary>An initialiser passed straight to a [Differentiable] method, and an int[] of indices.</summary>
    [Differentiable]
    public static double Passed(double x, double y)
    {
        int[] order = { 1, 0 };
        double[] pair = new double[] { x, y };
        return SumOfSquares(new[] { x, y, x * y }) + pair[order[0]] * 2;
    }
}
