using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Conversions double↔float and int→double; int, long and bool parameters (no adjoint); casts to integers.</summary>
public class ConversionTests
{
    [Fact]
    public void WidenFloatParameter() => GradientCheck.Double("Conversions.WidenFloatParameter", "x y",
        p => Conversions.WidenFloatParameter((float)p[0], p[1]),
        p => { var g = Conversions.WidenFloatParameterGradient((float)p[0], p[1]); return (g.Value, new[] { (double)g.dX, g.dY }); },
        (p, s, a) =>
        {
            float dX = (float)a[0];
            double value = Conversions.WidenFloatParameterBackward((float)p[0], p[1], s, ref dX, ref a[1]);
            a[0] = dX;
            return value;
        },
        Domain.Box(-3, 3, 2), CheckOptions.Float);

    [Fact]
    public void NarrowToFloat() => GradientCheck.Double("Conversions.NarrowToFloat", "x y",
        p => Conversions.NarrowToFloat(p[0], (float)p[1]),
        p => { var g = Conversions.NarrowToFloatGradient(p[0], (float)p[1]); return (g.Value, new[] { g.dX, (double)g.dY }); },
        (p, s, a) =>
        {
            float dY = (float)a[1];
            float value = Conversions.NarrowToFloatBackward(p[0], (float)p[1], (float)s, ref a[0], ref dY);
            a[1] = dY;
            return value;
        },
        Domain.Box(-3, 3, 2), CheckOptions.Float);

    [Fact]
    public void FloatToFloat() => GradientCheck.Float("Conversions.FloatToFloat", "x",
        p => Conversions.FloatToFloat(p[0]),
        p => { var g = Conversions.FloatToFloatGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.FloatToFloatBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void ThroughFloatLocal() => GradientCheck.Double("Conversions.ThroughFloatLocal", "x",
        p => Conversions.ThroughFloatLocal(p[0]),
        p => { var g = Conversions.ThroughFloatLocalGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.ThroughFloatLocalBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1), CheckOptions.Float);

    [Fact]
    public void FloatParameterDoubleReturn() => GradientCheck.Double("Conversions.FloatParameterDoubleReturn", "x",
        p => Conversions.FloatParameterDoubleReturn((float)p[0]),
        p => { var g = Conversions.FloatParameterDoubleReturnGradient((float)p[0]); return (g.Value, new[] { (double)g.dX }); },
        (p, s, a) =>
        {
            float dX = (float)a[0];
            double value = Conversions.FloatParameterDoubleReturnBackward((float)p[0], s, ref dX);
            a[0] = dX;
            return value;
        },
        Domain.Box(-3, 3, 1), CheckOptions.Float);

    [Theory]
    [InlineData(-2)]
    [InlineData(0)]
    [InlineData(3)]
    public void IntToDouble(int n) => GradientCheck.Double($"Conversions.IntToDouble({n})", "x",
        p => Conversions.IntToDouble(p[0], n),
        p => { var g = Conversions.IntToDoubleGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.IntToDoubleBackward(p[0], n, s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void ExplicitIntToDouble(int n) => GradientCheck.Double($"Conversions.ExplicitIntToDouble({n})", "x",
        p => Conversions.ExplicitIntToDouble(p[0], n),
        p => { var g = Conversions.ExplicitIntToDoubleGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.ExplicitIntToDoubleBackward(p[0], n, s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.2));

    [Theory]
    [InlineData(-7L)]
    [InlineData(5_000_000_000L)]
    public void LongParameter(long n) => GradientCheck.Double($"Conversions.LongParameter({n})", "x",
        p => Conversions.LongParameter(p[0], n),
        p => { var g = Conversions.LongParameterGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.LongParameterBackward(p[0], n, s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BoolParameter(bool negate) => GradientCheck.Double($"Conversions.BoolParameter({negate})", "x",
        p => Conversions.BoolParameter(p[0], negate),
        p => { var g = Conversions.BoolParameterGradient(p[0], negate); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.BoolParameterBackward(p[0], negate, s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Theory]
    [InlineData(2, true, 10L)]
    [InlineData(-1, false, -3L)]
    public void AllParameterKinds(int i, bool b, long l) => GradientCheck.Double($"Conversions.AllParameterKinds({i}, {b}, {l})", "x y",
        p => Conversions.AllParameterKinds(i, p[0], b, (float)p[1], l),
        p => { var g = Conversions.AllParameterKindsGradient(i, p[0], b, (float)p[1], l); return (g.Value, new[] { g.dX, (double)g.dY }); },
        (p, s, a) =>
        {
            float dY = (float)a[1];
            double value = Conversions.AllParameterKindsBackward(i, p[0], b, (float)p[1], l, s, ref a[0], ref dY);
            a[1] = dY;
            return value;
        },
        Domain.Box(-3, 3, 2), CheckOptions.Float);

    [Theory]
    [InlineData(-4)]
    [InlineData(0)]
    [InlineData(7)]
    public void IntArithmetic(int n) => GradientCheck.Double($"Conversions.IntArithmetic({n})", "x",
        p => Conversions.IntArithmetic(p[0], n),
        p => { var g = Conversions.IntArithmeticGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.IntArithmeticBackward(p[0], n, s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void CastToInt() => GradientCheck.Double("Conversions.CastToInt", "x",
        p => Conversions.CastToInt(p[0]),
        p => { var g = Conversions.CastToIntGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.CastToIntBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01));

    [Fact]
    public void CastToLong() => GradientCheck.Double("Conversions.CastToLong", "x y",
        p => Conversions.CastToLong(p[0], p[1]),
        p => { var g = Conversions.CastToLongGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Conversions.CastToLongBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-5, 5, 2).Where(p => Domain.DistanceToGrid(2 * p[0]) > 0.01));

    [Fact]
    public void IntLocalFromCast() => GradientCheck.Double("Conversions.IntLocalFromCast", "x",
        p => Conversions.IntLocalFromCast(p[0]),
        p => { var g = Conversions.IntLocalFromCastGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Conversions.IntLocalFromCastBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(10 * p[0]) > 0.01));

    [Fact]
    public void NonDifferentiatedParametersGetNoAdjoint()
    {
        // Deconstruction fixes the arity at compile time: Value plus one adjoint per double/float parameter.
        var (value, dX) = Conversions.IntToDoubleGradient(1.5, 4);
        Assert.Equal(1.5 * 4 + 16, value);
        Assert.Equal(4.0, dX);
        var (value2, dX2, dY2) = Conversions.AllParameterKindsGradient(3, 2.0, true, 0.5f, 7L);
        Assert.Equal(2.0 * 0.5 * 3 + 7, value2);
        Assert.Equal(0.5 * 3, dX2);
        Assert.Equal(2.0f * 3, dY2);
        var (value3, dX3) = Conversions.BoolParameterGradient(2.0, true);
        Assert.Equal(-4.0, value3);
        Assert.Equal(-4.0, dX3);
    }
}
