// Integers advanced inside the expressions that use them (issue 18: theta[i++], x[k++] = ...): each function's gradient
// against central differences (GradientCheck) and its modes against each other (ModeCheck), with a value written out.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;

namespace AutoDiff.Tests;

public class WalkingIndexTests
{
    /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
    public static readonly string[] Checked =
    {
        nameof(WalkingIndices.ReprojectionError), nameof(WalkingIndices.FlatNetwork), nameof(WalkingIndices.PackedPairs),
        nameof(WalkingIndices.FromTheEnd), nameof(WalkingIndices.Determinant2), nameof(WalkingIndices.At),
    };

    private static readonly double[] Point = { 0.3, -0.2, 4.0 };
    private static readonly double[] Observed = { 0.1, -0.05 };

    [Fact]
    public void ReprojectionErrorReadsTheCameraInOrder()
    {
        // Written out: rotation 0, translation (0, 0, 1), focal 2: u = 2·0.3/5 − 0.1, v = 2·(−0.2)/5 + 0.05.
        double[] camera = { 0, 0, 0, 0, 0, 1, 2 };
        double u = 2 * 0.3 / 5 - 0.1, v = 2 * -0.2 / 5 + 0.05;
        Assert.Equal(u * u + v * v, WalkingIndices.ReprojectionError(camera, Point, Observed), 12);
        var (value, dCamera, _) = WalkingIndices.ReprojectionErrorGradient(camera, Point, Observed);
        Assert.Equal(u * u + v * v, value, 12);
        // ∂/∂focal = 2u·(u + 0.1)/2 + 2v·(v − 0.05)/2.
        Assert.Equal(u * (u + 0.1) + v * (v - 0.05), dCamera[6], 12);
    }

    [Fact]
    public void ReprojectionError() => CheckArrayFunction("WalkingIndices.ReprojectionError", 7,
        c => WalkingIndices.ReprojectionError(c, Point, Observed),
        c => { var (value, dCamera, _) = WalkingIndices.ReprojectionErrorGradient(c, Point, Observed); return (value, dCamera); },
        (c, s, a) => WalkingIndices.ReprojectionErrorBackward(c, Point, Observed, s, a, new double[3]),
        (c, t) => WalkingIndices.ReprojectionErrorTangent(c, Point, Observed, t, new double[3]),
        (c, v) => WalkingIndices.ReprojectionErrorHessianVector(c, Point, Observed, v, new double[3]).Item1,
        c => Block(WalkingIndices.ReprojectionErrorHessian(c, Point, Observed), 7),
        random => new[] { 0.1, -0.05, 0.02, 0.2, -0.1, 1.0, 2.0 }.Select(x => x + 0.1 * (random.NextDouble() - 0.5)).ToArray());

    private static readonly double[] Input = { 0.5, -1.5 };

    [Fact]
    public void FlatNetwork() => CheckArrayFunction("WalkingIndices.FlatNetwork", 13,
        t => WalkingIndices.FlatNetwork(t, Input),
        t => WalkingIndices.FlatNetworkGradient(t, Input),
        (t, s, a) => WalkingIndices.FlatNetworkBackward(t, Input, s, a),
        (t, v) => WalkingIndices.FlatNetworkTangent(t, Input, v),
        (t, v) => WalkingIndices.FlatNetworkHessianVector(t, Input, v), t => WalkingIndices.FlatNetworkHessian(t, Input),
        Domain.Box(-1, 1, 13));

    [Fact]
    public void FlatNetworkReadsTheBiasFirst()
    {
        // Output bias 0.25, every other weight 0: the output is the bias, whose derivative is 1; each hidden unit's
        // output weight gets tanh(0) = 0, and everything behind a zero output weight gets 0.
        var theta = new double[13];
        theta[0] = 0.25;
        var (value, gradient) = WalkingIndices.FlatNetworkGradient(theta, Input);
        Assert.Equal(0.25, value);
        Assert.Equal(1.0, gradient[0]);
        Assert.All(gradient.Skip(1), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void PackedPairs() => CheckArrayFunction("WalkingIndices.PackedPairs", 4,
        WalkingIndices.PackedPairs,
        x => WalkingIndices.PackedPairsGradient(x),
        (x, s, a) => WalkingIndices.PackedPairsBackward(x, s, a),
        (x, v) => WalkingIndices.PackedPairsTangent(x, v),
        (x, v) => WalkingIndices.PackedPairsHessianVector(x, v), WalkingIndices.PackedPairsHessian,
        Domain.Box(-2, 2, 4));

    [Fact]
    public void PackedPairsIsTheSumOfSquaresTimesSines()
    {
        double[] a = { 0.4, -1.1, 2.0 };
        Assert.Equal(a.Sum(x => x * x * Math.Sin(x)), WalkingIndices.PackedPairs(a), 12);
    }

    [Fact]
    public void FromTheEnd() => CheckArrayFunction("WalkingIndices.FromTheEnd", 5,
        WalkingIndices.FromTheEnd,
        x => WalkingIndices.FromTheEndGradient(x),
        (x, s, a) => WalkingIndices.FromTheEndBackward(x, s, a),
        (x, v) => WalkingIndices.FromTheEndTangent(x, v),
        (x, v) => WalkingIndices.FromTheEndHessianVector(x, v), WalkingIndices.FromTheEndHessian,
        Domain.Box(-2, 2, 5));

    [Fact]
    public void FromTheEndPairsFromTheEnd()
    {
        double[] a = { 1, 2, 3, 4, 5 };
        // Pairs (5, 4) and (3, 2); then cosines of a[1] and a[3].
        Assert.Equal(5 * 4 + 3 * 2 + Math.Cos(2) + Math.Cos(4), WalkingIndices.FromTheEnd(a), 12);
    }

    [Fact]
    public void Determinant2ThroughAnIndexFormula()
    {
        double[] m = { 2, 3, 5, 7 };
        var (value, gradient) = WalkingIndices.Determinant2Gradient(m);
        Assert.Equal(2 * 7 - 3 * 5, value);
        Assert.Equal(new[] { 7.0, -5, -3, 2 }, gradient);
        CheckArrayFunction("WalkingIndices.Determinant2", 4,
            WalkingIndices.Determinant2,
            x => WalkingIndices.Determinant2Gradient(x),
            (x, s, a) => WalkingIndices.Determinant2Backward(x, s, a),
            (x, v) => WalkingIndices.Determinant2Tangent(x, v),
            (x, v) => WalkingIndices.Determinant2HessianVector(x, v), WalkingIndices.Determinant2Hessian,
            Domain.Box(-2, 2, 4));
    }

    private static double[,] Block(double[,] hessian, int n)
    {
        var block = new double[n, n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) block[i, j] = hessian[i, j];
        return block;
    }
}
