using System;
using System.Numerics;

namespace AutoDiff.Tests.Functions;

/// <summary>A point with mutable fields, its own operators, a computed property and a method.</summary>
public struct Vec2
{
    public double X;
    public double Y;

    public Vec2(double x, double y)
    {
        X = x;
        Y = y;
    }

    public static Vec2 operator +(Vec2 a, Vec2 b) => new Vec2(a.X + b.X, a.Y + b.Y);

    public static Vec2 operator -(Vec2 a, Vec2 b) => new Vec2(a.X - b.X, a.Y - b.Y);

    public static Vec2 operator *(double s, Vec2 v) => new Vec2 { X = s * v.X, Y = s * v.Y };

    public double Norm => Math.Sqrt(X * X + Y * Y);

    public double Dot(Vec2 other) => X * other.X + Y * other.Y;
}

/// <summary>Read-only auto-properties set by a memberwise constructor, with a nested struct.</summary>
public readonly struct Particle
{
    public Particle(Vec2 position, double mass)
    {
        Position = position;
        Mass = mass;
    }

    public Vec2 Position { get; }

    public double Mass { get; }
}

/// <summary>A positional record struct (init-only properties).</summary>
public readonly record struct Polar(double Radius, double Angle);

/// <summary>Fields that are carried and not differentiated: an int count and a [NoDerivative] weight.</summary>
public struct Tagged
{
    public double Value;
    public int Count;
    [NoDerivative] public double Weight;
}

/// <summary>A struct with [Differentiable] instance methods: 'this' is differentiated like a parameter.</summary>
public partial struct Spring
{
    public Vector3 A;
    public Vector3 B;
    public double Stiffness;
    [NoDerivative] public double Rest;

    public Spring(Vector3 a, Vector3 b, double stiffness, double rest)
    {
        A = a;
        B = b;
        Stiffness = stiffness;
        Rest = rest;
    }

    public double Length => Vector3.Distance(A, B);

    [Differentiable]
    public double Energy(double scale)
    {
        double stretch = Length - Rest;
        return 0.5 * scale * Stiffness * stretch * stretch;
    }

    /// <summary>Energy(1) with no parameters of its own: only 'this' is differentiated.</summary>
    [Differentiable]
    public double PotentialEnergy() => 0.5 * Stiffness * (Length - Rest) * (Length - Rest);

    [Differentiable]
    public double EnergyPerLength(double scale) => Energy(scale) / Length + this.Stiffness * A.X;
}

public static partial class Structs
{
    [Differentiable]
    public static double SpringEnergy(Vec2 a, Vec2 b, double k, double rest)
    {
        var d = a - b;
        var stretch = d.Norm - rest;
        return 0.5 * k * stretch * stretch;
    }

    /// <summary>SpringEnergy written with numbers only: the reference for the struct version.</summary>
    [Differentiable]
    public static double SpringEnergyScalars(double ax, double ay, double bx, double by, double k, double rest)
    {
        double dx = ax - bx, dy = ay - by;
        double stretch = Math.Sqrt(dx * dx + dy * dy) - rest;
        return 0.5 * k * stretch * stretch;
    }

    [Differentiable]
    public static double ParticleEnergy(Particle p, double g) => p.Mass * g * p.Position.Y + 0.5 * p.Mass * p.Position.Dot(p.Position);

    [Differentiable]
    public static double PolarArea(Polar p)
    {
        var q = p with { Radius = 2 * p.Radius };
        return q.Radius * q.Radius * Math.Sin(q.Angle) + q.Angle * q.Angle;
    }

    [Differentiable]
    public static double TaggedValue(Tagged t, double x) => t.Value * x * t.Weight + t.Count * x;

    [Differentiable]
    public static float VectorLoss(Vector3 a, Vector3 b, float s)
    {
        var c = Vector3.Cross(a, b);
        var n = Vector3.Normalize(a + s * b);
        return Vector3.Dot(c, n) + Vector3.Distance(a, b) + Vector3.Lerp(a, b, s).Length() - (a * b).LengthSquared() / 10;
    }

    [Differentiable]
    public static double ComplexLoss(Complex z, double w)
    {
        var e = Complex.Exp(z * w) / (z + 1.0);
        return Complex.Abs(e) + Complex.Log(z).Imaginary + (z * Complex.Conjugate(z)).Real - (1 / z).Real;
    }

    [Differentiable]
    public static double ChainLength(Vec2[] points)
    {
        double total = 0;
        for (int i = 1; i < points.Length; i++)
        {
            var d = points[i] - points[i - 1];
            total += d.Norm;
        }
        return total;
    }

    [Differentiable]
    public static double SimulateSpring(double k, Vector3 start, int steps)
    {
        var x = start;
        var v = Vector3.Zero;
        for (int i = 0; i < steps; i++)
        {
            var force = -(float)k * x;
            v += 0.05f * force;
            x += 0.05f * v;
        }
        return x.LengthSquared() + v.X;
    }

    [Differentiable]
    public static double CallsStructMethod(Vec2 a, double k) => 2 * SpringEnergy(a, new Vec2(1, 2), k, 0.5) + a.X;

    /// <summary>A pair potential whose gradient other methods take inside differentiable code (NestedDerivatives).</summary>
    [Differentiable]
    public static double PairPotential(Vec2 a, Vec2 b, double k)
    {
        var d = a - b;
        return k * Math.Log(1 + d.Dot(d)) + 0.1 * a.X * b.Y;
    }

    /// <summary>A struct-valued method: a rotation, with an early return.</summary>
    [Differentiable]
    public static Vec2 Rotate(Vec2 p, double angle)
    {
        if (Ad.WithoutDerivative(angle) == 0) return p;
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new Vec2(c * p.X - s * p.Y, s * p.X + c * p.Y);
    }

    /// <summary>A Vector3-valued method of numbers: a projectile with drag, after a loop of steps.</summary>
    [Differentiable]
    public static Vector3 Projectile(double speed, double angle, double drag)
    {
        var position = Vector3.Zero;
        var velocity = new Vector3((float)(speed * Math.Cos(angle)), (float)(speed * Math.Sin(angle)), 0);
        for (int i = 0; i < 20; i++)
        {
            velocity += 0.05f * (new Vector3(0, -9.81f, 0) - (float)drag * velocity);
            position += 0.05f * velocity;
        }
        return position;
    }

    /// <summary>A Complex-valued method: a Möbius transformation of the unit disc.</summary>
    [Differentiable]
    public static Complex Mobius(Complex z, double a) => (z - a) / (1 - a * z);

    [Differentiable]
    public static double LocalStructArray(Vec2[] p, double s)
    {
        var q = new Vec2[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            q[i] = s * p[i];
            q[i].Y = q[i].Y * q[i].X;
        }
        var swap = q[0];
        swap = new Vec2(swap.Y, swap.X);
        double sum = swap.X * 3;
        foreach (var v in q) sum += v.Dot(v);
        return sum;
    }
}
