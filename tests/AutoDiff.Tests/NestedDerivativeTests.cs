using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>
/// Nested differentiation: [Differentiable] methods that call generated derivatives are checked across modes like any
/// other (gradient against central differences, tangent against gradient, H·v against gradient differences), and the
/// inner derivatives against finite differences of the inner gradient.
/// </summary>
public class NestedDerivativeTests
{
    /// <summary>The value of F (which runs the inner gradient in reverse mode) and of FTangent (directional derivatives) agree up to rounding.</summary>
    private static readonly ModeOptions Nested = ModeOptions.Double with { ValueTolerance = 1e-13 };

    public static readonly ModeCases Cases = new()
    {
        { typeof(NestedDerivatives), nameof(NestedDerivatives.Potential), Domain.Box(-1.5, 1.5, 3) },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.GradientPenalty), Domain.Box(-1.5, 1.5, 3), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.DeconstructedGradient), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.BackwardInside), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.TangentInside), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.TangentOutArgument), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.StructGradientInside), Domain.Box(-1.5, 1.5, 4), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.StructBackwardInside), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.StructTangentInside), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.Energy), Domain.Box(-1.5, 1.5, 2) },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.Slope), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.Curvature), Domain.Box(-1.5, 1.5, 2), Nested },
        { typeof(NestedDerivatives), nameof(NestedDerivatives.NewtonStep), Domain.Box(0.5, 1.5, 2), Nested },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);

    private static double Central(Func<double, double> f, double x, double h = 1e-5) => (f(x + h) - f(x - h)) / (2 * h);

    [Theory]
    [InlineData(0.3, -0.7, 1.2)]
    [InlineData(-1.1, 0.4, 2.5)]
    public void TheInnerGradientIsExact(double x, double y, double k)
    {
        // GradientPenalty's value uses the inner gradient: compare with central differences of Potential.
        double dx = Central(t => NestedDerivatives.Potential(t, y, k), x);
        double dy = Central(t => NestedDerivatives.Potential(x, t, k), y);
        double expected = NestedDerivatives.Potential(x, y, k) + 0.1 * (dx * dx + dy * dy);
        Assert.Equal(expected, NestedDerivatives.GradientPenalty(x, y, k), 8);
    }

    [Theory]
    [InlineData(0.4, 1.0)]
    [InlineData(-0.8, 0.3)]
    public void CurvatureIsTheSecondDerivative(double x, double a)
    {
        // Central differences of the slope, and the second difference of the energy.
        Assert.Equal(Central(t => NestedDerivatives.Slope(t, a), x), NestedDerivatives.Curvature(x, a), 7);
        const double h = 1e-4;
        double second = (NestedDerivatives.Energy(x + h, a) - 2 * NestedDerivatives.Energy(x, a) + NestedDerivatives.Energy(x - h, a)) / (h * h);
        Assert.Equal(second, NestedDerivatives.Curvature(x, a), 5);
        // The Hessian of the energy agrees with the nested derivative.
        Assert.Equal(NestedDerivatives.EnergyHessian(x, a)[0, 0], NestedDerivatives.Curvature(x, a), 10);
    }

    [Fact]
    public void TheNewtonStepsGradientMatchesDifferences()
    {
        var g = NestedDerivatives.NewtonStepGradient(0.9, 1.2);
        Assert.Equal(Central(t => NestedDerivatives.NewtonStep(t, 1.2), 0.9), g.dX, 6);
        Assert.Equal(Central(t => NestedDerivatives.NewtonStep(0.9, t), 1.2), g.dA, 6);
    }
}
