// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>The MathF functions (and float Math overloads), in float: finite differences with a float-sized step, tolerance 2e-2.</summary>
public class MathFTests
{
    [Fact]
    public void Exp() => GradientCheck.Float("MathFFunctions.Exp", "x y",
        p => MathFFunctions.Exp(p[0], p[1]),
        p => { var g = MathFFunctions.ExpGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.ExpBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void Log() => GradientCheck.Float("MathFFunctions.Log", "x y",
        p => MathFFunctions.Log(p[0], p[1]),
        p => { var g = MathFFunctions.LogGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.LogBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(0.3, 3, 2));

    [Fact]
    public void LogBase() => GradientCheck.Float("MathFFunctions.LogBase", "x b",
        p => MathFFunctions.LogBase(p[0], p[1]),
        p => { var g = MathFFunctions.LogBaseGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dB }); },
        (p, s, a) => MathFFunctions.LogBaseBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(0.3, 5, 2).Where(p => Math.Abs(p[1] - 1) > 0.3));

    [Fact]
    public void Log10() => GradientCheck.Float("MathFFunctions.Log10", "x",
        p => MathFFunctions.Log10(p[0]),
        p => { var g = MathFFunctions.Log10Gradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.Log10Backward(p[0], s, ref a[0]),
        Domain.Box(0.3, 5, 1));

    [Fact]
    public void Log2() => GradientCheck.Float("MathFFunctions.Log2", "x",
        p => MathFFunctions.Log2(p[0]),
        p => { var g = MathFFunctions.Log2Gradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.Log2Backward(p[0], s, ref a[0]),
        Domain.Box(-0.5, 5, 1));

    [Fact]
    public void Sqrt() => GradientCheck.Float("MathFFunctions.Sqrt", "x y",
        p => MathFFunctions.Sqrt(p[0], p[1]),
        p => { var g = MathFFunctions.SqrtGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.SqrtBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Cbrt() => GradientCheck.Float("MathFFunctions.Cbrt", "x",
        p => MathFFunctions.Cbrt(p[0]),
        p => { var g = MathFFunctions.CbrtGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.CbrtBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Math.Abs(p[0]) > 0.3));

    [Fact]
    public void Pow() => GradientCheck.Float("MathFFunctions.Pow", "x y",
        p => MathFFunctions.Pow(p[0], p[1]),
        p => { var g = MathFFunctions.PowGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.PowBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((0.3, 3), (-2, 2)));

    [Fact]
    public void PowConstantExponent() => GradientCheck.Float("MathFFunctions.PowConstantExponent", "x",
        p => MathFFunctions.PowConstantExponent(p[0]),
        p => { var g = MathFFunctions.PowConstantExponentGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.PowConstantExponentBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Sin() => GradientCheck.Float("MathFFunctions.Sin", "x y",
        p => MathFFunctions.Sin(p[0], p[1]),
        p => { var g = MathFFunctions.SinGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.SinBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Cos() => GradientCheck.Float("MathFFunctions.Cos", "x y",
        p => MathFFunctions.Cos(p[0], p[1]),
        p => { var g = MathFFunctions.CosGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.CosBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Tan() => GradientCheck.Float("MathFFunctions.Tan", "x",
        p => MathFFunctions.Tan(p[0]),
        p => { var g = MathFFunctions.TanGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.TanBackward(p[0], s, ref a[0]),
        Domain.Box(-1.2, 1.2, 1));

    [Fact]
    public void Asin() => GradientCheck.Float("MathFFunctions.Asin", "x",
        p => MathFFunctions.Asin(p[0]),
        p => { var g = MathFFunctions.AsinGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.AsinBackward(p[0], s, ref a[0]),
        Domain.Box(-0.85, 0.85, 1));

    [Fact]
    public void Acos() => GradientCheck.Float("MathFFunctions.Acos", "x",
        p => MathFFunctions.Acos(p[0]),
        p => { var g = MathFFunctions.AcosGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.AcosBackward(p[0], s, ref a[0]),
        Domain.Box(-0.85, 0.85, 1));

    [Fact]
    public void Atan() => GradientCheck.Float("MathFFunctions.Atan", "x",
        p => MathFFunctions.Atan(p[0]),
        p => { var g = MathFFunctions.AtanGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.AtanBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1));

    [Fact]
    public void Atan2() => GradientCheck.Float("MathFFunctions.Atan2", "y x",
        p => MathFFunctions.Atan2(p[0], p[1]),
        p => { var g = MathFFunctions.Atan2Gradient(p[0], p[1]); return (g.Value, new[] { g.dY, g.dX }); },
        (p, s, a) => MathFFunctions.Atan2Backward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => p[0] * p[0] + p[1] * p[1] > 0.3 && (p[1] > 0 || Math.Abs(p[0]) > 0.1)));

    [Fact]
    public void Sinh() => GradientCheck.Float("MathFFunctions.Sinh", "x",
        p => MathFFunctions.Sinh(p[0]),
        p => { var g = MathFFunctions.SinhGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.SinhBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Cosh() => GradientCheck.Float("MathFFunctions.Cosh", "x",
        p => MathFFunctions.Cosh(p[0]),
        p => { var g = MathFFunctions.CoshGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => MathFFunctions.CoshBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Tanh() => GradientCheck.Float("MathFFunctions.Tanh", "x y",
        p => MathFFunctions.Tanh(p[0], p[1]),
        p => { var g = MathFFunctions.TanhGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.TanhBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void Abs() => GradientCheck.Float("MathFFunctions.Abs", "x y",
        p => MathFFunctions.Abs(p[0], p[1]),
        p => { var g = MathFFunctions.AbsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.AbsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0] * p[1] - 1) > 0.15));

    [Fact]
    public void Max() => GradientCheck.Float("MathFFunctions.Max", "x y",
        p => MathFFunctions.Max(p[0], p[1]),
        p => { var g = MathFFunctions.MaxGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.MaxBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0] - p[1] * p[1]) > 0.15));

    [Fact]
    public void Min() => GradientCheck.Float("MathFFunctions.Min", "x y",
        p => MathFFunctions.Min(p[0], p[1]),
        p => { var g = MathFFunctions.MinGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.MinBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2).Where(p => Math.Abs(2 * p[0] - p[1]) > 0.15));

    [Fact]
    public void Clamp() => GradientCheck.Float("MathFFunctions.Clamp", "x lo hi",
        p => MathFFunctions.Clamp(p[0], p[1], p[2]),
        p => { var g = MathFFunctions.ClampGradient(p[0], p[1], p[2]); return (g.Value, new[] { g.dX, g.dLo, g.dHi }); },
        (p, s, a) => MathFFunctions.ClampBackward(p[0], p[1], p[2], s, ref a[0], ref a[1], ref a[2]),
        Domain.Box((-3, 3), (-2, 0), (0.5, 2)).Where(p => Math.Abs(p[0] - p[1]) > 0.1 && Math.Abs(p[0] - p[2]) > 0.1));

    [Fact]
    public void MathFloatOverloads() => GradientCheck.Float("MathFFunctions.MathFloatOverloads", "x y",
        p => MathFFunctions.MathFloatOverloads(p[0], p[1]),
        p => { var g = MathFFunctions.MathFloatOverloadsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.MathFloatOverloadsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0]) > 0.1 && Math.Abs(p[0] - p[1]) > 0.1));

    [Fact]
    public void Composite() => GradientCheck.Float("MathFFunctions.Composite", "x y",
        p => MathFFunctions.Composite(p[0], p[1]),
        p => { var g = MathFFunctions.CompositeGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => MathFFunctions.CompositeBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((0.3, 2), (-0.5, 2)));
}
