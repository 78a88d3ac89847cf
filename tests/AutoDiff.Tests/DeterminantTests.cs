// Index arrays written in place by [Differentiable] methods (issue 18): GradBench's det by minors, whose row and column
// lists are int[] parameters unlinked and relinked at each level of the recursion, and a helper that marks entries of a
// bool[] it is given. Values against plain C#, gradients against central differences and the cofactor formula, every mode
// against each other, and the arrays left as the method leaves them.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;

namespace AutoDiff.Tests;

public class DeterminantTests
{
    /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
    public static readonly string[] Checked =
    {
        nameof(Determinants.DetOfMinor), nameof(Determinants.Det), nameof(Determinants.TakeLargest), nameof(Determinants.SortedWeights),
        nameof(Determinants.SmoothInPlace), nameof(Determinants.NormaliseInPlace), nameof(Determinants.PingPong), nameof(Determinants.PingPongTotal),
    };

    /// <summary>The determinant by Gaussian elimination with partial pivoting.</summary>
    private static double Gauss(double[] a, int m)
    {
        var u = (double[])a.Clone();
        double det = 1;
        for (int k = 0; k < m; k++)
        {
            int pivot = Enumerable.Range(k, m - k).OrderByDescending(i => Math.Abs(u[i * m + k])).First();
            if (pivot != k)
            {
                for (int j = 0; j < m; j++) (u[k * m + j], u[pivot * m + j]) = (u[pivot * m + j], u[k * m + j]);
                det = -det;
            }
            det *= u[k * m + k];
            for (int i = k + 1; i < m; i++)
            {
                double f = u[i * m + k] / u[k * m + k];
                for (int j = k; j < m; j++) u[i * m + j] -= f * u[k * m + j];
            }
        }
        return det;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Det(int m)
    {
        var random = new Random(m);
        var a = Enumerable.Range(0, m * m).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        Assert.Equal(Gauss(a, m), Determinants.Det(a, m), 12);
        // ∂det/∂a_ij is the cofactor C_ij: the determinant of a with row i replaced by e_j.
        var (_, gradient) = Determinants.DetGradient(a, m);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                var replaced = (double[])a.Clone();
                for (int k = 0; k < m; k++) replaced[i * m + k] = k == j ? 1 : 0;
                Assert.Equal(Gauss(replaced, m), gradient[i * m + j], 10);
            }
        }
        CheckArrayFunction($"Determinants.Det (m = {m})", m * m, p => Determinants.Det(p, m), p => Determinants.DetGradient(p, m),
            (p, s, adjoints) => Determinants.DetBackward(p, m, s, adjoints), (p, v) => Determinants.DetTangent(p, m, v),
            (p, v) => Determinants.DetHessianVector(p, m, v), p => Determinants.DetHessian(p, m), Domain.Box(-1, 1, m * m));
    }

    [Fact]
    public void DetOfMinorLeavesItsListsAsItFindsThem()
    {
        const int m = 3;
        double[] a = { 2, -1, 0.5, 1, 3, -2, 0, 1, 4 };
        // The minor without row 0 and column 1: rows 1, 2 and columns 0, 2 left.
        int[] r = { 0, 2, 0, 1 };
        int[] c = { 2, 0, 0, 0 };
        var (rBefore, cBefore) = ((int[])r.Clone(), (int[])c.Clone());
        double expected = 1 * 4 - (-2) * 0;
        Assert.Equal(expected, Determinants.DetOfMinor(a, m, 2, r, c), 14);
        var (value, dA) = Determinants.DetOfMinorGradient(a, m, 2, r, c);
        Assert.Equal(expected, value, 14);
        Assert.Equal(new double[] { 0, 0, 0, 4, 0, 0, 2, 0, 1 }, dA.Select(Math.Abs));
        var hessian = Determinants.DetOfMinorHessian(a, m, 2, r, c);
        Assert.Equal(1.0, hessian[3, 8], 14);
        Assert.Equal(0.0, hessian[4, 4], 14);
        Assert.Equal(rBefore, r);
        Assert.Equal(cBefore, c);
    }

    [Fact]
    public void AHelperThatMarksEntriesLeavesThemMarked()
    {
        double[] x = { 0.3, -0.7, 1.1 };
        var taken = new bool[3];
        var (value, dX) = Determinants.TakeLargestGradient(x, taken);
        Assert.Equal(1.1, value);
        Assert.Equal(new[] { 0.0, 0.0, 1.0 }, dX);
        // FGradient runs the method: the entry stays marked, as the method leaves it.
        Assert.Equal(new[] { false, false, true }, taken);
        Assert.Equal(0.3, Determinants.TakeLargestGradient(x, taken).Value);
        var (tangentValue, tangent) = Determinants.TakeLargestTangent(x, new bool[3], new[] { 0.5, 0.25, 2.0 });
        Assert.Equal(1.1, tangentValue);
        Assert.Equal(2.0, tangent);
    }

    [Fact]
    public void SortedWeights()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.4 };
        var sorted = x.OrderByDescending(v => v).ToArray();
        Assert.Equal(sorted.Select((v, k) => (k + 1) * v * v).Sum(), Determinants.SortedWeights(x), 14);
        CheckArrayFunction("Determinants.SortedWeights", 4, Determinants.SortedWeights, Determinants.SortedWeightsGradient,
            (p, s, a) => Determinants.SortedWeightsBackward(p, s, a), (p, v) => Determinants.SortedWeightsTangent(p, v),
            (p, v) => Determinants.SortedWeightsHessianVector(p, v), Determinants.SortedWeightsHessian,
            Domain.Box(-1, 1, 4).Where(p => p.SelectMany(u => p, (u, v) => u == v ? 1 : Math.Abs(u - v)).Min() > 0.05));
    }

    private static double[] Copy(double[] p) => (double[])p.Clone();

    [Fact]
    public void AnInputUpdatedInPlace()
    {
        double[] v = { 0.3, -0.7, 1.1, 0.4 };
        var smoothed = (double[])v.Clone();
        for (int i = 1; i < 4; i++) smoothed[i] += 0.5 * smoothed[i - 1];
        double expected = smoothed.Sum(e => 1.5 * e * e);
        var passed = (double[])v.Clone();
        Assert.Equal(expected, Determinants.SmoothInPlace(passed, 1.5), 14);
        Assert.Equal(smoothed, passed);

        // The derivative is with respect to the values passed in; the array ends as the method leaves it; dV accumulates.
        passed = (double[])v.Clone();
        var dV = new[] { 1.0, 1.0, 1.0, 1.0 };
        double dScale = 0;
        Assert.Equal(expected, Determinants.SmoothInPlaceBackward(passed, 1.5, 1.0, dV, ref dScale), 14);
        Assert.Equal(smoothed, passed);
        var (_, gradient, _) = Determinants.SmoothInPlaceGradient((double[])v.Clone(), 1.5);
        for (int i = 0; i < 4; i++) Assert.Equal(1 + gradient[i], dV[i], 14);
        var (tangentValue, _) = Determinants.SmoothInPlaceTangent(passed = (double[])v.Clone(), 1.5, new[] { 1.0, 0, 0, 0 }, 0);
        Assert.Equal(expected, tangentValue, 14);
        Assert.Equal(smoothed, passed);

        CheckArrayFunction("Determinants.SmoothInPlace", 5, p => Determinants.SmoothInPlace(p[..4], p[4]),
            p => { var g = Determinants.SmoothInPlaceGradient(p[..4], p[4]); return (g.Value, g.dV.Append(g.dScale).ToArray()); },
            (p, s, a) =>
            {
                var adjoint = a[..4];
                double adjointScale = a[4];
                var value = Determinants.SmoothInPlaceBackward(p[..4], p[4], s, adjoint, ref adjointScale);
                adjoint.Append(adjointScale).ToArray().CopyTo(a, 0);
                return value;
            },
            (p, d) => Determinants.SmoothInPlaceTangent(p[..4], p[4], d[..4], d[4]),
            (p, d) => { var hv = Determinants.SmoothInPlaceHessianVector(p[..4], p[4], d[..4], d[4]); return hv.dV.Append(hv.dScale).ToArray(); },
            p => Determinants.SmoothInPlaceHessian(p[..4], p[4]), Domain.Box(-1, 1, 5));
    }

    [Fact]
    public void AnInputNormalisedInPlace()
    {
        double[] x = { 0.3, -0.7, 1.1 };
        double norm = Math.Sqrt(x.Sum(e => e * e));
        var passed = Copy(x);
        Assert.Equal(x[0] / norm * Math.Exp(x[1] / norm), Determinants.NormaliseInPlace(passed), 14);
        Assert.Equal(x.Select(e => e / norm), passed);
        // Every derivative runs the method on a copy here: each call normalises what it is given.
        CheckArrayFunction("Determinants.NormaliseInPlace", 3, p => Determinants.NormaliseInPlace(Copy(p)),
            p => Determinants.NormaliseInPlaceGradient(Copy(p)), (p, s, a) => Determinants.NormaliseInPlaceBackward(Copy(p), s, a),
            (p, d) => Determinants.NormaliseInPlaceTangent(Copy(p), d), (p, d) => Determinants.NormaliseInPlaceHessianVector(Copy(p), d),
            p => Determinants.NormaliseInPlaceHessian(Copy(p)), Domain.Box(-1, 1, 3).Where(p => p.Sum(e => e * e) > 0.1));
    }

    /// <summary>PingPong in plain C#: the same recursion, the buffers swapped at each level.</summary>
    private static double PlainPingPong(double[] x, int[] current, int[] next, int depth)
    {
        int n = current.Length;
        double s = 0;
        for (int i = 0; i < n; i++) s += x[current[i]] * x[current[(i + 1) % n]] * (depth + 1);
        if (depth == 0) return s;
        for (int i = 0; i < n; i++) next[i] = current[(2 * i + 1) % n];
        return s + PlainPingPong(x, next, current, depth - 1);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void BuffersSwappedThroughTheRecursion(int n)
    {
        // The caller's buffer is written only by the recursive call, in the other parameter's place: its derivatives must
        // keep and restore it there too.
        int[] Order() => Enumerable.Range(0, n).Select(i => n - 1 - i).ToArray();
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var (current, next) = (Order(), new int[n]);
        var (plainCurrent, plainNext) = (Order(), new int[n]);
        Assert.Equal(PlainPingPong(x, plainCurrent, plainNext, 3), Determinants.PingPong(x, current, next, 3), 12);
        Assert.Equal(plainCurrent, current);
        Assert.Equal(plainNext, next);

        CheckArrayFunction($"Determinants.PingPong (n = {n})", n, p => Determinants.PingPong(p, Order(), new int[n], 3),
            p => Determinants.PingPongGradient(p, Order(), new int[n], 3),
            (p, s, adjoints) => Determinants.PingPongBackward(p, Order(), new int[n], 3, s, adjoints),
            (p, v) => Determinants.PingPongTangent(p, Order(), new int[n], 3, v),
            (p, v) => Determinants.PingPongHessianVector(p, Order(), new int[n], 3, v),
            p => Determinants.PingPongHessian(p, Order(), new int[n], 3), Domain.Box(-1, 1, n));
        CheckArrayFunction($"Determinants.PingPongTotal (n = {n})", n, Determinants.PingPongTotal, Determinants.PingPongTotalGradient,
            (p, s, adjoints) => Determinants.PingPongTotalBackward(p, s, adjoints), (p, v) => Determinants.PingPongTotalTangent(p, v),
            (p, v) => Determinants.PingPongTotalHessianVector(p, v), Determinants.PingPongTotalHessian, Domain.Box(-1, 1, n));
    }
}
