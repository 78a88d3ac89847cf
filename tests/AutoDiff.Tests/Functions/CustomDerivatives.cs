using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>Derivatives written by hand with [CustomDerivative], used by generated code.</summary>
public static partial class CustomDerivatives
{
    /// <summary>
    /// log(1 + eˣ) through a library call the generator cannot see into (FusedMultiplyAdd), with a hand-written,
    /// overflow-free derivative σ(x).
    /// </summary>
    [CustomDerivative]
    public static double Softplus(double x) => x > 30 ? x : Math.Log(Math.FusedMultiplyAdd(1.0, Math.Exp(x), 1.0));

    public static double SoftplusBackward(double x, double seed, ref double dX)
    {
        dX += seed / (1 + Math.Exp(-x));
        return Softplus(x);
    }

    public static double SoftplusTangent(double x, double xTangent, out double resultTangent)
    {
        resultTangent = xTangent / (1 + Math.Exp(-x));
        return Softplus(x);
    }

    /// <summary>A model that uses the custom rule: generated reverse, forward and second order go through it.</summary>
    [Differentiable]
    public static double Model(double a, double b, double x) => Softplus(a * x + b) * Softplus(-a * x);

    /// <summary>A custom derivative of two arguments with its own second-order rule written by hand.</summary>
    [CustomDerivative]
    public static double Hypot(double x, double y) => Math.Sqrt(Math.FusedMultiplyAdd(x, x, y * y));

    public static double HypotBackward(double x, double y, double seed, ref double dX, ref double dY)
    {
        double r = Hypot(x, y);
        dX += seed * x / r;
        dY += seed * y / r;
        return r;
    }

    public static double HypotTangent(double x, double y, double xTangent, double yTangent, out double resultTangent)
    {
        double r = Hypot(x, y);
        resultTangent = (x * xTangent + y * yTangent) / r;
        return r;
    }

    public static double HypotBackwardTangent(double x, double y, double seed, ref double dX, ref double dY,
        double xTangent, double yTangent, double seedTangent, ref double dXTangent, ref double dYTangent, out double resultTangent)
    {
        double r = Hypot(x, y);
        double rTangent = (x * xTangent + y * yTangent) / r;
        dX += seed * x / r;
        dY += seed * y / r;
        // d(seed·x/r) = seed'·x/r + seed·x'/r − seed·x·r'/r²
        dXTangent += seedTangent * x / r + seed * xTangent / r - seed * x * rTangent / (r * r);
        dYTangent += seedTangent * y / r + seed * yTangent / r - seed * y * rTangent / (r * r);
        resultTangent = rTangent;
        return r;
    }

    /// <summary>Rules for a BCL method: calls to Math.FusedMultiplyAdd in [Differentiable] code use them.</summary>
    [CustomDerivative(typeof(Math), nameof(Math.FusedMultiplyAdd))]
    public static double FusedMultiplyAdd(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z);

    public static double FusedMultiplyAddBackward(double x, double y, double z, double seed, ref double dX, ref double dY, ref double dZ)
    {
        dX += seed * y;
        dY += seed * x;
        dZ += seed;
        return Math.FusedMultiplyAdd(x, y, z);
    }

    public static double FusedMultiplyAddTangent(double x, double y, double z, double xTangent, double yTangent, double zTangent, out double resultTangent)
    {
        resultTangent = xTangent * y + x * yTangent + zTangent;
        return Math.FusedMultiplyAdd(x, y, z);
    }

    /// <summary>A polynomial by Horner's rule with Math.FusedMultiplyAdd, which has rules through the forwarder above.</summary>
    [Differentiable]
    public static double Horner(double x, double a, double b, double c) => Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(a, x, b), x, c);

    [Differentiable]
    public static double Distance(double x0, double y0, double x1, double y1) => Hypot(x1 - x0, y1 - y0);
}
