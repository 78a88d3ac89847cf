using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>Vector-valued methods: they return void and write their results into Span&lt;T&gt; parameters.</summary>
public static partial class VectorFunctions
{
    /// <summary>The element-wise square (the tutorial's Jacobian example).</summary>
    [Differentiable]
    public static void Square(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i];
    }

    /// <summary>Polar to Cartesian coordinates: as many inputs as outputs (reverse mode).</summary>
    [Differentiable]
    public static void Polar(double r, double theta, Span<double> xy)
    {
        xy[0] = r * Math.Cos(theta);
        xy[1] = r * Math.Sin(theta);
    }

    /// <summary>One input, many outputs (forward mode).</summary>
    [Differentiable]
    public static void Harmonics(double t, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = Math.Sin(t * (i + 1)) / (i + 1);
    }

    /// <summary>The softmax, max-shifted: the output is written, then read and overwritten.</summary>
    [Differentiable]
    public static void Softmax(ReadOnlySpan<double> z, Span<double> p)
    {
        double m = z[0];
        for (int i = 1; i < z.Length; i++) m = Math.Max(m, z[i]);
        double s = 0;
        for (int i = 0; i < z.Length; i++)
        {
            p[i] = Math.Exp(z[i] - m);
            s += p[i];
        }
        for (int i = 0; i < z.Length; i++) p[i] /= s;
    }

    /// <summary>A method that returns a new array: x / ‖x‖, scaled.</summary>
    [Differentiable]
    public static double[] Normalize(double[] x, double scale)
    {
        double[] y = new double[x.Length];
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        double norm = Math.Sqrt(s);
        for (int i = 0; i < x.Length; i++) y[i] = scale * x[i] / norm;
        return y;
    }

    /// <summary>A running sum that reads the outputs it wrote, with a scalar input too.</summary>
    [Differentiable]
    public static void Cumulative(double[] x, double scale, Span<double> y)
    {
        y[0] = x[0] * scale;
        for (int i = 1; i < x.Length; i++) y[i] = y[i - 1] * 0.5 + x[i] * scale;
    }
}
