using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>Arrays and spans: parameters, element reads, Length, local arrays written in place, foreach.</summary>
public static partial class Arrays
{
    /// <summary>w · x + b: the common dot-product loop, which needs no tape.</summary>
    [Differentiable]
    public static double Dot(double[] w, double[] x, double b)
    {
        double sum = b;
        for (int i = 0; i < w.Length; i++) sum += w[i] * x[i];
        return sum;
    }

    /// <summary>Σ xᵢ² over a read-only span, with foreach.</summary>
    [Differentiable]
    public static double SumOfSquares(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (var v in x) s += v * v;
        return s;
    }

    /// <summary>Rosenbrock's function in n dimensions.</summary>
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double f = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
        }
        return f;
    }

    /// <summary>A local array written in place (a prefix product), then read back.</summary>
    [Differentiable]
    public static double PrefixProducts(double[] x, double scale)
    {
        double[] p = new double[x.Length];
        p[0] = x[0] * scale;
        for (int i = 1; i < x.Length; i++) p[i] = p[i - 1] * x[i];
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += Math.Sin(p[i]);
        return s;
    }

    /// <summary>
    /// Calls of a method with a local array and loops: its pullback takes the split form (PrefixProductsForward and
    /// PrefixProductsReverse), whose local array comes from this pullback's tape.
    /// </summary>
    [Differentiable]
    public static double PrefixProductsTwice(double[] x, double scale) => PrefixProducts(x, scale) * PrefixProducts(x, 2 * scale);

    /// <summary>
    /// A local array filled once by its loop's index, each element reading the one before: every element is written from
    /// the zero of new double[n], so the reverse sweep restores zeros and keeps no element on the tape.
    /// </summary>
    [Differentiable]
    public static double FilledByIndex(double[] x, double scale)
    {
        double[] e = new double[x.Length];
        for (int i = 0; i < x.Length; i++) e[i] = Math.Exp(scale * x[i]) + (i > 0 ? 0.5 * e[i - 1] : 0.0);
        double s = 0;
        for (int i = 0; i < e.Length; i++) s += e[i] * x[i];
        return Math.Log(s * s + 1);
    }

    /// <summary>A local array overwritten several times (a smoothing pass repeated), in float.</summary>
    [Differentiable]
    public static float Smooth(float[] x)
    {
        float[] y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = x[i];
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 1; i < y.Length; i++) y[i] = 0.5f * (y[i] + y[i - 1] * y[i - 1]);
        }
        float s = 0;
        foreach (var v in y) s += v;
        return s;
    }

    /// <summary>The logistic loss of one sample, calling <see cref="Dot"/> with array arguments; the label is data.</summary>
    [Differentiable]
    public static double LogisticLoss(double[] w, double[] x, double b, [NoDerivative] double label)
    {
        double z = Dot(w, x, b);
        return Math.Log(1 + Math.Exp(-label * z));
    }

    /// <summary>A local array passed to calls as an array and as a read-only span.</summary>
    [Differentiable]
    public static double TwoLayer(double[] x, double[] w1, double[] w2)
    {
        double[] h = new double[x.Length];
        for (int i = 0; i < x.Length; i++) h[i] = Math.Tanh(w1[i] * x[i]);
        return SumOfSquares(h) + Dot(w2, h, 0.5);
    }

    /// <summary>A scratch buffer on the stack: squares kept in a stackalloc'd span, then summed with weights.</summary>
    [Differentiable]
    public static double StackScratch(ReadOnlySpan<double> x, double scale)
    {
        Span<double> squares = stackalloc double[x.Length];
        for (int i = 0; i < x.Length; i++) squares[i] = x[i] * x[i] * scale;
        double s = 0;
        for (int i = 0; i < squares.Length; i++) s += Math.Sin(squares[i]);
        return s;
    }

    /// <summary>The log-sum-exp of a span, computed stably (max subtracted), with a Span parameter only read.</summary>
    [Differentiable]
    public static double LogSumExp(Span<double> z)
    {
        double m = z[0];
        for (int i = 1; i < z.Length; i++) m = Math.Max(m, z[i]);
        double s = 0;
        for (int i = 0; i < z.Length; i++) s += Math.Exp(z[i] - m);
        return m + Math.Log(s);
    }
}
