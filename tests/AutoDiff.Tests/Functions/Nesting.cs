using System;

namespace AutoDiff.Tests.Functions;

/// <summary>[Differentiable] methods in nested types, structs, and with non-public accessibility.</summary>
public static partial class Outer
{
    public static partial class Inner
    {
        [Differentiable] public static double Nested(double x, double y) => Math.Sin(x) * y;

        public partial class Deeper
        {
            [Differentiable] public static double Deepest(double x) => Outer.Inner.Nested(x, x) + x;
        }
    }

    [Differentiable] internal static double InternalMethod(double x) => x * x * 3;

    [Differentiable] private static double PrivateMethod(double x, double y) => Math.Exp(x) * y;

    [Differentiable] public static double CallsPrivate(double x, double y) => PrivateMethod(x, y) * 2;

    /// <summary>Exposes the generated (private) derivatives of <see cref="PrivateMethod"/>.</summary>
    public static double PrivateValue(double x, double y) => PrivateMethod(x, y);

    public static (double Value, double dX, double dY) PrivateGradient(double x, double y) => PrivateMethodGradient(x, y);

    public static double PrivateBackward(double x, double y, double seed, ref double dX, ref double dY)
        => PrivateMethodBackward(x, y, seed, ref dX, ref dY);
}

public partial struct Holder
{
    public double Field;

    [Differentiable] public static double InStruct(double x, double y) => x / (1 + y * y);
}

public readonly partial struct ReadonlyHolder
{
    [Differentiable] public static double InReadonlyStruct(double x) => x * x - x;
}

public partial class InstanceClass
{
    public double Value { get; set; }

    [Differentiable] public static double StaticInNonStaticClass(double x) => Math.Cos(x) * x;
}

internal static partial class InternalClass
{
    [Differentiable] public static double InInternalClass(double x) => x * x * x;
}

public static partial class Overloads
{
    [Differentiable] public static double Over(double x) => x * x;
    [Differentiable] public static double Over(double x, double y) => x * y + Over(x);
    [Differentiable] public static float Over(float x) => x * x * x;
}
