// Loops, checked against finite differences (GradientCheck) and across modes (ModeCheck).
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

public class LoopTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void RunningSum(int n) => GradientCheck.Double("Loops.RunningSum", "x y",
        p => Loops.RunningSum(p[0], p[1], n),
        p => { var g = Loops.RunningSumGradient(p[0], p[1], n); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Loops.RunningSumBackward(p[0], p[1], n, s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2));

    [Fact]
    public void PowerIsExact()
    {
        for (int n = 0; n <= 6; n++)
        {
            var (value, dX) = Loops.PowerGradient(1.3, n);
            Assert.Equal(Math.Pow(1.3, n), value, 12);
            Assert.Equal(n == 0 ? 0 : n * Math.Pow(1.3, n - 1), dX, 12);
        }
    }

    [Fact]
    public void Downwards() => GradientCheck.Double("Loops.Downwards", "x y",
        p => Loops.Downwards(p[0], p[1]),
        p => { var g = Loops.DownwardsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Loops.DownwardsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1, 1, 2));

    [Fact]
    public void GrowUntil() => GradientCheck.Double("Loops.GrowUntil", "x limit",
        p => Loops.GrowUntil(p[0], p[1]),
        p => { var g = Loops.GrowUntilGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dLimit }); },
        (p, s, a) => Loops.GrowUntilBackward(p[0], p[1], s, ref a[0], ref a[1]),
        // Away from the points where one more iteration starts.
        Domain.Box((-1, 1), (2, 50)).Where(p => StepsStable(p[0], p[1])));

    internal static bool StepsStable(double x, double limit)
    {
        double v = 1.0;
        while (v < limit) v = v * 1.5 + x * x;
        return v - limit > 0.05 && Math.Abs(v / 1.0 - limit) > 0.05;
    }

    [Fact]
    public void NewtonSqrtConvergesWithTheRightDerivative()
    {
        var (value, dA, dX) = Loops.NewtonSqrtGradient(2.0, 1.0);
        Assert.Equal(Math.Sqrt(2), value, 10);
        Assert.Equal(1 / (2 * Math.Sqrt(2)), dA, 8);
        Assert.Equal(0, dX, 8); // converged: the start no longer matters
    }

    [Fact]
    public void NewtonSqrt() => GradientCheck.Double("Loops.NewtonSqrt", "a x",
        p => Loops.NewtonSqrt(p[0], p[1]),
        p => { var g = Loops.NewtonSqrtGradient(p[0], p[1]); return (g.Value, new[] { g.dA, g.dX }); },
        (p, s, a) => Loops.NewtonSqrtBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((0.5, 4), (0.5, 3)));

    [Fact]
    public void Nested() => GradientCheck.Double("Loops.Nested", "x y",
        p => Loops.Nested(p[0], p[1]),
        p => { var g = Loops.NestedGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Loops.NestedBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2));

    [Fact]
    public void BreakAndContinue() => GradientCheck.Double("Loops.BreakAndContinue", "x y",
        p => Loops.BreakAndContinue(p[0], p[1]),
        p => { var g = Loops.BreakAndContinueGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Loops.BreakAndContinueBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((-3, 3), (0.5, 2)).Where(p => BreakStable(p[0], p[1])));

    internal static bool BreakStable(double x, double y)
    {
        // Keep the running value away from the break threshold at every iteration.
        double s = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i % 3 == 1) continue;
            s = s * y + Math.Exp(x * 0.1 * i);
            if (Math.Abs(s - 20) < 0.2) return false;
            if (s > 20) break;
        }
        return true;
    }

    [Fact]
    public void ReturnInsideLoop() => GradientCheck.Double("Loops.ReturnInsideLoop", "x y",
        p => Loops.ReturnInsideLoop(p[0], p[1]),
        p => { var g = Loops.ReturnInsideLoopGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Loops.ReturnInsideLoopBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2).Where(p => ReturnStable(p[0], p[1])));

    internal static bool ReturnStable(double x, double y)
    {
        double t = x;
        for (int i = 0; i < 5; i++)
        {
            t = t * y + 1;
            if (Math.Abs(t - 3) < 0.05) return false;
            if (t > 3) return true;
        }
        return true;
    }

    [Fact]
    public void CallsInLoop() => GradientCheck.Double("Loops.CallsInLoop", "x y",
        p => Loops.CallsInLoop(p[0], p[1]),
        p => { var g = Loops.CallsInLoopGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Loops.CallsInLoopBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01 && Math.Abs(2 * p[0] - p[1]) > 0.01 && Math.Abs(3 * p[0] - p[1]) > 0.01));
}

public class LoopModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(Loops), nameof(Loops.RunningSum), Domain.Box(-2, 2, 2), 5 },
        { typeof(Loops), nameof(Loops.Power), Domain.Box(-2, 2, 1), 5 },
        { typeof(Loops), nameof(Loops.Downwards), Domain.Box(-1, 1, 2) },
        { typeof(Loops), nameof(Loops.NewtonSqrt), Domain.Box((0.5, 4), (0.5, 3)) },
        { typeof(Loops), nameof(Loops.Nested), Domain.Box(-2, 2, 2) },
        { typeof(Loops), nameof(Loops.GrowUntil), Domain.Box((-1, 1), (2, 50)).Where(p => LoopTests.StepsStable(p[0], p[1])) },
        { typeof(Loops), nameof(Loops.BreakAndContinue), Domain.Box((-3, 3), (0.5, 2)).Where(p => LoopTests.BreakStable(p[0], p[1])) },
        { typeof(Loops), nameof(Loops.ReturnInsideLoop), Domain.Box(-2, 2, 2).Where(p => LoopTests.ReturnStable(p[0], p[1])) },
        { typeof(Loops), nameof(Loops.CallsInLoop), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01 && Math.Abs(2 * p[0] - p[1]) > 0.01 && Math.Abs(3 * p[0] - p[1]) > 0.01) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}
