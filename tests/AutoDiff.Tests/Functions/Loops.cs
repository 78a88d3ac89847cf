using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>Loops: counted for loops, while and do loops, nesting, break, continue and returns inside loops.</summary>
public static partial class Loops
{
    /// <summary>Σ_{i<n} x·y·i + x: the running sum is never read by the reverse sweep, so no tape.</summary>
    [Differentiable]
    public static double RunningSum(double x, double y, int n)
    {
        double sum = x;
        for (int i = 0; i < n; i++)
        {
            sum += x * y * i;
        }
        return sum;
    }

    /// <summary>x^n by repeated multiplication: every iteration overwrites a value the reverse sweep reads.</summary>
    [Differentiable]
    public static double Power(double x, int n)
    {
        double p = 1;
        for (int i = 0; i < n; i++) p *= x;
        return p;
    }

    /// <summary>A counted loop going down in steps of two.</summary>
    [Differentiable]
    public static double Downwards(double x, double y)
    {
        double s = 0;
        for (int i = 10; i > 0; i -= 2)
        {
            s = Math.Sin(s + x * i) * y;
        }
        return s;
    }

    /// <summary>A while loop whose number of iterations depends on the data.</summary>
    [Differentiable]
    public static double GrowUntil(double x, double limit)
    {
        double v = 1.0;
        int steps = 0;
        while (v < limit)
        {
            v = v * 1.5 + x * x;
            steps++;
        }
        return v / (1 + steps);
    }

    /// <summary>A do loop: Newton's iteration for √a, started at x.</summary>
    [Differentiable]
    public static double NewtonSqrt(double a, double x)
    {
        int k = 0;
        do
        {
            x = 0.5 * (x + a / x);
            k++;
        } while (k < 6);
        return x;
    }

    /// <summary>Nested loops: Σ_i Σ_{j≤i} sin(x·i + y·j).</summary>
    [Differentiable]
    public static double Nested(double x, double y)
    {
        double s = 0;
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                s += Math.Sin(x * i + y * j);
            }
            s *= 0.9;
        }
        return s;
    }

    /// <summary>break and continue, each on a condition of the data.</summary>
    [Differentiable]
    public static double BreakAndContinue(double x, double y)
    {
        double s = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i % 3 == 1) continue;
            s = s * y + Math.Exp(x * 0.1 * i);
            if (s > 20) break;
        }
        return s;
    }

    /// <summary>A return inside a loop, and code after the loop.</summary>
    [Differentiable]
    public static double ReturnInsideLoop(double x, double y)
    {
        double t = x;
        for (int i = 0; i < 5; i++)
        {
            t = t * y + 1;
            if (t > 3) return t * x;
        }
        return t - x;
    }

    /// <summary>A loop that calls another [Differentiable] method.</summary>
    [Differentiable]
    public static double CallsInLoop(double x, double y)
    {
        double s = 0;
        for (int i = 1; i <= 3; i++)
        {
            s += ControlFlow.IfElse(x * i, y) * Math.Tanh(s + y);
        }
        return s;
    }
}
