// Generated pullbacks allocate nothing in steady state: local arrays, their adjoints and the tape come from
// per-thread pools. Allocation is counted (deterministic), never timed.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

public class AllocationTests
{
    private static long AllocatedBy(Action action, int repeats = 50)
    {
        action();
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < repeats; i++) action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void PullbackWithALocalArrayAndLoopsAllocatesNothing()
    {
        var x = new[] { 0.3, -0.7, 1.1, 0.4, 0.9 };
        var dX = new double[x.Length];
        double dScale = 0;
        long bytes = AllocatedBy(() => Arrays.PrefixProductsBackward(x, 1.5, 1.0, dX, ref dScale));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void PullbackCallingAMethodWithALocalArrayAllocatesNothing()
    {
        // The callee runs in the caller's forward sweep (PrefixProductsForward) with its array from the caller's tape.
        var x = new[] { 0.3, -0.7, 1.1, 0.4, 0.9 };
        var dX = new double[x.Length];
        double dScale = 0;
        long bytes = AllocatedBy(() => Arrays.PrefixProductsTwiceBackward(x, 1.5, 1.0, dX, ref dScale));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void PullbackWithALocalMatrixAllocatesNothing()
    {
        var a = new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        var b = new double[,] { { 0.5, -1, 2 }, { 1.5, 0.25, -0.75 } };
        var dA = new double[3, 2];
        var dB = new double[2, 3];
        long bytes = AllocatedBy(() => Matrices.ProductNormBackward(a, b, 1.0, dA, dB));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void PooledArraysStartAtZeroOnEveryCall()
    {
        // A pooled local array that was written in one call must not leak its values into the next.
        var x = new[] { 0.3, -0.7, 1.1 };
        var first = Arrays.PrefixProductsGradient(x, 2.0);
        for (int i = 0; i < 5; i++) Arrays.PrefixProductsGradient(new[] { 5.0, 6.0, 7.0 }, 3.0);
        var again = Arrays.PrefixProductsGradient(x, 2.0);
        Assert.Equal(first.Value, again.Value);
        Assert.Equal(first.dX, again.dX);
        Assert.Equal(first.dScale, again.dScale);
    }

    [Fact]
    public void TapeHandsOutZeroedArraysOfTheExactSizeAndTakesThemBack()
    {
        var tape = Tape.Rent();
        var a = tape.RentDoubleArray(7);
        a[3] = 42;
        var m = tape.RentSingleMatrix(2, 3);
        m[1, 2] = 1;
        Assert.Equal(2, tape.RentedArrays);
        Tape.Return(tape);
        var again = Tape.Rent();
        Assert.Equal(0, again.RentedArrays);
        var b = again.RentDoubleArray(7);
        Assert.Equal(7, b.Length);
        Assert.All(b, value => Assert.Equal(0, value));
        var n = again.RentSingleMatrix(2, 3);
        Assert.Equal(0, n[1, 2]);
        Tape.Return(again);
    }
}
