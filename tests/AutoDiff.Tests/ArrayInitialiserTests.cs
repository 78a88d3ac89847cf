// Array initialisers (issue 18): each function's gradient against central differences and its modes against each other,
// with the values written out.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

public class ArrayInitialiserTests
{
    /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
    public static readonly string[] Checked =
    {
        nameof(ArrayInitialisers.Cubic), nameof(ArrayInitialisers.Rotated), nameof(ArrayInitialisers.Passed), nameof(ArrayInitialisers.SumOfSquares),
    };

    [Fact]
    public void Cubic()
    {
        Assert.Equal(1 - 2 * 1.5 + 0.5 * 1.5 * 1.5 + 3 * 1.5 * 1.5 * 1.5, ArrayInitialisers.Cubic(1.5), 12);
        var (_, dX) = ArrayInitialisers.CubicGradient(1.5);
        Assert.Equal(-2 + 1.5 + 9 * 1.5 * 1.5, dX, 12);
        GradientCheck.Double("ArrayInitialisers.Cubic", "x", x => ArrayInitialisers.Cubic(x[0]),
            x => { var (value, d) = ArrayInitialisers.CubicGradient(x[0]); return (value, new[] { d }); },
            (x, seed, a) => { double d = 0; double value = ArrayInitialisers.CubicBackward(x[0], seed, ref d); a[0] += d; return value; },
            Domain.Box(-2, 2, 1));
        ModeCheck.Run("ArrayInitialisers.Cubic", "x", new ModeFunctions(x => ArrayInitialisers.Cubic(x[0]),
            x => new[] { ArrayInitialisers.CubicGradient(x[0]).dX },
            (x, v) => ArrayInitialisers.CubicTangent(x[0], v[0]),
            (x, v) => new[] { ArrayInitialisers.CubicHessianVector(x[0], v[0]) },
            x => ArrayInitialisers.CubicHessian(x[0])), Domain.Box(-2, 2, 1));
    }

    [Fact]
    public void Rotated()
    {
        double F(double[] p) => ArrayInitialisers.Rotated(p[0], p[1], p[2]);
        GradientCheck.Double("ArrayInitialisers.Rotated", "x y angle", F,
            p => { var (value, dX, dY, dA) = ArrayInitialisers.RotatedGradient(p[0], p[1], p[2]); return (value, new[] { dX, dY, dA }); },
            (p, seed, a) =>
            {
                double dX = 0, dY = 0, dA = 0;
                double value = ArrayInitialisers.RotatedBackward(p[0], p[1], p[2], seed, ref dX, ref dY, ref dA);
                a[0] += dX; a[1] += dY; a[2] += dA;
                return value;
            },
            Domain.Box(-2, 2, 3));
        ModeCheck.Run("ArrayInitialisers.Rotated", "x y angle", new ModeFunctions(F,
            p => { var (_, dX, dY, dA) = ArrayInitialisers.RotatedGradient(p[0], p[1], p[2]); return new[] { dX, dY, dA }; },
            (p, v) => ArrayInitialisers.RotatedTangent(p[0], p[1], p[2], v[0], v[1], v[2]),
            (p, v) => { var (a, b, c) = ArrayInitialisers.RotatedHessianVector(p[0], p[1], p[2], v[0], v[1], v[2]); return new[] { a, b, c }; },
            p => ArrayInitialisers.RotatedHessian(p[0], p[1], p[2])), Domain.Box(-2, 2, 3));
    }

    [Fact]
    public void Passed()
    {
        // x² + y² + x²y² + 2y.
        Assert.Equal(4 + 9 + 36 + 6, ArrayInitialisers.Passed(2, 3), 12);
        double F(double[] p) => ArrayInitialisers.Passed(p[0], p[1]);
        GradientCheck.Double("ArrayInitialisers.Passed", "x y", F,
            p => { var (value, dX, dY) = ArrayInitialisers.PassedGradient(p[0], p[1]); return (value, new[] { dX, dY }); },
            (p, seed, a) =>
            {
                double dX = 0, dY = 0;
                double value = ArrayInitialisers.PassedBackward(p[0], p[1], seed, ref dX, ref dY);
                a[0] += dX; a[1] += dY;
                return value;
            },
            Domain.Box(-2, 2, 2));
        ModeCheck.Run("ArrayInitialisers.Passed", "x y", new ModeFunctions(F,
            p => { var (_, dX, dY) = ArrayInitialisers.PassedGradient(p[0], p[1]); return new[] { dX, dY }; },
            (p, v) => ArrayInitialisers.PassedTangent(p[0], p[1], v[0], v[1]),
            (p, v) => { var (a, b) = ArrayInitialisers.PassedHessianVector(p[0], p[1], v[0], v[1]); return new[] { a, b }; },
            p => ArrayInitialisers.PassedHessian(p[0], p[1])), Domain.Box(-2, 2, 2));
    }
}
