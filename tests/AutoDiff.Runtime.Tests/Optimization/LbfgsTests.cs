using System;
using System.Collections.Generic;
using System.Threading;
using AutoDiff.Optimization;
using Xunit;

namespace AutoDiff.Runtime.Tests.Optimization;

public class LbfgsTests
{
    private static readonly LbfgsOptions Tight = new() { GradientTolerance = 1e-10, FunctionTolerance = 0 };

    [Fact]
    public void FindsTheMinimiserOfAConvexQuadratic()
    {
        var q = new TestProblems.Quadratic(20);
        MinimizationResult r = Lbfgs.Minimize(q.ValueAndGradient, new double[20], Tight);
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(StopReason.GradientTolerance, r.StopReason);
        Assert.True(r.GradientNorm <= 1e-10);
        for (int i = 0; i < 20; i++)
            Assert.Equal(q.Minimizer[i], r.X[i], 9);
    }

    [Fact]
    public void ConvergesBelowTheRoundingLevelOfTheValue()
    {
        // f* = 1e6: near the minimiser the decrease a step can make (~‖g‖²/λ) falls below the rounding error of f
        // (~1e-10) long before ‖g‖ reaches 1e-9, so only derivatives can tell good steps from bad.
        var q = new TestProblems.Quadratic(20, offset: 1e6);
        MinimizationResult r = Lbfgs.Minimize(q.ValueAndGradient, new double[20], Tight with { GradientTolerance = 1e-9 });
        Assert.True(r.Converged, r.ToString());
        Assert.True(r.GradientNorm <= 1e-9, r.ToString());
        for (int i = 0; i < 20; i++)
            Assert.Equal(q.Minimizer[i], r.X[i], 9);
    }

    [Fact]
    public void MinimisesRosenbrockFromTheClassicalStart()
    {
        MinimizationResult r = Lbfgs.Minimize(TestProblems.Rosenbrock, new[] { -1.2, 1.0 }, Tight);
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(1, r.X[0], 8);
        Assert.Equal(1, r.X[1], 8);
        Assert.True(r.Value < 1e-16, r.ToString());
        Assert.InRange(r.Iterations, 10, 200);
        Assert.True(r.FunctionEvaluations >= r.Iterations + 1);
    }

    [Fact]
    public void DefaultOptionsStopOnTheFunctionOrGradientTest()
    {
        MinimizationResult r = Lbfgs.Minimize(TestProblems.Rosenbrock, new[] { -1.2, 1.0 });
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(1, r.X[0], 3);
        Assert.Equal(1, r.X[1], 3);
    }

    [Fact]
    public void AgreesWithNewtonCgOnLogisticRegression()
    {
        var problem = new TestProblems.LogisticRegression(200, 5, c: 1, seed: 7);
        MinimizationResult l = Lbfgs.Minimize(problem.ValueAndGradient, new double[5], Tight with { GradientTolerance = 1e-8 });
        MinimizationResult n = NewtonCg.Minimize(problem.ValueAndGradient, problem.Hv, new double[5],
            new NewtonCgOptions { GradientTolerance = 1e-8, FunctionTolerance = 0 });
        Assert.True(l.Converged, l.ToString());
        Assert.True(n.Converged, n.ToString());
        for (int j = 0; j < 5; j++)
            Assert.Equal(n.X[j], l.X[j], 7);
        Assert.True(n.Iterations < l.Iterations, $"Newton {n.Iterations}, L-BFGS {l.Iterations}");
    }

    [Fact]
    public void StopsAtTheIterationLimit()
    {
        MinimizationResult r = Lbfgs.Minimize(TestProblems.Rosenbrock, new[] { -1.2, 1.0 }, Tight with { MaxIterations = 3 });
        Assert.Equal(StopReason.MaxIterations, r.StopReason);
        Assert.False(r.Converged);
        Assert.Equal(3, r.Iterations);
    }

    [Fact]
    public void StopsAtTheEvaluationLimit()
    {
        int calls = 0;
        MinimizationResult r = Lbfgs.Minimize(
            (x, g) => { calls++; return TestProblems.Rosenbrock(x, g); },
            new[] { -1.2, 1.0 }, Tight with { MaxFunctionEvaluations = 10 });
        Assert.Equal(StopReason.MaxFunctionEvaluations, r.StopReason);
        Assert.Equal(10, calls);
        Assert.Equal(calls, r.FunctionEvaluations);
    }

    [Fact]
    public void AlreadyOptimalStartTakesNoStep()
    {
        var q = new TestProblems.Quadratic(4);
        MinimizationResult r = Lbfgs.Minimize(q.ValueAndGradient, q.Minimizer);
        Assert.Equal(StopReason.GradientTolerance, r.StopReason);
        Assert.Equal(0, r.Iterations);
        Assert.Equal(1, r.FunctionEvaluations);
    }

    [Fact]
    public void AWrongGradientEndsInALineSearchFailureNotALie()
    {
        // f = Σ x², but the "gradient" has the wrong sign: every reported descent direction goes uphill.
        static double Wrong(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++)
            {
                f += x[i] * x[i];
                g[i] = -2 * x[i];
            }
            return f;
        }

        double[] x0 = { 3.0, -2.0 };
        MinimizationResult r = Lbfgs.Minimize(Wrong, x0, Tight);
        Assert.Equal(StopReason.LineSearchFailed, r.StopReason);
        Assert.False(r.Converged);
        Assert.Equal(0, r.Iterations);
        Assert.Equal(x0, r.X);
        Assert.Equal(13, r.Value);
    }

    [Fact]
    public void IteratesAreDeterministic()
    {
        List<double[]> Run()
        {
            var points = new List<double[]>();
            Lbfgs.Minimize((x, g) => { points.Add(x.ToArray()); return TestProblems.Rosenbrock(x, g); },
                new[] { -1.2, 1.0 }, Tight);
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
    public void DoesNotModifyTheStartingPoint()
    {
        double[] x0 = { -1.2, 1.0 };
        Lbfgs.Minimize(TestProblems.Rosenbrock, x0);
        Assert.Equal(new[] { -1.2, 1.0 }, x0);
    }

    [Fact]
    public void NaNGradientAtTheStartNamesIterationZeroAndTheComponent()
    {
        var q = new TestProblems.Quadratic(5);
        NonFiniteException e = Assert.Throws<NonFiniteException>(() => Lbfgs.Minimize((x, g) =>
        {
            double f = q.ValueAndGradient(x, g);
            g[3] = double.NaN;
            g[4] = double.PositiveInfinity;
            return f;
        }, new double[5]));
        Assert.Equal(0, e.Iteration);
        Assert.Equal(3, e.Index);
        Assert.Contains("iteration 0", e.Message);
        Assert.Contains("component 3", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Contains("L-BFGS", e.Message);
    }

    [Fact]
    public void NonFiniteGradientLaterNamesItsIteration()
    {
        // Learn how many evaluations iterations 0 to 2 take, then poison the next one: the first trial of iteration 3.
        var q = new TestProblems.Quadratic(6);
        LbfgsOptions options = Tight with { MaxIterations = 2 };
        int upToIteration2 = Lbfgs.Minimize(q.ValueAndGradient, new double[6], options).FunctionEvaluations;

        int calls = 0;
        NonFiniteException e = Assert.Throws<NonFiniteException>(() => Lbfgs.Minimize((x, g) =>
        {
            double f = q.ValueAndGradient(x, g);
            if (++calls == upToIteration2 + 1)
                g[1] = double.NegativeInfinity;
            return f;
        }, new double[6], Tight));
        Assert.Equal(3, e.Iteration);
        Assert.Equal(1, e.Index);
        Assert.Contains("iteration 3", e.Message);
        Assert.Contains("component 1", e.Message);
        Assert.Contains("-∞", e.Message.Replace("-Infinity", "-∞"));
    }

    [Fact]
    public void NonFiniteValueIsReported()
    {
        NonFiniteException e = Assert.Throws<NonFiniteException>(() => Lbfgs.Minimize((x, g) =>
        {
            TestProblems.Rosenbrock(x, g);
            return double.PositiveInfinity;
        }, new[] { -1.2, 1.0 }));
        Assert.Equal(-1, e.Index);
        Assert.Contains("function value", e.Message);
        Assert.Contains("iteration 0", e.Message);
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        using var cts = new CancellationTokenSource();
        int calls = 0;
        Assert.Throws<OperationCanceledException>(() => Lbfgs.Minimize((x, g) =>
        {
            if (++calls == 5)
                cts.Cancel();
            return TestProblems.Rosenbrock(x, g);
        }, new[] { -1.2, 1.0 }, Tight, cts.Token));
        Assert.Equal(5, calls);
    }

    [Fact]
    public void CancelledTokenEvaluatesNothing()
    {
        int calls = 0;
        Assert.Throws<OperationCanceledException>(() => Lbfgs.Minimize(
            (x, g) => { calls++; return TestProblems.Rosenbrock(x, g); },
            new[] { -1.2, 1.0 }, null, new CancellationToken(canceled: true)));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Lbfgs.Minimize(TestProblems.Rosenbrock, new[] { 0.0, 0.0 }, new LbfgsOptions { HistorySize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Lbfgs.Minimize(TestProblems.Rosenbrock, new[] { 0.0, 0.0 }, new LbfgsOptions { CurvatureConstant = 1e-5 }));
        Assert.Throws<ArgumentException>(() => Lbfgs.Minimize(TestProblems.Rosenbrock, Array.Empty<double>()));
    }
}
