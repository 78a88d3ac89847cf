using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>
/// Piecewise-constant functions contribute exactly zero: the derivative is exactly what the math says,
/// at random points and at the jumps themselves.
/// </summary>
public class PiecewiseExactTests
{
    private static readonly double[] Points = { -2.75, -2.0, -1.5, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.3 };

    [Fact]
    public void FloorPlusHasDerivativeOne()
    {
        foreach (var x in Points)
        {
            GradientCheck.Exact(1.0, Piecewise.FloorPlusGradient(x).dX, $"d/dx (x + Floor(x)) at {x}");
            GradientCheck.Exact(1.0, Piecewise.FloorPlusFGradient((float)x).dX, $"d/dx (x + MathF.Floor(x)) at {x}");
        }
    }

    [Fact]
    public void CeilingTimes()
    {
        foreach (var x in Points)
        foreach (var y in Points)
        {
            var g = Piecewise.CeilingTimesGradient(x, y);
            GradientCheck.Exact(Math.Ceiling(y), g.dX, $"d/dx (x·Ceiling(y)) at ({x}, {y})");
            GradientCheck.Exact(0.0, g.dY, $"d/dy (x·Ceiling(y)) at ({x}, {y})");
            var gf = Piecewise.CeilingTimesFGradient((float)x, (float)y);
            GradientCheck.Exact(Math.Ceiling(y), gf.dX, $"d/dx (x·MathF.Ceiling(y)) at ({x}, {y})");
            GradientCheck.Exact(0.0, gf.dY, $"d/dy (x·MathF.Ceiling(y)) at ({x}, {y})");
        }
    }

    [Fact]
    public void RoundPlus()
    {
        foreach (var x in Points)
        {
            GradientCheck.Exact(2 * x, Piecewise.RoundPlusGradient(x).dX, $"d/dx (x² + Round(3x)) at {x}");
            GradientCheck.Exact(2f * (float)x, Piecewise.RoundPlusFGradient((float)x).dX, $"d/dx (x² + MathF.Round(3x)) at {x}");
        }
    }

    [Fact]
    public void TruncateTimes()
    {
        foreach (var x in Points)
        {
            GradientCheck.Exact(Math.Truncate(x), Piecewise.TruncateTimesGradient(x).dX, $"d/dx (Truncate(x)·x) at {x}");
            GradientCheck.Exact(Math.Truncate(x), Piecewise.TruncateTimesFGradient((float)x).dX, $"d/dx (MathF.Truncate(x)·x) at {x}");
        }
    }

    [Fact]
    public void SignTimes()
    {
        foreach (var x in Points)
        {
            var g = Piecewise.SignTimesGradient(x, 1.75);
            GradientCheck.Exact(1.0, g.dX, $"d/dx (Sign(x)·y + x) at {x}");
            GradientCheck.Exact(Math.Sign(x), g.dY, $"d/dy (Sign(x)·y + x) at {x}");
            var gf = Piecewise.SignTimesFGradient((float)x, 1.75f);
            GradientCheck.Exact(1.0, gf.dX, $"d/dx (MathF.Sign(x)·y + x) at {x}");
            GradientCheck.Exact(Math.Sign(x), gf.dY, $"d/dy (MathF.Sign(x)·y + x) at {x}");
        }
    }

    [Fact]
    public void CastsToIntegerCutTheDerivative()
    {
        foreach (var x in Points)
        {
            GradientCheck.Exact((int)x, Conversions.CastToIntGradient(x).dX, $"d/dx (x·(int)x) at {x}");
            var g = Conversions.CastToLongGradient(x, -1.25);
            GradientCheck.Exact(1.0, g.dX, $"d/dx (y·(long)(2x) + x) at {x}");
            GradientCheck.Exact((long)(x * 2.0), g.dY, $"d/dy (y·(long)(2x) + x) at {x}");
            GradientCheck.Exact(2 * x, Conversions.IntLocalFromCastGradient(x).dX, $"d/dx ((int)(10x) + x²) at {x}");
        }
    }
}
