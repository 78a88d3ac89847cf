using System;

namespace AutoDiff.Tests.Functions;

/// <summary>Differentiable code that calls generated derivatives: gradient penalties, pullbacks, tangents, and a Newton step
/// whose curvature is the derivative of a derivative.</summary>
public static partial class NestedDerivatives
{
    [Differentiable]
    public static double Potential(double x, double y, double k) => 0.5 * k * (x * x + 3 * y * y) + Math.Sin(x * y);

    /// <summary>A loss with a gradient penalty: the value plus 0.1·|∇ₓ,ᵧ Potential|².</summary>
    [Differentiable]
    public static double GradientPenalty(double x, double y, double k)
    {
        var g = PotentialGradient(x, y, k);
        return g.Value + 0.1 * (g.dX * g.dX + g.dY * g.dY);
    }

    [Differentiable]
    public static double DeconstructedGradient(double x, double y)
    {
        var (value, dx, dy, _) = PotentialGradient(x, y, 2.0);
        return value * dx + dy;
    }

    [Differentiable]
    public static double BackwardInside(double x, double y)
    {
        double dx = 0.5, dy = 0, dk = 0;
        PotentialBackward(x, y, 1.5, 2.0, ref dx, ref dy, ref dk);
        return dx * dy + dk;
    }

    [Differentiable]
    public static double TangentInside(double x, double y) => PotentialTangent(x, y, 1.0, y, -x, 0.0).Tangent + PotentialGradient(x, y, 1.0).Item3;

    [Differentiable]
    public static double TangentOutArgument(double x, double y)
    {
        double value = PotentialTangent(x, y, 2.0, 1.0, 1.0, 0.5, out double along);
        return value * along;
    }

    /// <summary>Uses the gradient of a method that takes structs: the gradient's struct parts, read field by field.</summary>
    [Differentiable]
    public static double StructGradientInside(double ax, double ay, double bx, double by)
    {
        var g = Structs.PairPotentialGradient(new Vec2(ax, ay), new Vec2(bx, by), 1.5);
        return g.dA.X * g.dA.X + g.dB.Y * ax + g.Value;
    }

    /// <summary>The pullback of a struct-taking method, accumulating into struct locals.</summary>
    [Differentiable]
    public static double StructBackwardInside(double ax, double ay)
    {
        var dA = new Vec2(0, 0);
        var dB = new Vec2(0.5, 0);
        double dK = 0;
        double value = Structs.PairPotentialBackward(new Vec2(ax, ay), new Vec2(1, -1), 2.0, 1.5, ref dA, ref dB, ref dK);
        return dA.X * dB.Y + dK * value;
    }

    /// <summary>The tangent of a struct-taking method along a struct direction.</summary>
    [Differentiable]
    public static double StructTangentInside(double ax, double ay) => Structs.PairPotentialTangent(new Vec2(ax, ay), new Vec2(ay, 1), 2.0, new Vec2(1, ax), new Vec2(0, 0), 0.5).Tangent;

    [Differentiable]
    public static double Energy(double x, double a) => Math.Cosh(x - a) + 0.1 * x * x * x * x;

    /// <summary>E'(x): a derivative, itself differentiable.</summary>
    [Differentiable]
    public static double Slope(double x, double a) => EnergyGradient(x, a).dX;

    /// <summary>E''(x): the derivative of a derivative (depth two).</summary>
    [Differentiable]
    public static double Curvature(double x, double a) => SlopeGradient(x, a).dX;

    /// <summary>The energy after one Newton step from x: its gradient and Hessian take derivatives of depth three and four.</summary>
    [Differentiable]
    public static double NewtonStep(double x, double a)
    {
        double next = x - Slope(x, a) / Curvature(x, a);
        return Energy(next, a);
    }
}
