// The pooled tape that generated pullbacks keep loop values on.
using AutoDiff;
using Xunit;

namespace AutoDiff.Tests;

public class TapeTests
{
    [Fact]
    public void EachTypeComesBackLastInFirstOut()
    {
        var tape = Tape.Rent();
        for (int i = 0; i < 200; i++)
        {
            tape.Push(i * 0.5);
            tape.Push((float)i);
            tape.Push(i);
            tape.Push((long)i * 3);
            tape.Push(i % 3 == 0);
        }
        Assert.Equal(1000, tape.Count);
        for (int i = 199; i >= 0; i--)
        {
            Assert.Equal(i % 3 == 0, tape.PopBoolean());
            Assert.Equal((long)i * 3, tape.PopInt64());
            Assert.Equal(i, tape.PopInt32());
            Assert.Equal((float)i, tape.PopSingle());
            Assert.Equal(i * 0.5, tape.PopDouble());
        }
        Assert.Equal(0, tape.Count);
        Tape.Return(tape);
    }

    [Fact]
    public void ReturnedTapesAreReusedEmpty()
    {
        var first = Tape.Rent();
        first.Push(1.0);
        Tape.Return(first);
        var second = Tape.Rent();
        Assert.Same(first, second);
        Assert.Equal(0, second.Count);
        // A tape rented while another is out is a different one (a pullback calling a pullback).
        var nested = Tape.Rent();
        Assert.NotSame(second, nested);
        Tape.Return(nested);
        Tape.Return(second);
    }
}
