using System;
using System.Collections.Generic;
using System.Threading;
using AutoDiff.Optimization;
using Xunit;

namespace AutoDiff.Runtime.Tests.Optimization;

public class NewtonCgTests
{
    private static readonly NewtonCgOptions Tight = new() { GradientTolerance = 1e-10, FunctionTolerance = 0 };

    [Fact]
    public void FindsTheMinimiserOfAConvexQuadratic()
    {
        var q = new TestProblems.Quadratic(20);
        MinimizationResult r = NewtonCg.Minimize(q.ValueAndGradient, q.Hv, new double[20], Tight);
        Assert.True(r.Converged, r.ToString());
        for (int i = 0; i < 20; i++)
            Assert.Equal(q.Minimizer[i], r.X[i], 9);
        // Linear convergence while ‖g‖ > 1/4 (forcing term 1/2), superlinear after: a dozen Newton iterations.
        Assert.InRange(r.Iterations, 1, 15);
        Assert.True(r.HessianVectorProducts > 0);
    }

    [Fact]
    public void ConvergesBelowTheRoundingLevelOfTheValue()
    {
        // f* = 1e6: near the minimiser the decrease a step can make (~‖g‖²/λ) falls below the rounding error of f
        // (~1e-10) long before ‖g‖ reaches 1e-9, so only derivatives can tell good steps from bad.
        var q = new TestProblems.Quadratic(20, offset: 1e6);
        MinimizationResult r = NewtonCg.Minimize(q.ValueAndGradient, q.Hv, new double[20], Tight with { GradientTolerance = 1e-9 });
        Assert.True(r.Converged, r.ToString());
        Assert.True(r.GradientNorm <= 1e-9, r.ToString());
        for (int i = 0; i < 20; i++)
            Assert.Equal(q.Minimizer[i], r.X[i], 9);
    }

    [Fact]
    public void MinimisesRosenbrockWithTheExactHessian()
    {
        MinimizationResult r = NewtonCg.Minimize(TestProblems.Rosenbrock, TestProblems.RosenbrockHv, new[] { -1.2, 1.0 }, Tight);
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(1, r.X[0], 8);
        Assert.Equal(1, r.X[1], 8);
        Assert.InRange(r.Iterations, 5, 100);
    }

    [Fact]
    public void ASmallerForcingCapTakesFewerNewtonIterations()
    {
        MinimizationResult loose = NewtonCg.Minimize(TestProblems.Rosenbrock, TestProblems.RosenbrockHv, new[] { -1.2, 1.0 }, Tight);
        MinimizationResult tight = NewtonCg.Minimize(TestProblems.Rosenbrock, TestProblems.RosenbrockHv, new[] { -1.2, 1.0 },
            Tight with { MaxForcingTerm = 0.01 });
        Assert.True(tight.Converged, tight.ToString());
        Assert.Equal(1, tight.X[0], 8);
        Assert.True(tight.Iterations < loose.Iterations, $"{tight.Iterations} vs {loose.Iterations}");
    }

    [Fact]
    public void NegativeCurvatureFallsBackToADescentStep()
    {
        // f = x⁴/4 − x²/2 + y²: the Hessian at the origin's neighbourhood has negative curvature along x; minima at (±1, 0).
        static double F(ReadOnlySpan<double> x, Span<double> g)
        {
            g[0] = x[0] * x[0] * x[0] - x[0];
            g[1] = 2 * x[1];
            return x[0] * x[0] * x[0] * x[0] / 4 - x[0] * x[0] / 2 + x[1] * x[1];
        }

        static void Hv(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> hv)
        {
            hv[0] = (3 * x[0] * x[0] - 1) * v[0];
            hv[1] = 2 * v[1];
        }

        MinimizationResult r = NewtonCg.Minimize(F, Hv, new[] { 0.1, 0.0 }, Tight);
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(1, r.X[0], 9);
        Assert.Equal(0, r.X[1], 9);
    }

    [Fact]
    public void IteratesAreDeterministic()
    {
        List<double[]> Run()
        {
            var points = new List<double[]>();
            NewtonCg.Minimize((x, g) => { points.Add(x.ToArray()); return TestProblems.Rosenbrock(x, g); },
                TestProblems.RosenbrockHv, new[] { -1.2, 1.0 }, Tight);
            return points;
        }

        List<double[]> a = Run(), b = Run();
        Assert.Equal(a.Count, b.Count);
        for (int k = 0; k < a.Count; k++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(a[k][0]), BitConverter.DoubleToInt64Bits(b[k][0]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a[k][1]), BitConverter.DoubleToInt64Bits(b[k][1]));
        }
    }

    [Fact]
    public void StopsAtTheIterationLimit()
    {
        MinimizationResult r = NewtonCg.Minimize(TestProblems.Rosenbrock, TestProblems.RosenbrockHv, new[] { -1.2, 1.0 },
            Tight with { MaxIterations = 2 });
        Assert.Equal(StopReason.MaxIterations, r.StopReason);
        Assert.Equal(2, r.Iterations);
        Assert.False(r.Converged);
    }

    [Fact]
    public void NaNGradientNamesTheIterationAndComponent()
    {
        var q = new TestProblems.Quadratic(4);
        int calls = 0;
        NonFiniteException e = Assert.Throws<NonFiniteException>(() => NewtonCg.Minimize((x, g) =>
        {
            double f = q.ValueAndGradient(x, g);
            if (++calls == 2)
                g[2] = double.NaN; // the first trial point of iteration 1
            return f;
        }, q.Hv, new double[4], Tight));
        Assert.Equal(1, e.Iteration);
        Assert.Equal(2, e.Index);
        Assert.Contains("Newton-CG", e.Message);
        Assert.Contains("iteration 1", e.Message);
        Assert.Contains("component 2", e.Message);
    }

    [Fact]
    public void NonFiniteHessianVectorProductIsReported()
    {
        var q = new TestProblems.Quadratic(3);
        NonFiniteException e = Assert.Throws<NonFiniteException>(() => NewtonCg.Minimize(q.ValueAndGradient,
            (x, v, hv) => { q.Hv(x, v, hv); hv[0] = double.PositiveInfinity; }, new double[3]));
        Assert.Equal(1, e.Iteration);
        Assert.Equal(0, e.Index);
        Assert.Contains("Hessian-vector product", e.Message);
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        using var cts = new CancellationTokenSource();
        int products = 0;
        Assert.Throws<OperationCanceledException>(() => NewtonCg.Minimize(TestProblems.Rosenbrock, (x, v, hv) =>
        {
            if (++products == 3)
                cts.Cancel();
            TestProblems.RosenbrockHv(x, v, hv);
        }, new[] { -1.2, 1.0 }, Tight, cts.Token));
        Assert.Equal(3, products);
    }
}
