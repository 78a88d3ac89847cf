// Loops whose pullbacks run each iteration's reverse statements inside the loop (ReverseMode.LoopFusion), and loops
// next to them that must keep their reverse loop: gradients against central differences, forward mode against
// reverse mode, H·v against differences of the gradient, and the constant-seed forward-over-reverse against the
// general one.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

public class FusedLoopTests
{
    private delegate (double Value, double Tangent) Tangent(double[] p, double[] data, double[] v);

    private delegate double BackwardTangent(double[] p, double[] data, Span<double> gradient, double[] v, Span<double> hv);

    private delegate double Backward(double[] p, double[] data, double seed, Span<double> dP);

    private sealed record Case(
        Func<double[], double[], double> Value,
        Backward Pullback,
        Func<double[], double[], (double Value, double[] dP)> Gradient,
        Tangent Tangent,
        Func<double[], double[], double[], double[]> HessianVector,
        BackwardTangent General,
        BackwardTangent ConstantSeed);

    private static readonly double[] Data = { 0.7, -1.1, 0.3, 1.6, -0.4, -0.9 };

    private static Case Get(string name) => name switch
    {
        nameof(FusedLoops.MeanSquaredError) => new Case(FusedLoops.MeanSquaredError, FusedLoops.MeanSquaredErrorBackward,
            FusedLoops.MeanSquaredErrorGradient,
            (p, d, v) => FusedLoops.MeanSquaredErrorTangent(p, d, v), (p, d, v) => FusedLoops.MeanSquaredErrorHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.MeanSquaredErrorBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.MeanSquaredErrorBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.ScaledSumPlusPenalty) => new Case(FusedLoops.ScaledSumPlusPenalty, FusedLoops.ScaledSumPlusPenaltyBackward,
            FusedLoops.ScaledSumPlusPenaltyGradient,
            (p, d, v) => FusedLoops.ScaledSumPlusPenaltyTangent(p, d, v), (p, d, v) => FusedLoops.ScaledSumPlusPenaltyHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.ScaledSumPlusPenaltyBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.ScaledSumPlusPenaltyBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.Variance) => new Case(FusedLoops.Variance, FusedLoops.VarianceBackward,
            FusedLoops.VarianceGradient,
            (p, d, v) => FusedLoops.VarianceTangent(p, d, v), (p, d, v) => FusedLoops.VarianceHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.VarianceBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.VarianceBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.LogOfSum) => new Case(FusedLoops.LogOfSum, FusedLoops.LogOfSumBackward,
            FusedLoops.LogOfSumGradient,
            (p, d, v) => FusedLoops.LogOfSumTangent(p, d, v), (p, d, v) => FusedLoops.LogOfSumHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.LogOfSumBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.LogOfSumBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.BranchyExpSum) => new Case(FusedLoops.BranchyExpSum, FusedLoops.BranchyExpSumBackward,
            FusedLoops.BranchyExpSumGradient,
            (p, d, v) => FusedLoops.BranchyExpSumTangent(p, d, v), (p, d, v) => FusedLoops.BranchyExpSumHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.BranchyExpSumBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.BranchyExpSumBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.NestedInnerSums) => new Case(FusedLoops.NestedInnerSums, FusedLoops.NestedInnerSumsBackward,
            FusedLoops.NestedInnerSumsGradient,
            (p, d, v) => FusedLoops.NestedInnerSumsTangent(p, d, v), (p, d, v) => FusedLoops.NestedInnerSumsHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.NestedInnerSumsBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.NestedInnerSumsBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.CallsInLoop) => new Case(FusedLoops.CallsInLoop, FusedLoops.CallsInLoopBackward,
            FusedLoops.CallsInLoopGradient,
            (p, d, v) => FusedLoops.CallsInLoopTangent(p, d, v), (p, d, v) => FusedLoops.CallsInLoopHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.CallsInLoopBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.CallsInLoopBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.CallsWithArrays) => new Case(FusedLoops.CallsWithArrays, FusedLoops.CallsWithArraysBackward,
            FusedLoops.CallsWithArraysGradient,
            (p, d, v) => FusedLoops.CallsWithArraysTangent(p, d, v), (p, d, v) => FusedLoops.CallsWithArraysHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.CallsWithArraysBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.CallsWithArraysBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.SkipsNegatives) => new Case(FusedLoops.SkipsNegatives, FusedLoops.SkipsNegativesBackward,
            FusedLoops.SkipsNegativesGradient,
            (p, d, v) => FusedLoops.SkipsNegativesTangent(p, d, v), (p, d, v) => FusedLoops.SkipsNegativesHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.SkipsNegativesBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.SkipsNegativesBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        nameof(FusedLoops.CarriedValue) => new Case(FusedLoops.CarriedValue, FusedLoops.CarriedValueBackward,
            FusedLoops.CarriedValueGradient,
            (p, d, v) => FusedLoops.CarriedValueTangent(p, d, v), (p, d, v) => FusedLoops.CarriedValueHessianVector(p, d, v),
            (p, d, g, v, h) => FusedLoops.CarriedValueBackwardTangent(p, d, 1.0, g, v, 0.0, h, out _),
            (p, d, g, v, h) => FusedLoops.CarriedValueBackwardTangentConstantSeed(p, d, 1.0, g, v, h, out _)),
        _ => throw new ArgumentException(name),
    };

    /// <summary>The functions checked here (ModeCoverageTests counts them as checked across modes).</summary>
    public static readonly string[] Checked =
    {
        nameof(FusedLoops.MeanSquaredError), nameof(FusedLoops.ScaledSumPlusPenalty), nameof(FusedLoops.Variance), nameof(FusedLoops.LogOfSum),
        nameof(FusedLoops.BranchyExpSum), nameof(FusedLoops.NestedInnerSums), nameof(FusedLoops.CallsInLoop), nameof(FusedLoops.CallsWithArrays), nameof(FusedLoops.SkipsNegatives),
        nameof(FusedLoops.CarriedValue),
    };

    public static TheoryData<string> Functions => new(Checked);

    [Theory, MemberData(nameof(Functions))]
    public void GradientMatchesCentralDifferences(string function)
    {
        var c = Get(function);
        GradientCheck.Double($"FusedLoops.{function}", "p0 p1 p2 p3 p4",
            p => c.Value(p, Data),
            p => c.Gradient(p, Data),
            (p, s, a) => c.Pullback(p, Data, s, a),
            Domain.Box(-1.2, 1.2, 5));
    }

    [Theory, MemberData(nameof(Functions))]
    public void ModesAgree(string function)
    {
        var c = Get(function);
        var random = new Random(29);
        for (int k = 0; k < 30; k++)
        {
            var p = Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 2.4 - 1.2).ToArray();
            var v = Enumerable.Range(0, 5).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 4)).ToArray();
            var (value, gradient) = c.Gradient(p, Data);
            Assert.Equal(c.Value(p, Data), value, 13);
            var (tangentValue, tangent) = c.Tangent(p, Data, v);
            Assert.Equal(value, tangentValue, 13);
            double dot = gradient.Zip(v, (g, d) => g * d).Sum();
            Assert.True(Math.Abs(tangent - dot) <= 1e-10 * Math.Max(1, Math.Abs(dot)), $"{function}: tangent {tangent}, ∇f·v {dot}");

            var hv = c.HessianVector(p, Data, v);
            const double h = 1e-5;
            var plus = c.Gradient(p.Zip(v, (a, b) => a + h * b).ToArray(), Data).dP;
            var minus = c.Gradient(p.Zip(v, (a, b) => a - h * b).ToArray(), Data).dP;
            for (int i = 0; i < 5; i++)
            {
                double fd = (plus[i] - minus[i]) / (2 * h);
                Assert.True(Math.Abs(hv[i] - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd)), $"{function}: (H·v)[{i}] = {hv[i]}, differences of the gradient give {fd}");
            }

            // The constant-seed forward-over-reverse that H·v calls agrees with the general one at seed tangent 0.
            double[] g1 = new double[5], h1 = new double[5], g2 = new double[5], h2 = new double[5];
            double v1 = c.General(p, Data, g1, v, h1);
            double v2 = c.ConstantSeed(p, Data, g2, v, h2);
            Assert.Equal(v1, v2);
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(g1[i], g2[i], 14);
                Assert.Equal(h1[i], h2[i], 14);
                Assert.Equal(hv[i], h2[i], 14);
            }
        }
    }
}
