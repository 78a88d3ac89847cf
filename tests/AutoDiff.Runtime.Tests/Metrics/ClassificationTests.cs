using System;
using AutoDiff.Metrics;
using Xunit;

namespace AutoDiff.Runtime.Tests.Metrics;

public class ClassificationTests
{
    [Fact]
    public void AccuracyIsTheFractionCorrect()
    {
        Assert.Equal(0.75, Classification.Accuracy(new[] { 0, 1, 2, 1 }, new[] { 0, 1, 1, 1 }));
        Assert.Equal(1.0, Classification.Accuracy(new[] { 3 }, new[] { 3 }));
        Assert.Equal(0.0, Classification.Accuracy(new[] { 0, 1 }, new[] { 1, 0 }));
    }

    [Fact]
    public void AccuracyRefusesMismatchedOrEmptyInput()
    {
        Assert.Throws<ArgumentException>(() => Classification.Accuracy(new[] { 0, 1 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => Classification.Accuracy(Array.Empty<int>(), Array.Empty<int>()));
    }

    [Fact]
    public void LogLossIsTheMeanNegativeLogOfTheTrueClassProbability()
    {
        // −(ln 0.9 + ln 0.8) / 2
        double loss = Classification.LogLoss(new[] { 0, 1 }, new[] { 0.9, 0.1, 0.2, 0.8 });
        Assert.Equal(0.164252033486018, loss, 14);

        // Three classes: −(ln 0.7 + ln 0.5 + ln 0.2) / 3
        double three = Classification.LogLoss(new[] { 0, 2, 1 }, new[] { 0.7, 0.2, 0.1, 0.25, 0.25, 0.5, 0.3, 0.2, 0.5 });
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.5) + Math.Log(0.2)) / 3, three, 14);
        Assert.Equal(0.886420012310926, three, 14);
    }

    [Fact]
    public void LogLossClipsCertainties()
    {
        Assert.Equal(34.538776394910684, Classification.LogLoss(new[] { 0 }, new[] { 0.0, 1.0 }), 10);
        Assert.Equal(-Math.Log(1e-3), Classification.LogLoss(new[] { 0 }, new[] { 0.0, 1.0 }, eps: 1e-3), 12);
        Assert.Equal(0.0, Classification.LogLoss(new[] { 1 }, new[] { 0.0, 1.0 }), 14);
    }

    [Fact]
    public void LogLossRefusesBadShapes()
    {
        Assert.Throws<ArgumentException>(() => Classification.LogLoss(new[] { 0, 1 }, new[] { 0.5, 0.5, 1.0 }));
        Assert.Throws<ArgumentException>(() => Classification.LogLoss(new[] { 0, 2 }, new[] { 0.5, 0.5, 0.5, 0.5 }));
        Assert.Throws<ArgumentException>(() => Classification.LogLoss(Array.Empty<int>(), ReadOnlySpan<double>.Empty));
    }
}
