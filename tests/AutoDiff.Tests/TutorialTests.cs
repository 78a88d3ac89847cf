using System;
using AutoDiff.Tests.FileScoped;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>The tutorial's numbers, and analytic gradients written out by hand.</summary>
public class TutorialTests
{
    [Fact]
    public void SingleNeuron()
    {
        double a = 1, b = 2, c = -3, x = -1, y = 3;
        var g = Neuron.ForwardGradient(a, b, c, x, y);
        Assert.Equal(0.8808, g.Value, 1e-4);
        Assert.Equal(-0.105, g.dA, 1e-3);
        Assert.Equal(0.315, g.dB, 1e-3);
        Assert.Equal(0.105, g.dC, 1e-3);
        Assert.Equal(0.105, g.dX, 1e-3);
        Assert.Equal(0.210, g.dY, 1e-3);

        const double step = 0.01;
        a += step * g.dA; b += step * g.dB; c += step * g.dC; x += step * g.dX; y += step * g.dY;
        Assert.Equal(0.8825, Neuron.Forward(a, b, c, x, y), 1e-4);
    }

    [Fact]
    public void AddMultiply()
    {
        var (value, dX, dY, dZ) = Neuron.AddMultiplyGradient(-2, 5, -4);
        Assert.Equal(-12.0, value);
        Assert.Equal(-4.0, dX);
        Assert.Equal(-4.0, dY);
        Assert.Equal(3.0, dZ);
    }

    [Fact]
    public void BackwardChainsThroughSigmoid()
    {
        // σ'(z) = σ(z)(1 − σ(z)), written out independently of the generator.
        double z = 0.3, s = 1.0 / (1.0 + Math.Exp(-z));
        double dZ = 0.5;
        double value = Neuron.SigmoidBackward(z, 2.0, ref dZ);
        Assert.Equal(s, value, 1e-15);
        Assert.Equal(0.5 + 2.0 * s * (1 - s), dZ, 1e-12);
    }

    [Fact]
    public void HandWrittenGradients()
    {
        // (x² + y)' = (2x, 1)
        var p = Basics.ParameterReassignedGradient(1.5, -2);
        Assert.Equal((0.25, 3.0, 1.0), (p.Value, p.dX, p.dY));

        // t = xy; t = t² + x; t = sin(t)·t; return t·x
        double x = 0.7, y = -1.3;
        double t1 = x * y, t2 = t1 * t1 + x, t3 = Math.Sin(t2) * t2;
        double dt3dt2 = Math.Cos(t2) * t2 + Math.Sin(t2);
        double dX = t3 + x * dt3dt2 * (2 * t1 * y + 1);
        double dY = x * dt3dt2 * (2 * t1 * x);
        var r = Basics.LocalReassignedUsingOldValueGradient(x, y);
        Assert.Equal(t3 * x, r.Value, 1e-14);
        Assert.Equal(dX, r.dX, 1e-12);
        Assert.Equal(dY, r.dY, 1e-12);

        // x^n by recursion: n·x^(n−1)
        var pow = Calls.PowerRecursiveGradient(1.1, 5);
        Assert.Equal(Math.Pow(1.1, 5), pow.Value, 1e-14);
        Assert.Equal(5 * Math.Pow(1.1, 4), pow.dX, 1e-12);

        // Keyword-named parameters keep their names in the adjoints: dIn, dBase.
        var k = Basics.KeywordsGradient(2.0, 3.0);
        Assert.Equal((8.0, 4.0, 2.0), (k.Value, k.dIn, k.dBase));
    }

    [Fact]
    public void PrivateMethodDerivatives()
    {
        double x = 0.4, y = -1.7;
        var g = Outer.PrivateGradient(x, y);
        Assert.Equal(Outer.PrivateValue(x, y), g.Value);
        Assert.Equal(Math.Exp(x) * y, g.dX, 1e-14);
        Assert.Equal(Math.Exp(x), g.dY, 1e-14);
        double dX = 1, dY = 2;
        Outer.PrivateBackward(x, y, 2.5, ref dX, ref dY);
        Assert.Equal(1 + 2.5 * Math.Exp(x) * y, dX, 1e-13);
        Assert.Equal(2 + 2.5 * Math.Exp(x), dY, 1e-13);
        GradientCheck.AssertGradient(p => Outer.PrivateValue(p[0], p[1]), new[] { x, y }, new[] { g.dX, g.dY }, new[] { "x", "y" });
    }
}
