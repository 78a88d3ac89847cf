using System;

namespace AutoDiff.Tests.Functions;

/// <summary>if/else, else-if chains, the conditional operator, early returns and boolean logic.</summary>
public static partial class ControlFlow
{
    [Differentiable]
    public static double IfElse(double x, double y)
    {
        if (x > y) return x * y;
        else return x - y * y;
    }

    [Differentiable]
    public static double ElseIfChain(double x)
    {
        if (x < -1) return -x * x;
        else if (x < 0) return x * x * x;
        else if (x < 1) return Math.Sin(x);
        else return Math.Log(x) + 2 * x;
    }

    [Differentiable]
    public static double IfAssigns(double x, double y)
    {
        double r;
        if (x > 0)
        {
            r = x * x;
        }
        else
        {
            r = -x * y;
        }
        r = r + y;
        return r * 2;
    }

    [Differentiable]
    public static double IfWithoutElse(double x, double y)
    {
        double r = x;
        if (y > 0)
        {
            r = r * y;
            r += x;
        }
        return r * r;
    }

    [Differentiable]
    public static double NestedIfs(double x, double y)
    {
        double r = 1;
        if (x > 0)
        {
            if (y > 0) r = x * y;
            else r = x - y;
            r = r * x;
        }
        else
        {
            if (y > x) { r = y * y; }
            r = r + x;
        }
        return r * y;
    }

    [Differentiable]
    public static double Conditional(double x, double y) => x > y ? x * x : y * y * y;

    [Differentiable]
    public static double ConditionalInsideArithmetic(double x, double y)
        => 1.0 + (x > 0 ? x : -x) * y + (y > 1 ? (x < -1 ? x * y : y) : 2.0 * x);

    [Differentiable]
    public static double EarlyReturnInNestedIf(double x, double y)
    {
        double t = x * y;
        if (x > 0)
        {
            if (y > 0)
            {
                return t * t;
            }
            t = t + x;
        }
        t = t * 3;
        return t + y;
    }

    [Differentiable]
    public static double ReturnInOneBranch(double x, double y)
    {
        double t = x + y;
        if (t > 1) return Math.Log(t);
        t = t * t;
        t += x;
        return t;
    }

    [Differentiable]
    public static double SeveralEarlyReturns(double x)
    {
        double t = x * x;
        if (x < -2) return t;
        t = t * x;
        if (x < 0) return t + x;
        t = Math.Exp(-t);
        if (x > 2) return t * 2;
        return t - x;
    }

    [Differentiable]
    public static double Comparisons(double x, double y)
    {
        double r = 0;
        if (x <= y) r += x;
        if (x >= y) r += y * y;
        if (x < y) r += x * y;
        if (x > y) r -= x;
#pragma warning disable ADIFF104 // Every comparison operator is under test, exact ones included.
        if (x == 0.5) r = 100;
        if (x != y) r *= 2;
#pragma warning restore ADIFF104
        return r;
    }

    [Differentiable]
    public static double LogicalOperators(double x, double y, bool flag)
    {
        bool bothPositive = x > 0 && y > 0;
        bool either = x > 1 || y > 1;
        if (bothPositive && !either) return x * y;
        if (!bothPositive || flag) return x + y * y;
        if (either && !(x > y) || flag && x < 0) return Math.Exp(x - y);
        return x * x * y;
    }

    [Differentiable]
    public static double ConditionOnDifferentiatedCall(double x)
    {
        if (Basics.Polynomial(x) > 0) return Basics.Polynomial(x) * x;
        return -x;
    }
}
