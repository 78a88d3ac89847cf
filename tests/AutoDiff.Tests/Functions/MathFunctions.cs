using System;

namespace AutoDiff.Tests.Functions;

/// <summary>Every System.Math function that AutoDiff differentiates, composed with other operations.</summary>
public static partial class MathFunctions
{
    [Differentiable] public static double Exp(double x, double y) => Math.Exp(x * y);
    [Differentiable] public static double Log(double x, double y) => Math.Log(x * y);
    [Differentiable] public static double LogBase(double x, double b) => Math.Log(x, b);
    [Differentiable] public static double LogConstantBase(double x) => Math.Log(x * x, 3.0);
    [Differentiable] public static double LogConstantArgument(double b) => Math.Log(5.0, b);
    [Differentiable] public static double Log10(double x) => Math.Log10(x) * x;
    [Differentiable] public static double Log2(double x) => Math.Log2(x + 1);
    [Differentiable] public static double Sqrt(double x, double y) => Math.Sqrt(x * x + y * y + 0.5);
    [Differentiable] public static double Cbrt(double x) => Math.Cbrt(x) * 2;
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double PowConstantExponent(double x) => Math.Pow(x, 3.0) + Math.Pow(x, 2);
    [Differentiable] public static double PowFractionalExponent(double x) => Math.Pow(x, 2.5) - Math.Pow(x, -1.5);
    [Differentiable] public static double PowConstantBase(double y) => Math.Pow(2.0, y);
    [Differentiable] public static double PowExpressions(double x, double y) => Math.Pow(x * x + 1, y * 0.5 - x);
    [Differentiable] public static double Sin(double x, double y) => Math.Sin(x * y);
    [Differentiable] public static double Cos(double x, double y) => Math.Cos(x + 2 * y);
    [Differentiable] public static double Tan(double x) => Math.Tan(x);
    [Differentiable] public static double Asin(double x) => Math.Asin(x);
    [Differentiable] public static double Acos(double x) => Math.Acos(x);
    [Differentiable] public static double Atan(double x) => Math.Atan(x * 2);
    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
    [Differentiable] public static double Cosh(double x) => Math.Cosh(x);
    [Differentiable] public static double Tanh(double x, double y) => Math.Tanh(x * y);
    [Differentiable] public static double Abs(double x, double y) => Math.Abs(x * y - 1);
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y * y);
    [Differentiable] public static double Min(double x, double y) => Math.Min(x * 2, y);
    [Differentiable] public static double Relu(double x) => Math.Max(x, 0.0);
    [Differentiable] public static double Clamp(double x, double lo, double hi) => Math.Clamp(x, lo, hi);
    [Differentiable] public static double ClampConstantBounds(double x) => Math.Clamp(x * x, 0.5, 4.0);

    [Differentiable]
    public static double Composite(double x, double y)
        => Math.Exp(Math.Sin(x) * Math.Cos(y)) + Math.Sqrt(Math.Log(x * x + 2) + Math.Tanh(y)) * Math.Atan(x - y);
}

/// <summary>The MathF versions (and the float overloads of Math) in float methods.</summary>
public static partial class MathFFunctions
{
    [Differentiable] public static float Exp(float x, float y) => MathF.Exp(x * y);
    [Differentiable] public static float Log(float x, float y) => MathF.Log(x * y);
    [Differentiable] public static float LogBase(float x, float b) => MathF.Log(x, b);
    [Differentiable] public static float Log10(float x) => MathF.Log10(x) * x;
    [Differentiable] public static float Log2(float x) => MathF.Log2(x + 1);
    [Differentiable] public static float Sqrt(float x, float y) => MathF.Sqrt(x * x + y * y + 0.5f);
    [Differentiable] public static float Cbrt(float x) => MathF.Cbrt(x) * 2;
    [Differentiable] public static float Pow(float x, float y) => MathF.Pow(x, y);
    [Differentiable] public static float PowConstantExponent(float x) => MathF.Pow(x, 3f) + MathF.Pow(x, 2);
    [Differentiable] public static float Sin(float x, float y) => MathF.Sin(x * y);
    [Differentiable] public static float Cos(float x, float y) => MathF.Cos(x + 2 * y);
    [Differentiable] public static float Tan(float x) => MathF.Tan(x);
    [Differentiable] public static float Asin(float x) => MathF.Asin(x);
    [Differentiable] public static float Acos(float x) => MathF.Acos(x);
    [Differentiable] public static float Atan(float x) => MathF.Atan(x * 2);
    [Differentiable] public static float Atan2(float y, float x) => MathF.Atan2(y, x);
    [Differentiable] public static float Sinh(float x) => MathF.Sinh(x);
    [Differentiable] public static float Cosh(float x) => MathF.Cosh(x);
    [Differentiable] public static float Tanh(float x, float y) => MathF.Tanh(x * y);
    [Differentiable] public static float Abs(float x, float y) => MathF.Abs(x * y - 1);
    [Differentiable] public static float Max(float x, float y) => MathF.Max(x, y * y);
    [Differentiable] public static float Min(float x, float y) => MathF.Min(x * 2, y);
    [Differentiable] public static float Clamp(float x, float lo, float hi) => Math.Clamp(x, lo, hi);
    [Differentiable] public static float MathFloatOverloads(float x, float y) => Math.Abs(x) * Math.Max(x, y) + Math.Min(x, y);

    [Differentiable]
    public static float Composite(float x, float y)
        => MathF.Exp(MathF.Sin(x) * MathF.Cos(y)) + MathF.Sqrt(MathF.Log(x * x + 2) + MathF.Tanh(y)) * MathF.Atan(x - y);
}
