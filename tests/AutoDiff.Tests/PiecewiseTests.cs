// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Floor, Ceiling, Round, Truncate, Sign: finite differences away from the jumps (exact values in PiecewiseExactTests).</summary>
public class PiecewiseTests
{
    [Fact]
    public void FloorPlus() => GradientCheck.Double("Piecewise.FloorPlus", "x",
        p => Piecewise.FloorPlus(p[0]),
        p => { var g = Piecewise.FloorPlusGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Piecewise.FloorPlusBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01));

    [Fact]
    public void CeilingTimes() => GradientCheck.Double("Piecewise.CeilingTimes", "x y",
        p => Piecewise.CeilingTimes(p[0], p[1]),
        p => { var g = Piecewise.CeilingTimesGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Piecewise.CeilingTimesBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-5, 5, 2).Where(p => Domain.DistanceToGrid(p[1]) > 0.01));

    [Fact]
    public void RoundPlus() => GradientCheck.Double("Piecewise.RoundPlus", "x",
        p => Piecewise.RoundPlus(p[0]),
        p => { var g = Piecewise.RoundPlusGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Piecewise.RoundPlusBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Domain.DistanceToGrid(3 * p[0] + 0.5) > 0.03));

    [Fact]
    public void TruncateTimes() => GradientCheck.Double("Piecewise.TruncateTimes", "x",
        p => Piecewise.TruncateTimes(p[0]),
        p => { var g = Piecewise.TruncateTimesGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Piecewise.TruncateTimesBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01));

    [Fact]
    public void SignTimes() => GradientCheck.Double("Piecewise.SignTimes", "x y",
        p => Piecewise.SignTimes(p[0], p[1]),
        p => { var g = Piecewise.SignTimesGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Piecewise.SignTimesBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-5, 5, 2).Where(p => Math.Abs(p[0]) > 0.01));

    [Fact]
    public void FloorPlusF() => GradientCheck.Float("Piecewise.FloorPlusF", "x",
        p => Piecewise.FloorPlusF(p[0]),
        p => { var g = Piecewise.FloorPlusFGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Piecewise.FloorPlusFBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.1));

    [Fact]
    public void CeilingTimesF() => GradientCheck.Float("Piecewise.CeilingTimesF", "x y",
        p => Piecewise.CeilingTimesF(p[0], p[1]),
        p => { var g = Piecewise.CeilingTimesFGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Piecewise.CeilingTimesFBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-5, 5, 2).Where(p => Domain.DistanceToGrid(p[1]) > 0.1));

    [Fact]
    public void RoundPlusF() => GradientCheck.Float("Piecewise.RoundPlusF", "x",
        p => Piecewise.RoundPlusF(p[0]),
        p => { var g = Piecewise.RoundPlusFGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Piecewise.RoundPlusFBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Domain.DistanceToGrid(3 * p[0] + 0.5) > 0.2));

    [Fact]
    public void TruncateTimesF() => GradientCheck.Float("Piecewise.TruncateTimesF", "x",
        p => Piecewise.TruncateTimesF(p[0]),
        p => { var g = Piecewise.TruncateTimesFGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Piecewise.TruncateTimesFBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.1));

    [Fact]
    public void SignTimesF() => GradientCheck.Float("Piecewise.SignTimesF", "x y",
        p => Piecewise.SignTimesF(p[0], p[1]),
        p => { var g = Piecewise.SignTimesFGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Piecewise.SignTimesFBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-5, 5, 2).Where(p => Math.Abs(p[0]) > 0.1));
}
