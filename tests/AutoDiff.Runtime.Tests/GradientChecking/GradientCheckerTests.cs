using System;
using System.Globalization;
using AutoDiff.Optimization;
using Xunit;

namespace AutoDiff.Runtime.Tests.GradientChecking;

public class GradientCheckerTests
{
    // f(x) = Σ sin(xᵢ)·xᵢ₊₁ + exp(x₀)·x₂
    private static double F(double[] x)
    {
        double f = Math.Exp(x[0]) * x[2];
        for (int i = 0; i + 1 < x.Length; i++)
            f += Math.Sin(x[i]) * x[i + 1];
        return f;
    }

    private static double[] Gradient(double[] x)
    {
        var g = new double[x.Length];
        for (int i = 0; i + 1 < x.Length; i++)
        {
            g[i] += Math.Cos(x[i]) * x[i + 1];
            g[i + 1] += Math.Sin(x[i]);
        }
        g[0] += Math.Exp(x[0]) * x[2];
        g[2] += Math.Exp(x[0]);
        return g;
    }

    private static readonly double[] X = { 0.3, -1.2, 0.7, 2.1, -0.4 };

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void PassesOnACorrectGradient()
    {
        GradientCheckResult r = GradientChecker.Check(F, X, Gradient(X));
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(0, r.Failures);
        Assert.Equal(X.Length, r.Components);
        Assert.InRange(r.WorstIndex, 0, X.Length - 1);
        Assert.True(r.AbsoluteError < 1e-8, r.ToString());
        GradientChecker.Assert(F, X, Gradient(X));
    }

    [Fact]
    public void FailsOnAWrongComponentAndNamesItsIndexAndValues()
    {
        double[] wrong = Gradient(X);
        double correct = wrong[3];
        wrong[3] += 0.01;

        GradientCheckResult r = GradientChecker.Check(F, X, wrong);
        Assert.False(r.Passed);
        Assert.Equal(3, r.WorstIndex);
        Assert.Equal(1, r.Failures);
        Assert.Equal(wrong[3], r.Analytical);
        Assert.Equal(correct, r.Numerical, 8);
        Assert.Equal(0.01, r.AbsoluteError, 8);

        GradientCheckException e = Assert.Throws<GradientCheckException>(() => GradientChecker.Assert(F, X, wrong));
        Assert.Contains("input index 3", e.Message);
        Assert.Contains("numerical " + Format(r.Numerical), e.Message);
        Assert.Contains("analytical " + Format(wrong[3]), e.Message);
        Assert.Contains("1 of 5 components fail", e.Message);
        Assert.Equal(r.ToString(), e.Message);
    }

    [Fact]
    public void TheWorstOfSeveralWrongComponentsIsNamed()
    {
        double[] wrong = Gradient(X);
        wrong[1] += 0.001;
        wrong[4] -= 0.5;
        GradientCheckResult r = GradientChecker.Check(F, X, wrong);
        Assert.False(r.Passed);
        Assert.Equal(4, r.WorstIndex);
        Assert.Equal(2, r.Failures);
    }

    [Fact]
    public void ErrorsWithinTheToleranceAreAccepted()
    {
        // |a − n| ≤ atol + rtol·|n|: 1e-5 + 1e-3·|g₂| allows an error of about 4e-3 at index 2.
        double[] g = Gradient(X);
        double allowed = 1e-5 + 1e-3 * Math.Abs(g[2]);
        g[2] += 0.5 * allowed;
        Assert.True(GradientChecker.Check(F, X, g).Passed);
        g[2] += allowed;
        Assert.False(GradientChecker.Check(F, X, g).Passed);
    }

    [Fact]
    public void FastModeUsesTwoEvaluationsAndPassesOnACorrectGradient()
    {
        int calls = 0;
        GradientCheckResult r = GradientChecker.Check(x => { calls++; return F(x); }, X, Gradient(X),
            new GradientCheckOptions { FastMode = true, Seed = 5 });
        Assert.True(r.Passed, r.ToString());
        Assert.True(r.FastMode);
        Assert.Equal(-1, r.WorstIndex);
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void FastModeCatchesAWrongGradient(int seed)
    {
        double[] wrong = Gradient(X);
        wrong[3] += 0.05;
        var options = GradientCheckOptions.Default with { FastMode = true, Seed = seed };
        GradientCheckResult r = GradientChecker.Check(F, X, wrong, options);
        Assert.False(r.Passed, r.ToString());
        GradientCheckException e = Assert.Throws<GradientCheckException>(() => GradientChecker.Assert(F, X, wrong, options));
        Assert.Contains("random direction (seed " + seed + ")", e.Message);
        Assert.Contains("numerical " + Format(r.Numerical), e.Message);
        Assert.Contains("analytical " + Format(r.Analytical), e.Message);
    }

    [Fact]
    public void FastModeIsDeterministic()
    {
        var options = new GradientCheckOptions { FastMode = true, Seed = 9 };
        GradientCheckResult a = GradientChecker.Check(F, X, Gradient(X), options);
        GradientCheckResult b = GradientChecker.Check(F, X, Gradient(X), options);
        Assert.Equal(a.Numerical, b.Numerical);
        Assert.Equal(a.Analytical, b.Analytical);
    }

    [Fact]
    public void ValueAndGradientOverloadChecksTheGradientItComputes()
    {
        ValueAndGradient right = (x, g) => { Gradient(x.ToArray()).CopyTo(g); return F(x.ToArray()); };
        Assert.True(GradientChecker.Check(right, X).Passed);
        GradientChecker.Assert(right, X);

        ValueAndGradient wrong = (x, g) =>
        {
            Gradient(x.ToArray()).CopyTo(g);
            g[0] *= 2; // the bug: a doubled derivative
            return F(x.ToArray());
        };
        GradientCheckException e = Assert.Throws<GradientCheckException>(() => GradientChecker.Assert(wrong, X));
        Assert.Contains("input index 0", e.Message);
        Assert.Equal(0, e.Result!.WorstIndex);
        Assert.Equal(2 * e.Result.Numerical, e.Result.Analytical, 6);
    }

    [Fact]
    public void FloatPrecisionFunctionsNeedTheFloatPreset()
    {
        // The same function computed in single precision: central differences with ε = 1e-6 drown in rounding.
        static double FFloat(double[] x)
        {
            float f = MathF.Exp((float)x[0]) * (float)x[2];
            for (int i = 0; i + 1 < x.Length; i++)
                f += MathF.Sin((float)x[i]) * (float)x[i + 1];
            return f;
        }

        Assert.False(GradientChecker.Check(FFloat, X, Gradient(X)).Passed);
        GradientCheckResult r = GradientChecker.Check(FFloat, X, Gradient(X), GradientCheckOptions.ForFloat);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(1e-3, GradientCheckOptions.ForFloat.Epsilon);
        Assert.Equal(1e-2, GradientCheckOptions.ForFloat.AbsoluteTolerance);
        Assert.Equal(1e-2, GradientCheckOptions.ForFloat.RelativeTolerance);
    }

    [Fact]
    public void DefaultsAreGradchecksForDouble()
    {
        GradientCheckOptions d = GradientCheckOptions.Default;
        Assert.Equal(1e-6, d.Epsilon);
        Assert.Equal(1e-5, d.AbsoluteTolerance);
        Assert.Equal(1e-3, d.RelativeTolerance);
        Assert.False(d.FastMode);
    }

    [Fact]
    public void NaNFails()
    {
        GradientCheckResult r = GradientChecker.Check(x => x[1] > 0 ? double.NaN : x[0] * x[0], new[] { 1.0, 0.0 }, new[] { 2.0, 0.0 });
        Assert.False(r.Passed);
        Assert.Equal(1, r.WorstIndex);
        Assert.Contains("NaN", r.ToString());
    }

    [Fact]
    public void TheCallersArraysAreLeftAlone()
    {
        double[] x = (double[])X.Clone(), g = Gradient(X);
        double[] gCopy = (double[])g.Clone();
        GradientChecker.Check(F, x, g);
        GradientChecker.Check(F, x, g, new GradientCheckOptions { FastMode = true });
        Assert.Equal(X, x);
        Assert.Equal(gCopy, g);
    }

    [Fact]
    public void MismatchedLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => GradientChecker.Check(F, X, new double[2]));
}
