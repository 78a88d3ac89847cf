using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>A [Differentiable] method with a side-effecting call: correct derivatives, and the call runs again.</summary>
public class SideEffectTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(SideEffects), nameof(SideEffects.Logged), Domain.Box(-2, 2, 2) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);

    [Fact]
    public void DerivativesAreThoseOfTheValue() => GradientCheck.Double("SideEffects.Logged", "x y",
        p => SideEffects.Logged(p[0], p[1]),
        p => { var g = SideEffects.LoggedGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => SideEffects.LoggedBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2));

    [Fact]
    public void TheGeneratedDerivativesRunTheCallAgain()
    {
        SideEffects.TakeCalls();
        SideEffects.Logged(0.5, 1.5);
        Assert.Equal(1, SideEffects.TakeCalls());
        SideEffects.LoggedGradient(0.5, 1.5);
        Assert.True(SideEffects.TakeCalls() >= 1, "the gradient's forward pass runs the call");
        SideEffects.LoggedTangent(0.5, 1.5, 1.0, 0.0);
        Assert.True(SideEffects.TakeCalls() >= 1, "the tangent runs the call");
    }
}
