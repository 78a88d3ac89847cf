using System;
using System.Linq;
using AutoDiff.Primitives;
using Xunit;

namespace AutoDiff.Runtime.Tests.Models;

/// <summary>
/// The hand-written rules of the SIMD primitives, through the wrappers AutoDiff generates from them: gradients against
/// central differences, tangents against gradients, and Hessian-vector products against differences of gradients.
/// </summary>
public class PrimitiveTests
{
    private delegate double Function(double[] a);

    private delegate void Gradient(double[] a, Span<double> gradient);

    private static void CheckAllModes(Function f, Gradient gradientOf, Func<double[], double[], double> tangentOf,
        Func<double[], double[], double[]> hessianVector, double[] a, int seed)
    {
        var random = new Random(seed);
        var gradient = new double[a.Length];
        gradientOf(a, gradient);
        for (int i = 0; i < a.Length; i++)
        {
            const double h = 1e-6;
            var plus = (double[])a.Clone();
            var minus = (double[])a.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (f(plus) - f(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-6 * (1 + Math.Abs(numeric)), $"∂/∂a[{i}]: differences {numeric}, rule {gradient[i]}");
        }
        var direction = a.Select(_ => 2 * random.NextDouble() - 1).ToArray();
        Assert.Equal(gradient.Zip(direction, (g, v) => g * v).Sum(), tangentOf(a, direction), 10);
        var hv = hessianVector(a, direction);
        const double step = 1e-5;
        var gPlus = new double[a.Length];
        var gMinus = new double[a.Length];
        gradientOf(a.Zip(direction, (x, v) => x + step * v).ToArray(), gPlus);
        gradientOf(a.Zip(direction, (x, v) => x - step * v).ToArray(), gMinus);
        for (int i = 0; i < a.Length; i++)
        {
            double numeric = (gPlus[i] - gMinus[i]) / (2 * step);
            Assert.True(Math.Abs(numeric - hv[i]) <= 1e-5 * (1 + Math.Abs(numeric)), $"(H·v)[{i}]: differences {numeric}, rules {hv[i]}");
        }
    }

    private static double[] Values(int seed, int length) => Enumerable.Range(0, length).Select(i => Math.Sin(seed + 1.7 * i) * 3).ToArray();

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 17)]
    [InlineData(3, 64)]
    public void LogSumExp(int seed, int length)
    {
        CheckAllModes(a => VectorMath.LogSumExp(a, 1, length - 2),
            (a, g) => { g.Clear(); VectorMath.LogSumExpBackward(a, 1, length - 2, 1.0, g); },
            (a, v) => VectorMath.LogSumExpTangent(a, 1, length - 2, v).Tangent,
            (a, v) => VectorMath.LogSumExpHessianVector(a, 1, length - 2, v),
            Values(seed, length), seed);
    }

    [Fact]
    public void LogSumExpDoesNotOverflow()
    {
        Assert.Equal(1000 + Math.Log(2), VectorMath.LogSumExp(new[] { 1000.0, 1000.0 }, 0, 2), 12);
        Assert.Equal(-1000 + Math.Log(2), VectorMath.LogSumExp(new[] { -1000.0, -1000.0 }, 0, 2), 12);
    }

    [Theory]
    [InlineData(4, 5)]
    [InlineData(5, 33)]
    public void Sum(int seed, int length)
    {
        CheckAllModes(a => VectorMath.Sum(a, 2, length - 3),
            (a, g) => { g.Clear(); VectorMath.SumBackward(a, 2, length - 3, 1.0, g); },
            (a, v) => VectorMath.SumTangent(a, 2, length - 3, v).Tangent,
            (a, v) => VectorMath.SumHessianVector(a, 2, length - 3, v),
            Values(seed, length), seed);
    }

    [Theory]
    [InlineData(6, 6)]
    [InlineData(7, 41)]
    public void DotOfAnArrayWithItself(int seed, int length)
    {
        // Both windows read the same array, so both adjoints land in one gradient: 2·a over the overlap, and more.
        CheckAllModes(a => VectorMath.Dot(a, 0, a, 1, length - 1),
            (a, g) => { g.Clear(); VectorMath.DotBackward(a, 0, a, 1, length - 1, 1.0, g, g); },
            (a, v) => VectorMath.DotTangent(a, 0, a, 1, length - 1, v, v).Tangent,
            (a, v) => SelfDotHessianVector(a, v, length),
            Values(seed, length), seed);
    }

    [Fact]
    public void DotWithConstant()
    {
        var x = Values(9, 12);
        CheckAllModes(w => VectorMath.DotWithConstant(w, 3, x, 1, 8),
            (w, g) => { g.Clear(); VectorMath.DotWithConstantBackward(w, 3, x, 1, 8, 1.0, g); },
            (w, v) => VectorMath.DotWithConstantTangent(w, 3, x, 1, 8, v).Tangent,
            (w, v) => VectorMath.DotWithConstantHessianVector(w, 3, x, 1, 8, v),
            Values(8, 12), 8);
    }

    /// <summary>H·v of a ↦ ⟨a[0..n), a[1..n+1)⟩ through the hand-written second-order rule, both adjoints in one span.</summary>
    private static double[] SelfDotHessianVector(double[] a, double[] v, int length)
    {
        var gradient = new double[a.Length];
        var hv = new double[a.Length];
        VectorMath.DotBackwardTangent(a, 0, a, 1, length - 1, 1.0, gradient, gradient, v, v, 0.0, hv, hv, out _);
        return hv;
    }
}
