// Arrays and spans: the generated gradient against finite differences (GradientCheck), and forward mode and
// Hessian-vector products against the gradient.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;

namespace AutoDiff.Tests;

public class ArrayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Dot(int n) => GradientCheck.Double("Arrays.Dot", $"{Names("w", n)} {Names("x", n)} b",
        p => Arrays.Dot(p[..n], p[n..(2 * n)], p[2 * n]),
        p =>
        {
            var g = Arrays.DotGradient(p[..n], p[n..(2 * n)], p[2 * n]);
            return (g.Value, g.dW.Concat(g.dX).Append(g.dB).ToArray());
        },
        (p, s, a) => Arrays.DotBackward(p[..n], p[n..(2 * n)], p[2 * n], s, a.AsSpan(0, n), a.AsSpan(n, n), ref a[2 * n]),
        Domain.Box(-2, 2, 2 * n + 1));

    [Fact]
    public void DotGradientIsTheOtherVector()
    {
        var (value, dW, dX, dB) = Arrays.DotGradient(new[] { 1.0, 2, 3 }, new[] { 4.0, 5, 6 }, 0.5);
        Assert.Equal(32.5, value);
        Assert.Equal(new[] { 4.0, 5, 6 }, dW);
        Assert.Equal(new[] { 1.0, 2, 3 }, dX);
        Assert.Equal(1.0, dB);
    }

    [Fact]
    public void SumOfSquaresOverASpan() => GradientCheck.Double("Arrays.SumOfSquares", Names("x", 5),
        p => Arrays.SumOfSquares(p),
        p => { var g = Arrays.SumOfSquaresGradient(p); return (g.Value, g.dX); },
        (p, s, a) => Arrays.SumOfSquaresBackward(p, s, a),
        Domain.Box(-3, 3, 5));

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void Rosenbrock(int n) => GradientCheck.Double("Arrays.Rosenbrock", Names("x", n),
        p => Arrays.Rosenbrock(p),
        p => { var g = Arrays.RosenbrockGradient(p); return (g.Value, g.dX); },
        (p, s, a) => Arrays.RosenbrockBackward(p, s, a),
        Domain.Box(-2, 2, n));

    [Fact]
    public void RosenbrockAtItsMinimum()
    {
        var (value, dX) = Arrays.RosenbrockGradient(new[] { 1.0, 1, 1, 1 });
        Assert.Equal(0.0, value);
        Assert.All(dX, d => Assert.Equal(0.0, d));
        // At (-1.2, 1): ∂f/∂x0 = -400·x0·(x1 - x0²) - 2(1 - x0) = -215.6, ∂f/∂x1 = 200(x1 - x0²) = -88.
        var (_, g) = Arrays.RosenbrockGradient(new[] { -1.2, 1.0 });
        Assert.Equal(-215.6, g[0], 10);
        Assert.Equal(-88.0, g[1], 10);
    }

    [Fact]
    public void PrefixProductsInALocalArray() => GradientCheck.Double("Arrays.PrefixProducts", $"{Names("x", 4)} scale",
        p => Arrays.PrefixProducts(p[..4], p[4]),
        p => { var g = Arrays.PrefixProductsGradient(p[..4], p[4]); return (g.Value, g.dX.Append(g.dScale).ToArray()); },
        (p, s, a) => Arrays.PrefixProductsBackward(p[..4], p[4], s, a.AsSpan(0, 4), ref a[4]),
        Domain.Box(-1.5, 1.5, 5));

    [Fact]
    public void CallsOfAMethodWithALocalArray() => GradientCheck.Double("Arrays.PrefixProductsTwice", $"{Names("x", 4)} scale",
        p => Arrays.PrefixProductsTwice(p[..4], p[4]),
        p => { var g = Arrays.PrefixProductsTwiceGradient(p[..4], p[4]); return (g.Value, g.dX.Append(g.dScale).ToArray()); },
        (p, s, a) => Arrays.PrefixProductsTwiceBackward(p[..4], p[4], s, a.AsSpan(0, 4), ref a[4]),
        Domain.Box(-1.5, 1.5, 5));

    [Fact]
    public void SmoothInFloat() => GradientCheck.Float("Arrays.Smooth", Names("x", 4),
        p => Arrays.Smooth(p),
        p => { var g = Arrays.SmoothGradient(p); return (g.Value, g.dX); },
        (p, s, a) => Arrays.SmoothBackward(p, s, a),
        Domain.Box(-0.8, 0.8, 4));

    [Fact]
    public void LogSumExpOverASpan() => GradientCheck.Double("Arrays.LogSumExp", Names("z", 4),
        p => Arrays.LogSumExp(p),
        p => { var g = Arrays.LogSumExpGradient(p); return (g.Value, g.dZ); },
        (p, s, a) => Arrays.LogSumExpBackward(p, s, a),
        Domain.Box(-3, 3, 4).Where(p => p.OrderByDescending(v => v).Take(2).Aggregate((a, b) => a - b) > 0.01));

    [Fact]
    public void LogSumExpDoesNotOverflow()
    {
        var (value, dZ) = Arrays.LogSumExpGradient(new[] { 1000.0, 1000.0 });
        Assert.Equal(1000 + Math.Log(2), value, 10);
        Assert.Equal(new[] { 0.5, 0.5 }, dZ);
    }

    [Fact]
    public void TutorialHessianOfSumOfSquaresOverAnArray()
    {
        Assert.Equal(new[,] { { 2.0, 0.0 }, { 0.0, 2.0 } }, Arrays.SumOfSquaresHessian(new[] { 4.0, 4.0 }));
    }

    /// <summary>FHessian over flattened array and scalar inputs: symmetric, and its columns are FHessianVector of unit vectors.</summary>
    [Fact]
    public void HessianOverArraysMatchesHessianVectorProducts()
    {
        var random = new Random(21);
        var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double scale = 0.7;
        var h = Arrays.PrefixProductsHessian(x, scale);
        Assert.Equal(5, h.GetLength(0));
        for (int c = 0; c < 5; c++)
        {
            var v = new double[4];
            double vScale = 0;
            if (c < 4) v[c] = 1; else vScale = 1;
            var (hX, hScale) = Arrays.PrefixProductsHessianVector(x, scale, v, vScale);
            for (int r = 0; r < 4; r++) Assert.Equal(hX[r], h[r, c], 12);
            Assert.Equal(hScale, h[4, c], 12);
            for (int r = 0; r < 5; r++) Assert.Equal(h[r, c], h[c, r], 9);
        }
    }

    /// <summary>The tutorial's second-order values: H(Σx²) = 2I, and H·v = 2v = [4, 4] for v = [2, 2].</summary>
    [Fact]
    public void TutorialHessianVectorProductOfSumOfSquares()
    {
        var hv = Arrays.SumOfSquaresHessianVector(new[] { 4.0, 4.0 }, new[] { 2.0, 2.0 });
        Assert.Equal(new[] { 4.0, 4.0 }, hv);
        Assert.Equal(new[] { 2.0, 0.0 }, Arrays.SumOfSquaresHessianVector(new[] { 4.0, 4.0 }, new[] { 1.0, 0.0 }));
    }

    /// <summary>The methods of <see cref="Arrays"/> whose modes <see cref="ModesAgree"/> and <see cref="SmoothModesAgree"/> check.</summary>
    public static readonly string[] CheckedAcrossModes = { "Dot", "Rosenbrock", "PrefixProducts", "PrefixProductsTwice", "LogSumExp", "SumOfSquares", "Smooth", "LogisticLoss", "TwoLayer", "StackScratch", "FilledByIndex" };

    public static TheoryData<string> ArrayFunctions => new() { "Dot", "Rosenbrock", "PrefixProducts", "PrefixProductsTwice", "LogSumExp", "SumOfSquares", "LogisticLoss", "TwoLayer", "StackScratch", "FilledByIndex" };

    [Fact]
    public void FilledByIndex() => GradientCheck.Double("Arrays.FilledByIndex", $"{Names("x", 4)} scale",
        p => Arrays.FilledByIndex(p[..4], p[4]),
        p => { var g = Arrays.FilledByIndexGradient(p[..4], p[4]); return (g.Value, g.dX.Append(g.dScale).ToArray()); },
        (p, s, a) => Arrays.FilledByIndexBackward(p[..4], p[4], s, a.AsSpan(0, 4), ref a[4]),
        Domain.Box(-1.2, 1.2, 5));

    [Fact]
    public void StackScratch() => GradientCheck.Double("Arrays.StackScratch", $"{Names("x", 4)} scale",
        p => Arrays.StackScratch(p[..4], p[4]),
        p => { var g = Arrays.StackScratchGradient(p[..4], p[4]); return (g.Value, g.dX.Append(g.dScale).ToArray()); },
        (p, s, a) => Arrays.StackScratchBackward(p[..4], p[4], s, a.AsSpan(0, 4), ref a[4]),
        Domain.Box(-1.2, 1.2, 5));

    [Fact]
    public void LogisticLossCallsDotWithArrays() => GradientCheck.Double("Arrays.LogisticLoss", $"{Names("w", 3)} {Names("x", 3)} b",
        p => Arrays.LogisticLoss(p[..3], p[3..6], p[6], -1),
        p => { var g = Arrays.LogisticLossGradient(p[..3], p[3..6], p[6], -1); return (g.Value, g.dW.Concat(g.dX).Append(g.dB).ToArray()); },
        (p, s, a) => Arrays.LogisticLossBackward(p[..3], p[3..6], p[6], -1, s, a.AsSpan(0, 3), a.AsSpan(3, 3), ref a[6]),
        Domain.Box(-2, 2, 7));

    [Fact]
    public void TwoLayerPassesALocalArrayToCalls() => GradientCheck.Double("Arrays.TwoLayer", $"{Names("x", 3)} {Names("u", 3)} {Names("v", 3)}",
        p => Arrays.TwoLayer(p[..3], p[3..6], p[6..9]),
        p => { var g = Arrays.TwoLayerGradient(p[..3], p[3..6], p[6..9]); return (g.Value, g.dX.Concat(g.dW1).Concat(g.dW2).ToArray()); },
        (p, s, a) => Arrays.TwoLayerBackward(p[..3], p[3..6], p[6..9], s, a.AsSpan(0, 3), a.AsSpan(3, 3), a.AsSpan(6, 3)),
        Domain.Box(-1.5, 1.5, 9));

    [Fact]
    public void SmoothModesAgree()
    {
        var random = new Random(3);
        for (int k = 0; k < 40; k++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 1.6 - 0.8)).ToArray();
            var v = Enumerable.Range(0, 4).Select(_ => (float)Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
            var (_, gradient) = Arrays.SmoothGradient(x);
            var (_, tangent) = Arrays.SmoothTangent(x, v);
            double dot = gradient.Zip(v, (g, d) => (double)g * d).Sum();
            Assert.True(Math.Abs(tangent - dot) <= 1e-4 * Math.Max(1, Math.Abs(dot)), $"Smooth: tangent {tangent}, ∇f·v {dot}");
            // H·v against central differences of the float gradient along v (a float-sized step, a loose tolerance).
            var hv = Arrays.SmoothHessianVector(x, v);
            const float h = 1e-2f;
            var (_, plus) = Arrays.SmoothGradient(x.Zip(v, (a, b) => a + h * b).ToArray());
            var (_, minus) = Arrays.SmoothGradient(x.Zip(v, (a, b) => a - h * b).ToArray());
            for (int i = 0; i < 4; i++)
            {
                double fd = (plus[i] - minus[i]) / (2.0 * h);
                Assert.True(Math.Abs(hv[i] - fd) <= 2e-2 * Math.Max(1, Math.Abs(fd)), $"Smooth: (H·v)[{i}] = {hv[i]}, differences of the gradient give {fd}");
            }
        }
    }

    /// <summary>Forward mode agrees with reverse mode (J·v = ∇f·v) and H·v with differences of the gradient.</summary>
    [Theory]
    [MemberData(nameof(ArrayFunctions))]
    public void ModesAgree(string function)
    {
        var random = new Random(17);
        int smooth = 0;
        for (int k = 0; k < 40; k++)
        {
            var x = Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var v = Enumerable.Range(0, 5).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 4)).ToArray();
            var (value, gradientValue, tangentValue, gradient, tangent, hv) = Evaluate(function, x, v);
            double dot = gradient.Zip(v, (g, d) => g * d).Sum();
            Assert.True(Math.Abs(tangent - dot) <= 1e-10 * Math.Max(1, Math.Abs(dot)), $"{function}: tangent {tangent}, ∇f·v {dot}");
            Assert.Equal(value, gradientValue);
            Assert.Equal(value, tangentValue);

            const double h = 1e-5;
            var plus = Evaluate(function, x.Zip(v, (a, b) => a + h * b).ToArray(), v).Gradient;
            var minus = Evaluate(function, x.Zip(v, (a, b) => a - h * b).ToArray(), v).Gradient;
            var plusFine = Evaluate(function, x.Zip(v, (a, b) => a + h / 8 * b).ToArray(), v).Gradient;
            var minusFine = Evaluate(function, x.Zip(v, (a, b) => a - h / 8 * b).ToArray(), v).Gradient;
            bool kink = false;
            for (int i = 0; i < hv.Length; i++)
            {
                double fd = (plus[i] - minus[i]) / (2 * h);
                double fdFine = (plusFine[i] - minusFine[i]) / (h / 4);
                double scale = Math.Max(1, Math.Abs(fd));
                if (Math.Abs(fd - fdFine) > 1e-4 * scale) { kink = true; break; }
                Assert.True(Math.Abs(hv[i] - fd) <= 1e-5 * scale, $"{function}: (H·v)[{i}] = {hv[i]}, differences of the gradient give {fd}");
            }
            if (!kink) smooth++;
        }
        Assert.True(smooth >= 30, $"only {smooth} of 40 points were smooth");
    }

    /// <summary>
    /// The function's value, FGradient's and FTangent's values, the gradient, the tangent along v and H·v, all
    /// over the flattened inputs of five numbers.
    /// </summary>
    private static (double Value, double GradientValue, double TangentValue, double[] Gradient, double Tangent, double[] HessianVector) Evaluate(
        string function, double[] x, double[] v)
    {
        switch (function)
        {
            case "Dot":
            {
                var g = Arrays.DotGradient(x[..2], x[2..4], x[4]);
                var (tangentValue, t) = Arrays.DotTangent(x[..2], x[2..4], x[4], v[..2], v[2..4], v[4]);
                var h = Arrays.DotHessianVector(x[..2], x[2..4], x[4], v[..2], v[2..4], v[4]);
                return (Arrays.Dot(x[..2], x[2..4], x[4]), g.Value, tangentValue, g.dW.Concat(g.dX).Append(g.dB).ToArray(), t, h.dW.Concat(h.dX).Append(h.dB).ToArray());
            }
            case "Rosenbrock":
            {
                var g = Arrays.RosenbrockGradient(x);
                var (tangentValue, t) = Arrays.RosenbrockTangent(x, v);
                return (Arrays.Rosenbrock(x), g.Value, tangentValue, g.dX, t, Arrays.RosenbrockHessianVector(x, v));
            }
            case "PrefixProducts":
            {
                var g = Arrays.PrefixProductsGradient(x[..4], x[4]);
                var (tangentValue, t) = Arrays.PrefixProductsTangent(x[..4], x[4], v[..4], v[4]);
                var h = Arrays.PrefixProductsHessianVector(x[..4], x[4], v[..4], v[4]);
                return (Arrays.PrefixProducts(x[..4], x[4]), g.Value, tangentValue, g.dX.Append(g.dScale).ToArray(), t, h.dX.Append(h.dScale).ToArray());
            }
            case "PrefixProductsTwice":
            {
                var g = Arrays.PrefixProductsTwiceGradient(x[..4], x[4]);
                var (tangentValue, t) = Arrays.PrefixProductsTwiceTangent(x[..4], x[4], v[..4], v[4]);
                var h = Arrays.PrefixProductsTwiceHessianVector(x[..4], x[4], v[..4], v[4]);
                return (Arrays.PrefixProductsTwice(x[..4], x[4]), g.Value, tangentValue, g.dX.Append(g.dScale).ToArray(), t, h.dX.Append(h.dScale).ToArray());
            }
            case "LogisticLoss":
            {
                var g = Arrays.LogisticLossGradient(x[..2], x[2..4], x[4], 1);
                var (tangentValue, t) = Arrays.LogisticLossTangent(x[..2], x[2..4], x[4], 1, v[..2], v[2..4], v[4]);
                var h = Arrays.LogisticLossHessianVector(x[..2], x[2..4], x[4], 1, v[..2], v[2..4], v[4]);
                return (Arrays.LogisticLoss(x[..2], x[2..4], x[4], 1), g.Value, tangentValue, g.dW.Concat(g.dX).Append(g.dB).ToArray(), t, h.dW.Concat(h.dX).Append(h.dB).ToArray());
            }
            case "TwoLayer":
            {
                // x, w1, w2 of lengths 2, 2 and 1: TwoLayer reads only w2[0..1], so w2 has one element here.
                var g = Arrays.TwoLayerGradient(x[..2], x[2..4], x[4..5]);
                var (tangentValue, t) = Arrays.TwoLayerTangent(x[..2], x[2..4], x[4..5], v[..2], v[2..4], v[4..5]);
                var h = Arrays.TwoLayerHessianVector(x[..2], x[2..4], x[4..5], v[..2], v[2..4], v[4..5]);
                return (Arrays.TwoLayer(x[..2], x[2..4], x[4..5]), g.Value, tangentValue, g.dX.Concat(g.dW1).Concat(g.dW2).ToArray(), t, h.dX.Concat(h.dW1).Concat(h.dW2).ToArray());
            }
            case "StackScratch":
            {
                var g = Arrays.StackScratchGradient(x[..4], x[4]);
                var (tangentValue, t) = Arrays.StackScratchTangent(x[..4], x[4], v[..4], v[4]);
                var h = Arrays.StackScratchHessianVector(x[..4], x[4], v[..4], v[4]);
                return (Arrays.StackScratch(x[..4], x[4]), g.Value, tangentValue, g.dX.Append(g.dScale).ToArray(), t, h.dX.Append(h.dScale).ToArray());
            }
            case "FilledByIndex":
            {
                var g = Arrays.FilledByIndexGradient(x[..4], x[4]);
                var (tangentValue, t) = Arrays.FilledByIndexTangent(x[..4], x[4], v[..4], v[4]);
                var h = Arrays.FilledByIndexHessianVector(x[..4], x[4], v[..4], v[4]);
                return (Arrays.FilledByIndex(x[..4], x[4]), g.Value, tangentValue, g.dX.Append(g.dScale).ToArray(), t, h.dX.Append(h.dScale).ToArray());
            }
            case "SumOfSquares":
            {
                var g = Arrays.SumOfSquaresGradient(x);
                var (tangentValue, t) = Arrays.SumOfSquaresTangent(x, v);
                return (Arrays.SumOfSquares(x), g.Value, tangentValue, g.dX, t, Arrays.SumOfSquaresHessianVector(x, v));
            }
            default:
            {
                var g = Arrays.LogSumExpGradient(x);
                var (tangentValue, t) = Arrays.LogSumExpTangent(x, v);
                return (Arrays.LogSumExp(x), g.Value, tangentValue, g.dZ, t, Arrays.LogSumExpHessianVector(x, v));
            }
        }
    }
}
