using System;

namespace AutoDiff.Tests.Functions;

/// <summary>Arithmetic, literals, parentheses, unary operators, locals and assignments.</summary>
public static partial class Basics
{
    private const double Scale = 1.5;
    private const float ScaleF = 0.75f;
    private static readonly double Offset = 0.25;

    [Differentiable]
    public static double Add(double x, double y) => x + y;

    [Differentiable]
    public static double Subtract(double x, double y) => x - y;

    [Differentiable]
    public static double Multiply(double x, double y) => x * y;

    [Differentiable]
    public static double Divide(double x, double y) => x / y;

    [Differentiable]
    public static double Remainder(double x, double y) => x % y;

    [Differentiable]
    public static double Negate(double x, double y) => -x * -(y - x) + -(-y);

    [Differentiable]
    public static double UnaryPlus(double x) => +x * +x;

    [Differentiable]
    public static double Parentheses(double x, double y) => (x + y) * (x - y) / (1.0 + (x * x)) - ((((y))));

    [Differentiable]
    public static double Literals(double x, double y) => 3.5 * x - 2 * y + 1e-1 * x * y + 7 - 0.5f * y + 2L * x;

    [Differentiable]
    public static double Polynomial(double x) => ((2.0 * x - 3.0) * x + 0.5) * x - 4.0;

    [Differentiable]
    public static double SameVariableEverywhere(double x) => x * x * x + x / (x * x + 1) - x;

    [Differentiable]
    public static double Locals(double x, double y)
    {
        double a = x * y;
        double b = a + x;
        a = b * b;
        var c = a - y;
        return c;
    }

    [Differentiable]
    public static double DeclaredThenAssigned(double x, double y)
    {
        double t;
        double u = x, v = y * 2;
        t = u * v;
        return t + u;
    }

    [Differentiable]
    public static double CompoundAssignment(double x, double y)
    {
        double t = x;
        t += y;
        t *= x;
        t -= 2 * y;
        t /= 1 + y * y;
        t += t;
        t *= t;
        return t;
    }

    [Differentiable]
    public static double CompoundAssignmentOnParameters(double x, double y)
    {
        x *= y;
        y += x;
        x /= 2 + y * y;
        y -= x;
        return x * y;
    }

    [Differentiable]
    public static double IncrementDecrement(double x, int n)
    {
        int k = n;
        k++;
        k++;
        k--;
        ++k;
        double t = x;
        t++;
        t--;
        t++;
        --t;
        ++t;
        return t * k + x * x;
    }

    [Differentiable]
    public static double ConstLocals(double x, double y)
    {
        const double c = 2.5;
        const int k = 3;
        const double d = c * k;
        return c * x * k + d * y;
    }

    [Differentiable]
    public static double ConstAndStaticReadonlyFields(double x, double y) => Scale * x * x + Offset * y * y - Offset + ScaleF * x;

    [Differentiable]
    public static double ParameterReassigned(double x, double y)
    {
        x = x * x;
        return x + y;
    }

    [Differentiable]
    public static double LocalReassignedUsingOldValue(double x, double y)
    {
        double t = x * y;
        t = t * t + x;
        t = Math.Sin(t) * t;
        return t * x;
    }

    [Differentiable]
    public static double ParametersReassignedInTurn(double x, double y)
    {
        x = x * y;
        y = x + y;
        x = Math.Exp(x) * y;
        y = y * y;
        return x * y;
    }

    [Differentiable]
    public static double Keywords(double @in, double @base) => @in * @base + @in;

    [Differentiable]
    public static double Unary(double x) => -x;

#pragma warning disable ADIFF103 // A constant result is the point of this case: its derivatives must be zero.
    [Differentiable]
    public static double Constant(double x) => 4.0;
#pragma warning restore ADIFF103
}
