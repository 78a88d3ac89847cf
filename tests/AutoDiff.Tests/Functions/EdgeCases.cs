using System;

namespace AutoDiff.Tests.Functions;

/// <summary>Combinations that stress the reverse sweep: overwrites in branches, self-referencing updates, mixed compound assignments.</summary>
public static partial class EdgeCases
{
    [Differentiable]
    public static double ParameterReassignedInBranch(double x, double y)
    {
        if (x > 0) x = x * x;
        else y = y * x;
        return x * y;
    }

    [Differentiable]
    public static double SiblingScopesSameLocalName(double x, double y)
    {
        double r;
        if (x > y)
        {
            double t = x * x;
            r = t * y;
        }
        else
        {
            double t = Math.Sin(y);
            r = t + x;
        }
        {
            double t = r * r;
            r = t - x;
        }
        return r;
    }

    [Differentiable]
    public static double OverwriteInBranches(double x, double y)
    {
        double t = x * y;
        if (x > 0)
        {
            t = t * t;
            t = t + Math.Cos(t);
        }
        else
        {
            t = Math.Exp(t);
        }
        t = t * x;
        return t;
    }

    [Differentiable]
    public static double SelfReferentialUpdates(double x)
    {
        double t = x;
        t = t / (t * t + 1);
        t = t - t * t;
        t = Math.Sqrt(t * t + 1) * t;
        t = t * t * t;
        return t;
    }

    [Differentiable]
    public static double CompoundWithIntOperands(double x, int n)
    {
        double t = x;
        t += n;
        t *= n + 1;
        t -= n * x;
        t /= 2;
        return t * x;
    }

    [Differentiable]
    public static float CompoundFloatWithDouble(float x)
    {
        float t = x;
        t *= 2.0f;
        t += x * x;
        t -= 0.5f;
        t /= 3;
        return t * x;
    }

    [Differentiable]
    public static double IncrementParameter(double x, double y)
    {
        x++;
        y--;
        x = -x;
        return x * y;
    }

    [Differentiable]
    public static double IntFromConditional(double x)
    {
        int k = x > 0 ? 2 : 3;
        bool big = x * x > 4;
        big = big || x < -2.5;
        if (big) k = k * 2;
        return x * k;
    }

    [Differentiable]
    public static double CallsInConditional(double x, double y)
        => x > y ? Calls.Square(x) * y : Other.Helpers.Cube(y) - x;

    [Differentiable]
    public static double EarlyReturnThenParameterChange(double x, double y)
    {
        if (y > 0) return x;
        x = x * x;
        y = y * x;
        return x * y;
    }

    [Differentiable]
    public static double NestedConditionals(double x, double y)
        => (x > 0 ? (y > 0 ? x * y : x - y) : (y > 0 ? Math.Exp(x) : x * x)) * (x + y > 1 ? x : 1.0);

    [Differentiable]
    public static double SameLocalUsedAfterManyRewrites(double x, double y)
    {
        double a = x;
        double b = y;
        a = a * b;
        b = a + b;
        a = a * b;
        b = b * a;
        a = a - b;
        return a * b;
    }

    [Differentiable]
    public static float RemainderFloat(float x, float y) => x % y;

    [Differentiable]
    public static double DeepExpression(double x, double y)
        => ((((x + 1) * (y - 2) + (x * y)) / ((x * x) + 3)) - ((y / (y * y + 1)) * (x - y))) * (x + y);
}
