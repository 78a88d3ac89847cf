// Integers the reverse sweep reads as they were at a write (issue 16's silent wrong gradient and its family): each
// function's gradient against central differences (GradientCheck) and its modes against each other (ModeCheck), with
// the exact values where they are known.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;

namespace AutoDiff.Tests;

public class IndexedWriteTests
{
    [Fact]
    public void CounterIndexedWriteHasTheIssuesGradient()
    {
        var (value, dA) = IndexedWrites.CounterIndexedWriteGradient(new[] { 1.0, 2, 3 });
        Assert.Equal(12.0, value);
        Assert.Equal(new[] { 4.0, 1, 6 }, dA);   // a0² + a0·a1 + a2²
    }

    [Fact]
    public void CounterIndexedWriteAtTheEndDoesNotThrow()
    {
        var (value, dA) = IndexedWrites.CounterIndexedWriteAtTheEndGradient(new[] { 1.0, 2, 3 });
        Assert.Equal(6.0, value);
        Assert.Equal(new[] { 7.0, 1, 1 }, dA);   // a0·(a0 + a1 + a2)
    }

    [Fact]
    public void CounterIndexedWrite() => CheckArrayFunction("IndexedWrites.CounterIndexedWrite", 3,
        IndexedWrites.CounterIndexedWrite,
        x => IndexedWrites.CounterIndexedWriteGradient(x),
        (x, s, a) => IndexedWrites.CounterIndexedWriteBackward(x, s, a),
        (x, v) => IndexedWrites.CounterIndexedWriteTangent(x, v),
        (x, v) => IndexedWrites.CounterIndexedWriteHessianVector(x, v), IndexedWrites.CounterIndexedWriteHessian,
        Domain.Box(-2, 2, 3));

    [Fact]
    public void CounterIndexedWriteAtTheEnd() => CheckArrayFunction("IndexedWrites.CounterIndexedWriteAtTheEnd", 3,
        IndexedWrites.CounterIndexedWriteAtTheEnd,
        x => IndexedWrites.CounterIndexedWriteAtTheEndGradient(x),
        (x, s, a) => IndexedWrites.CounterIndexedWriteAtTheEndBackward(x, s, a),
        (x, v) => IndexedWrites.CounterIndexedWriteAtTheEndTangent(x, v),
        (x, v) => IndexedWrites.CounterIndexedWriteAtTheEndHessianVector(x, v), IndexedWrites.CounterIndexedWriteAtTheEndHessian,
        Domain.Box(-2, 2, 3));

    [Fact]
    public void CompactPositives() => CheckArrayFunction("IndexedWrites.CompactPositives", 5,
        IndexedWrites.CompactPositives,
        x => IndexedWrites.CompactPositivesGradient(x),
        (x, s, a) => IndexedWrites.CompactPositivesBackward(x, s, a),
        (x, v) => IndexedWrites.CompactPositivesTangent(x, v),
        (x, v) => IndexedWrites.CompactPositivesHessianVector(x, v), IndexedWrites.CompactPositivesHessian,
        Domain.Box(-2, 2, 5).Where(x => x.All(e => Math.Abs(e) > 0.01)));

    [Fact]
    public void CompactPositivesWeighsEachKeptValueByItsPosition()
    {
        // Kept: 3 (position 1) and 1 (position 2): 1·9 + 2·1 = 11; ∂/∂x0 = 2·3·1, ∂/∂x2 = 2·1·2.
        var (value, dX) = IndexedWrites.CompactPositivesGradient(new[] { 3.0, -1, 1, -2 });
        Assert.Equal(11.0, value);
        Assert.Equal(new[] { 6.0, 0, 4, 0 }, dX);
    }

    [Fact]
    public void SelfIndexedWrite() => CheckArrayFunction("IndexedWrites.SelfIndexedWrite", 3,
        IndexedWrites.SelfIndexedWrite,
        x => IndexedWrites.SelfIndexedWriteGradient(x),
        (x, s, a) => IndexedWrites.SelfIndexedWriteBackward(x, s, a),
        (x, v) => IndexedWrites.SelfIndexedWriteTangent(x, v),
        (x, v) => IndexedWrites.SelfIndexedWriteHessianVector(x, v), IndexedWrites.SelfIndexedWriteHessian,
        Domain.Box(-2, 2, 3));

    [Fact]
    public void SelfIndexedWriteHasItsExactGradient()
    {
        // values[0] = x0·x1; order[0] = 2; values[2] = values[0]·x2; values[0] = sin(values[2]) (order[1] is 0).
        // f = sin(x0·x1·x2) + 2·x0·x1·x2.
        var x = new[] { 0.5, -1.5, 0.75 };
        double p = x[0] * x[1] * x[2], outer = Math.Cos(p) + 2;
        var (value, dX) = IndexedWrites.SelfIndexedWriteGradient(x);
        Assert.Equal(Math.Sin(p) + 2 * p, value, 14);
        Assert.Equal(outer * x[1] * x[2], dX[0], 14);
        Assert.Equal(outer * x[0] * x[2], dX[1], 14);
        Assert.Equal(outer * x[0] * x[1], dX[2], 14);
    }

    [Fact]
    public void RunningMinimumWeighsEachPrefixMinimum()
    {
        // The prefixes' minima are 0.5, 0.5, -1, -1, -2: x0 twice, x2 twice, x4 once.
        var (value, dX, dW) = IndexedWrites.RunningMinimumGradient(new[] { 0.5, 3, -1, 2, -2 }, new[] { 0.4, 0.3, 0.2, 0.1, 0.7 });
        Assert.Equal(0.4 * 0.5 + 0.3 * 0.5 - 0.2 - 0.1 - 0.7 * 2, value, 14);
        Assert.Equal(new[] { 0.7, 0, 0.3, 0, 0.7 }, dX, (a, b) => Math.Abs(a - b) < 1e-14);
        Assert.Equal(new[] { 0.5, 0.5, -1, -1, -2 }, dW);
    }

    [Fact]
    public void RunningMinimum()
    {
        const int n = 5;
        CheckArrayFunction("IndexedWrites.RunningMinimum", 2 * n,
            p => IndexedWrites.RunningMinimum(p[..n], p[n..]),
            p => { var g = IndexedWrites.RunningMinimumGradient(p[..n], p[n..]); return (g.Value, g.dX.Concat(g.dW).ToArray()); },
            (p, s, a) => IndexedWrites.RunningMinimumBackward(p[..n], p[n..], s, a.AsSpan(0, n), a.AsSpan(n, n)),
            (p, v) => IndexedWrites.RunningMinimumTangent(p[..n], p[n..], v[..n], v[n..]),
            (p, v) => { var h = IndexedWrites.RunningMinimumHessianVector(p[..n], p[n..], v[..n], v[n..]); return h.dX.Concat(h.dW).ToArray(); },
            p => IndexedWrites.RunningMinimumHessian(p[..n], p[n..]),
            // Away from ties between values, where the order (and the derivative) jumps.
            Domain.Box(-2, 2, 2 * n).Where(p => p[..n].SelectMany((a, i) => p[..n].Skip(i + 1), (a, b) => Math.Abs(a - b)).Min() > 0.05));
    }

    /// <summary>The cofactors of a 3×3 matrix, the gradient of its determinant, written out.</summary>
    private static double[] Cofactors3(double[] a) => Enumerable.Range(0, 9).Select(t =>
    {
        int i = t / 3, j = t % 3, r1 = (i + 1) % 3, r2 = (i + 2) % 3, c1 = (j + 1) % 3, c2 = (j + 2) % 3;
        return a[r1 * 3 + c1] * a[r2 * 3 + c2] - a[r1 * 3 + c2] * a[r2 * 3 + c1];
    }).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void DetByCopiedMinors(int n) => CheckArrayFunction($"IndexedWrites.DetByCopiedMinors(n = {n})", n * n,
        m => IndexedWrites.DetByCopiedMinors(m, n),
        m => IndexedWrites.DetByCopiedMinorsGradient(m, n),
        (m, s, a) => IndexedWrites.DetByCopiedMinorsBackward(m, n, s, a),
        (m, v) => IndexedWrites.DetByCopiedMinorsTangent(m, n, v),
        (m, v) => IndexedWrites.DetByCopiedMinorsHessianVector(m, n, v),
        m => IndexedWrites.DetByCopiedMinorsHessian(m, n),
        Domain.Box(-1.5, 1.5, n * n));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void DetByIndexLists(int n) => CheckArrayFunction($"IndexedWrites.DetByIndexLists(n = {n})", n * n,
        m => IndexedWrites.DetByIndexLists(m, n),
        m => IndexedWrites.DetByIndexListsGradient(m, n),
        (m, s, a) => IndexedWrites.DetByIndexListsBackward(m, n, s, a),
        (m, v) => IndexedWrites.DetByIndexListsTangent(m, n, v),
        (m, v) => IndexedWrites.DetByIndexListsHessianVector(m, n, v),
        m => IndexedWrites.DetByIndexListsHessian(m, n),
        Domain.Box(-1.5, 1.5, n * n));

    [Fact]
    public void BothDeterminantsHaveTheCofactorsAsGradient()
    {
        var a = new[] { 2, -1, 0.5, 1, 3, -2, 0.25, 4, 1.5 };
        double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
        var copied = IndexedWrites.DetByCopiedMinorsGradient(a, 3);
        var lists = IndexedWrites.DetByIndexListsGradient(a, 3);
        Assert.Equal(det, copied.Value, 12);
        Assert.Equal(det, lists.Value, 12);
        var cofactors = Cofactors3(a);
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(cofactors[i], copied.dM[i], 12);
            Assert.Equal(cofactors[i], lists.dA[i], 12);
        }
    }
}
