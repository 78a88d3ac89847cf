using System;

namespace AutoDiff.Gpu.Tests;

/// <summary>A user's [GpuKernel] methods: shared scalars (whose adjoints are one-element views) and per-sample scalars.</summary>
public static partial class UserKernels
{
    /// <summary>The squared error of the model a·e^(b·t) + c at one observation (t, y).</summary>
    [Differentiable, GpuKernel]
    public static double ExponentialFit([PerSample] double t, [PerSample] double y, double a, double b, double c)
    {
        double r = a * Math.Exp(b * t) + c - y;
        if (r > 0.25) return 0.5 * r - 0.0625;   // a Huber-like branch, so that the kernels carry control flow
        return r * r;
    }
}

/// <summary>
/// A user's [GpuKernel] method that calls the user's own scalar [Differentiable] helpers, which the kernels call as ILGPU
/// device functions with their generated pullbacks and tangents: <see cref="SmoothPlus"/> (a softplus with a branch and
/// a shared parameter passed straight in), and <see cref="Ridge"/>, which takes an int and calls <see cref="Square"/>.
/// </summary>
public static partial class HelperKernels
{
    /// <summary>
    /// The smooth hinge loss of a linear classifier at one sample (features x, label y = ±1): softplus of the margin's
    /// shortfall with softness s, plus ridge penalties on the weights and the bias.
    /// </summary>
    [Differentiable, GpuKernel]
    public static double SmoothHingeLoss([PerSample] double[] x, [PerSample] double y, double[] w, double b, double s)
    {
        double z = b;
        for (int j = 0; j < x.Length; j++) z += w[j] * x[j];
        double ridge = 0.0;
        for (int j = 0; j < x.Length; j++) ridge += Ridge(w[j], 1);
        return SmoothPlus(1.0 - y * z, s) + 0.05 * ridge + 0.01 * Ridge(b, 2);
    }

    /// <summary>s·log(1 + e^(z/s)), a softplus of softness s, with a branch on the sign of z so that e^(z/s) never overflows.</summary>
    [Differentiable]
    public static double SmoothPlus(double z, double s)
    {
        double u = z / s;
        if (u > 0) return z + s * Math.Log(1.0 + Math.Exp(-u));
        return s * Math.Log(1.0 + Math.Exp(u));
    }

    /// <summary>w² (power 1) or w⁴ (power 2).</summary>
    [Differentiable]
    public static double Ridge(double w, int power)
    {
        double square = Square(w);
        return power == 2 ? square * square : square;
    }

    [Differentiable]
    public static double Square(double v) => v * v;
}

/// <summary>Every <c>Math</c> function the kernel emitter accepts, so that the PTX test compiles each of them.</summary>
public static partial class MathKernels
{
#pragma warning disable ADIFF102 // Floor and Ceiling: piecewise constant on purpose
    [Differentiable, GpuKernel]
    public static double EveryFunction([PerSample] double x, double[] p)
    {
        double a = p[0] * x;
        return Math.Exp(a) + Math.Log(1.0 + a * a) + Math.Log10(2.0 + a) + Math.Log2(2.0 + a) + Math.Sqrt(1.0 + a * a)
            + Math.Pow(1.5 + a, p[1]) + Math.Sin(a) + Math.Cos(a) + Math.Tan(a) + Math.Asin(0.5 * a) + Math.Acos(0.5 * a)
            + Math.Atan(a) + Math.Atan2(a, 2.0) + Math.Sinh(a) + Math.Cosh(a) + Math.Tanh(a) + Math.Abs(a) + Math.Max(a, p[1])
            + Math.Min(a, p[1]) + Math.Floor(a) * a + Math.Ceiling(a) * a;
    }

    [Differentiable, GpuKernel]
    public static float EveryFunctionSingle([PerSample] float x, float[] p)
    {
        float a = p[0] * x;
        return MathF.Exp(a) + MathF.Log(1.0f + a * a) + MathF.Log10(2.0f + a) + MathF.Log2(2.0f + a) + MathF.Sqrt(1.0f + a * a)
            + MathF.Pow(1.5f + a, p[1]) + MathF.Sin(a) + MathF.Cos(a) + MathF.Tan(a) + MathF.Asin(0.5f * a) + MathF.Acos(0.5f * a)
            + MathF.Atan(a) + MathF.Atan2(a, 2.0f) + MathF.Sinh(a) + MathF.Cosh(a) + MathF.Tanh(a) + MathF.Abs(a) + MathF.Max(a, p[1])
            + MathF.Min(a, p[1]) + MathF.Floor(a) * a + MathF.Ceiling(a) * a;
    }
#pragma warning restore ADIFF102
}

/// <summary>
/// Kernels that call: every vector primitive of the runtime (expanded to device loops with their rules) and its scalar
/// functions <c>Losses.Softplus</c> and <c>Losses.Activate</c> (called as device functions, with their generated pullbacks
/// and tangents).
/// </summary>
public static partial class CallKernels
{
    [Differentiable, GpuKernel]
    public static double EveryPrimitive([PerSample] double[] x, [PerSample] double y, double[] w)
    {
        int d = x.Length;
        double z = AutoDiff.Primitives.VectorMath.DotWithConstant(w, 0, x, 0, d) + w[d];
        double penalty = AutoDiff.Primitives.VectorMath.Dot(w, 0, w, 1, d);
        double s = AutoDiff.Primitives.VectorMath.Sum(w, 1, d);
        double lse = AutoDiff.Primitives.VectorMath.LogSumExp(w, 0, d + 1);
        return AutoDiff.Models.Losses.Softplus(z) - y * z + 0.3 * penalty + 0.1 * s * z + 0.2 * lse * z
            + AutoDiff.Models.Losses.Activate(z, 2) + AutoDiff.Models.Losses.Activate(s, 1);
    }
}
