// [CustomDerivative]: hand-written rules used by generated code in every mode.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

public class CustomDerivativeTests
{
    [Fact]
    public void ModelUsesTheCustomRule() => GradientCheck.Double("CustomDerivatives.Model", "a b x",
        p => CustomDerivatives.Model(p[0], p[1], p[2]),
        p => { var g = CustomDerivatives.ModelGradient(p[0], p[1], p[2]); return (g.Value, new[] { g.dA, g.dB, g.dX }); },
        (p, s, a) => CustomDerivatives.ModelBackward(p[0], p[1], p[2], s, ref a[0], ref a[1], ref a[2]),
        Domain.Box(-3, 3, 3));

    [Fact]
    public void CustomRuleStaysFiniteWhereTheNaiveFormulaOverflows()
    {
        // σ(800) = 1 by the rule; exp(800) overflows a naive derivative to ∞/∞.
        var (value, dX) = CustomDerivatives.SoftplusGradient(800);
        Assert.Equal(800, value);
        Assert.Equal(1.0, dX);
        Assert.Equal(0.0, CustomDerivatives.SoftplusHessianVector(800, 1.0), 12);
    }

    [Fact]
    public void SecondOrderFromTheDifferentiatedPullbackRule()
    {
        // softplus'' = σ(x)(1 - σ(x)); FBackwardTangent was generated from SoftplusBackward.
        foreach (var x in new[] { -2.0, -0.3, 0.0, 1.7 })
        {
            double s = 1 / (1 + Math.Exp(-x));
            Assert.Equal(s * (1 - s), CustomDerivatives.SoftplusHessianVector(x, 1.0), 12);
            Assert.Equal(s * (1 - s), CustomDerivatives.SoftplusHessian(x)[0, 0], 12);
        }
    }

    [Fact]
    public void HandWrittenSecondOrderRuleIsUsed()
    {
        // Hessian of √(x² + y²): [[y², -xy], [-xy, x²]] / r³.
        double x = 3, y = 4, r = 5;
        var h = CustomDerivatives.HypotHessian(x, y);
        Assert.Equal(y * y / (r * r * r), h[0, 0], 12);
        Assert.Equal(-x * y / (r * r * r), h[0, 1], 12);
        Assert.Equal(-x * y / (r * r * r), h[1, 0], 12);
        Assert.Equal(x * x / (r * r * r), h[1, 1], 12);
    }

    [Fact]
    public void BclMethodWithRulesFromAForwarder() => GradientCheck.Double("CustomDerivatives.Horner", "x a b c",
        p => CustomDerivatives.Horner(p[0], p[1], p[2], p[3]),
        p => { var g = CustomDerivatives.HornerGradient(p[0], p[1], p[2], p[3]); return (g.Value, new[] { g.dX, g.dA, g.dB, g.dC }); },
        (p, s, a) => CustomDerivatives.HornerBackward(p[0], p[1], p[2], p[3], s, ref a[0], ref a[1], ref a[2], ref a[3]),
        Domain.Box(-2, 2, 4));

    [Fact]
    public void HornerSecondDerivative()
    {
        // (a x + b) x + c: ∂²/∂x² = 2a.
        Assert.Equal(2 * 1.5, CustomDerivatives.HornerHessian(0.3, 1.5, -2, 4)[0, 0], 12);
    }

    [Fact]
    public void DistanceThroughTheCustomRule() => GradientCheck.Double("CustomDerivatives.Distance", "x0 y0 x1 y1",
        p => CustomDerivatives.Distance(p[0], p[1], p[2], p[3]),
        p => { var g = CustomDerivatives.DistanceGradient(p[0], p[1], p[2], p[3]); return (g.Value, new[] { g.dX0, g.dY0, g.dX1, g.dY1 }); },
        (p, s, a) => CustomDerivatives.DistanceBackward(p[0], p[1], p[2], p[3], s, ref a[0], ref a[1], ref a[2], ref a[3]),
        Domain.Box(-3, 3, 4).Where(p => Math.Abs(p[2] - p[0]) + Math.Abs(p[3] - p[1]) > 0.1));
}

public class CustomDerivativeModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(CustomDerivatives), nameof(CustomDerivatives.Softplus), Domain.Box(-4, 4, 1) },
        { typeof(CustomDerivatives), nameof(CustomDerivatives.Model), Domain.Box(-3, 3, 3) },
        { typeof(CustomDerivatives), nameof(CustomDerivatives.Hypot), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) + Math.Abs(p[1]) > 0.1) },
        { typeof(CustomDerivatives), nameof(CustomDerivatives.Horner), Domain.Box(-2, 2, 4) },
        { typeof(CustomDerivatives), nameof(CustomDerivatives.FusedMultiplyAdd), Domain.Box(-2, 2, 3) },
        { typeof(CustomDerivatives), nameof(CustomDerivatives.Distance), Domain.Box(-3, 3, 4).Where(p => Math.Abs(p[2] - p[0]) + Math.Abs(p[3] - p[1]) > 0.1) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}
