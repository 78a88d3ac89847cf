using System;

namespace AutoDiff.Tests.Functions;

/// <summary>Piecewise-constant functions (zero derivative, warning ADIFF102, suppressed here on purpose).</summary>
public static partial class Piecewise
{
#pragma warning disable ADIFF102
    [Differentiable] public static double FloorPlus(double x) => x + Math.Floor(x);
    [Differentiable] public static double CeilingTimes(double x, double y) => x * Math.Ceiling(y);
    [Differentiable] public static double RoundPlus(double x) => x * x + Math.Round(x * 3);
    [Differentiable] public static double TruncateTimes(double x) => Math.Truncate(x) * x;
    [Differentiable] public static double SignTimes(double x, double y) => Math.Sign(x) * y + x;

    [Differentiable] public static float FloorPlusF(float x) => x + MathF.Floor(x);
    [Differentiable] public static float CeilingTimesF(float x, float y) => x * MathF.Ceiling(y);
    [Differentiable] public static float RoundPlusF(float x) => x * x + MathF.Round(x * 3);
    [Differentiable] public static float TruncateTimesF(float x) => MathF.Truncate(x) * x;
    [Differentiable] public static float SignTimesF(float x, float y) => MathF.Sign(x) * y + x;
#pragma warning restore ADIFF102
}

/// <summary>Numeric conversions, and int/long/bool parameters (accepted, not differentiated).</summary>
public static partial class Conversions
{
    [Differentiable] public static double WidenFloatParameter(float x, double y) => x * y + x;
    [Differentiable] public static float NarrowToFloat(double x, float y) => (float)x * y;
    [Differentiable] public static float FloatToFloat(float x) => 2.5f * x + 1f;

    [Differentiable]
    public static double ThroughFloatLocal(double x)
    {
        float f = (float)(x * x);
        double back = f;
        return back * x;
    }

    [Differentiable]
    public static double FloatParameterDoubleReturn(float x) => (double)x * x;

    [Differentiable] public static double IntToDouble(double x, int n) => x * n + n * n;
    [Differentiable] public static double ExplicitIntToDouble(double x, int n) => Math.Pow(x, (double)n);
    [Differentiable] public static double LongParameter(double x, long n) => x * n + (double)n;
    [Differentiable] public static double BoolParameter(double x, bool negate) => negate ? -x * x : x * x * x;

    [Differentiable]
    public static double AllParameterKinds(int i, double x, bool b, float y, long l)
    {
        double t = b ? x * y : x + y;
        return t * i + l;
    }

    [Differentiable]
    public static double IntArithmetic(double x, int n)
    {
        int m = n * 2 + 1;
        m = m % 5;
        m += 3;
        m *= 2;
        long big = m * 3L;
        return x * m + big;
    }

#pragma warning disable ADIFF101
    [Differentiable] public static double CastToInt(double x) => x * (int)x;
    [Differentiable] public static double CastToLong(double x, double y) => y * (long)(x * 2.0) + x;

    [Differentiable]
    public static double IntLocalFromCast(double x)
    {
        int k = (int)(x * 10);
        return k + x * x;
    }
#pragma warning restore ADIFF101
}
