// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Every System.Math function with a derivative rule, in double.</summary>
public class MathTests
{
    [Fact]
    public void Exp() => GradientCheck.Double("MathFunctions.Exp", "x y",
        p => MathFunctions.Exp(p[0], p[1]),
        p => { var g = MathFunctions.ExpGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.ExpBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void Log() => GradientCheck.Double("MathFunctions.Log", "x y",
        p => MathFunctions.Log(p[0], p[1]),
        p => { var g = MathFunctions.LogGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.LogBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(0.2, 3, 2));

    [Fact]
    public void LogBase() => GradientCheck.Double("MathFunctions.LogBase", "x b",
        p => MathFunctions.LogBase(p[0], p[1]),
        p => { var g = MathFunctions.LogBaseGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dB }); },
        (p, s, a) => MathFunctions.LogBaseBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(0.2, 5, 2).Where(p => Math.Abs(p[1] - 1) > 0.2));

    [Fact]
    public void LogConstantBase() => GradientCheck.Double("MathFunctions.LogConstantBase", "x",
        p => MathFunctions.LogConstantBase(p[0]),
        p => { var g = MathFunctions.LogConstantBaseGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.LogConstantBaseBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.2));

    [Fact]
    public void LogConstantArgument() => GradientCheck.Double("MathFunctions.LogConstantArgument", "b",
        p => MathFunctions.LogConstantArgument(p[0]),
        p => { var g = MathFunctions.LogConstantArgumentGradient(p[0]); return (g.Value, new[] { g.dB }); },
        (p, s, a) => MathFunctions.LogConstantArgumentBackward(p[0], s, ref a[0]),
        Domain.Box(0.2, 5, 1).Where(p => Math.Abs(p[0] - 1) > 0.2));

    [Fact]
    public void Log10() => GradientCheck.Double("MathFunctions.Log10", "x",
        p => MathFunctions.Log10(p[0]),
        p => { var g = MathFunctions.Log10Gradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.Log10Backward(p[0], s, ref a[0]),
        Domain.Box(0.1, 5, 1));

    [Fact]
    public void Log2() => GradientCheck.Double("MathFunctions.Log2", "x",
        p => MathFunctions.Log2(p[0]),
        p => { var g = MathFunctions.Log2Gradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.Log2Backward(p[0], s, ref a[0]),
        Domain.Box(-0.5, 5, 1));

    [Fact]
    public void Sqrt() => GradientCheck.Double("MathFunctions.Sqrt", "x y",
        p => MathFunctions.Sqrt(p[0], p[1]),
        p => { var g = MathFunctions.SqrtGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.SqrtBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Cbrt() => GradientCheck.Double("MathFunctions.Cbrt", "x",
        p => MathFunctions.Cbrt(p[0]),
        p => { var g = MathFunctions.CbrtGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.CbrtBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Math.Abs(p[0]) > 0.2));

    [Fact]
    public void Pow() => GradientCheck.Double("MathFunctions.Pow", "x y",
        p => MathFunctions.Pow(p[0], p[1]),
        p => { var g = MathFunctions.PowGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.PowBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((0.2, 3), (-2, 2)));

    [Fact]
    public void PowConstantExponent() => GradientCheck.Double("MathFunctions.PowConstantExponent", "x",
        p => MathFunctions.PowConstantExponent(p[0]),
        p => { var g = MathFunctions.PowConstantExponentGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.PowConstantExponentBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void PowFractionalExponent() => GradientCheck.Double("MathFunctions.PowFractionalExponent", "x",
        p => MathFunctions.PowFractionalExponent(p[0]),
        p => { var g = MathFunctions.PowFractionalExponentGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.PowFractionalExponentBackward(p[0], s, ref a[0]),
        Domain.Box(0.2, 4, 1));

    [Fact]
    public void PowConstantBase() => GradientCheck.Double("MathFunctions.PowConstantBase", "y",
        p => MathFunctions.PowConstantBase(p[0]),
        p => { var g = MathFunctions.PowConstantBaseGradient(p[0]); return (g.Value, new[] { g.dY }); },
        (p, s, a) => MathFunctions.PowConstantBaseBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void PowExpressions() => GradientCheck.Double("MathFunctions.PowExpressions", "x y",
        p => MathFunctions.PowExpressions(p[0], p[1]),
        p => { var g = MathFunctions.PowExpressionsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.PowExpressionsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void Sin() => GradientCheck.Double("MathFunctions.Sin", "x y",
        p => MathFunctions.Sin(p[0], p[1]),
        p => { var g = MathFunctions.SinGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.SinBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Cos() => GradientCheck.Double("MathFunctions.Cos", "x y",
        p => MathFunctions.Cos(p[0], p[1]),
        p => { var g = MathFunctions.CosGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.CosBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Tan() => GradientCheck.Double("MathFunctions.Tan", "x",
        p => MathFunctions.Tan(p[0]),
        p => { var g = MathFunctions.TanGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.TanBackward(p[0], s, ref a[0]),
        Domain.Box(-1.3, 1.3, 1));

    [Fact]
    public void Asin() => GradientCheck.Double("MathFunctions.Asin", "x",
        p => MathFunctions.Asin(p[0]),
        p => { var g = MathFunctions.AsinGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.AsinBackward(p[0], s, ref a[0]),
        Domain.Box(-0.9, 0.9, 1));

    [Fact]
    public void Acos() => GradientCheck.Double("MathFunctions.Acos", "x",
        p => MathFunctions.Acos(p[0]),
        p => { var g = MathFunctions.AcosGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.AcosBackward(p[0], s, ref a[0]),
        Domain.Box(-0.9, 0.9, 1));

    [Fact]
    public void Atan() => GradientCheck.Double("MathFunctions.Atan", "x",
        p => MathFunctions.Atan(p[0]),
        p => { var g = MathFunctions.AtanGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.AtanBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1));

    [Fact]
    public void Atan2() => GradientCheck.Double("MathFunctions.Atan2", "y x",
        p => MathFunctions.Atan2(p[0], p[1]),
        p => { var g = MathFunctions.Atan2Gradient(p[0], p[1]); return (g.Value, new[] { g.dY, g.dX }); },
        (p, s, a) => MathFunctions.Atan2Backward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => p[0] * p[0] + p[1] * p[1] > 0.1 && (p[1] > 0 || Math.Abs(p[0]) > 0.05)));

    [Fact]
    public void Sinh() => GradientCheck.Double("MathFunctions.Sinh", "x",
        p => MathFunctions.Sinh(p[0]),
        p => { var g = MathFunctions.SinhGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.SinhBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Cosh() => GradientCheck.Double("MathFunctions.Cosh", "x",
        p => MathFunctions.Cosh(p[0]),
        p => { var g = MathFunctions.CoshGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.CoshBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Tanh() => GradientCheck.Double("MathFunctions.Tanh", "x y",
        p => MathFunctions.Tanh(p[0], p[1]),
        p => { var g = MathFunctions.TanhGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.TanhBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void Abs() => GradientCheck.Double("MathFunctions.Abs", "x y",
        p => MathFunctions.Abs(p[0], p[1]),
        p => { var g = MathFunctions.AbsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.AbsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] * p[1] - 1) > 0.01));

    [Fact]
    public void Max() => GradientCheck.Double("MathFunctions.Max", "x y",
        p => MathFunctions.Max(p[0], p[1]),
        p => { var g = MathFunctions.MaxGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.MaxBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1] * p[1]) > 0.01));

    [Fact]
    public void Min() => GradientCheck.Double("MathFunctions.Min", "x y",
        p => MathFunctions.Min(p[0], p[1]),
        p => { var g = MathFunctions.MinGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.MinBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(2 * p[0] - p[1]) > 0.01));

    [Fact]
    public void Relu() => GradientCheck.Double("MathFunctions.Relu", "x",
        p => MathFunctions.Relu(p[0]),
        p => { var g = MathFunctions.ReluGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.ReluBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.01));

    [Fact]
    public void Clamp() => GradientCheck.Double("MathFunctions.Clamp", "x lo hi",
        p => MathFunctions.Clamp(p[0], p[1], p[2]),
        p => { var g = MathFunctions.ClampGradient(p[0], p[1], p[2]); return (g.Value, new[] { g.dX, g.dLo, g.dHi }); },
        (p, s, a) => MathFunctions.ClampBackward(p[0], p[1], p[2], s, ref a[0], ref a[1], ref a[2]),
        Domain.Box((-3, 3), (-2, 0), (0.5, 2)).Where(p => Math.Abs(p[0] - p[1]) > 0.01 && Math.Abs(p[0] - p[2]) > 0.01));

    [Fact]
    public void ClampConstantBounds() => GradientCheck.Double("MathFunctions.ClampConstantBounds", "x",
        p => MathFunctions.ClampConstantBounds(p[0]),
        p => { var g = MathFunctions.ClampConstantBoundsGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFunctions.ClampConstantBoundsBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0] * p[0] - 0.5) > 0.01 && Math.Abs(p[0] * p[0] - 4) > 0.01));

    [Fact]
    public void Composite() => GradientCheck.Double("MathFunctions.Composite", "x y",
        p => MathFunctions.Composite(p[0], p[1]),
        p => { var g = MathFunctions.CompositeGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFunctions.CompositeBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((0.3, 2), (-0.5, 2)));
}
