using System;
using Xunit;
using Xunit.Sdk;

namespace AutoDiff.Tests;

/// <summary>The checker itself must be able to fail.</summary>
public class HarnessTests
{
    private static double F(double[] p) => Math.Sin(p[0]) * p[1];

    [Fact]
    public void AcceptsTheRightGradient()
        => GradientCheck.AssertGradient(F, new[] { 0.3, 2.0 }, new[] { Math.Cos(0.3) * 2.0, Math.Sin(0.3) }, new[] { "x", "y" });

    [Fact]
    public void RejectsAWrongGradientAndNamesTheParameter()
    {
        var e = Assert.ThrowsAny<XunitException>(() =>
            GradientCheck.AssertGradient(F, new[] { 0.3, 2.0 }, new[] { Math.Cos(0.3) * 2.0, Math.Sin(0.3) * (1 + 1e-5) }, new[] { "x", "y" }));
        Assert.Contains("∂/∂y", e.Message);
        Assert.Contains("x = 0.3", e.Message);
    }

    [Fact]
    public void RejectsAValueMismatchAndNonAccumulatingBackward()
    {
        Func<double[], (double, double[])> gradient = p => (F(p), new[] { Math.Cos(p[0]) * p[1], Math.Sin(p[0]) });
        Assert.ThrowsAny<XunitException>(() => GradientCheck.Double("wrong value", "x y", F,
            p => (F(p) + 1e-12, new[] { Math.Cos(p[0]) * p[1], Math.Sin(p[0]) }),
            (p, s, a) => { a[0] += s * Math.Cos(p[0]) * p[1]; a[1] += s * Math.Sin(p[0]); return F(p); },
            Domain.Box(-1, 1, 2)));
        Assert.ThrowsAny<XunitException>(() => GradientCheck.Double("overwrites", "x y", F, gradient,
            (p, s, a) => { a[0] = s * Math.Cos(p[0]) * p[1]; a[1] = s * Math.Sin(p[0]); return F(p); },
            Domain.Box(-1, 1, 2)));
        Assert.ThrowsAny<XunitException>(() => GradientCheck.Double("ignores seed", "x y", F, gradient,
            (p, s, a) => { a[0] += Math.Cos(p[0]) * p[1]; a[1] += Math.Sin(p[0]); return F(p); },
            Domain.Box(-1, 1, 2)));
        GradientCheck.Double("right", "x y", F, gradient,
            (p, s, a) => { a[0] += s * Math.Cos(p[0]) * p[1]; a[1] += s * Math.Sin(p[0]); return F(p); },
            Domain.Box(-1, 1, 2));
    }

    [Fact]
    public void FloatCheckRejectsAOnePercentError()
    {
        Assert.ThrowsAny<XunitException>(() => GradientCheck.Float("float", "x",
            p => MathF.Sin(p[0]),
            p => (MathF.Sin(p[0]), new[] { MathF.Cos(p[0]) * 1.05f }),
            (p, s, a) => { a[0] += s * MathF.Cos(p[0]) * 1.05f; return MathF.Sin(p[0]); },
            Domain.Box(-1, 1, 1)));
    }
}
