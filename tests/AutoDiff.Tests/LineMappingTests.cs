using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>
/// Generated derivatives map their copies of the user's statements back to the user's lines with #line: an exception
/// thrown in FGradient or FTangent shows the user's file and line in its stack trace, as the method itself would.
/// </summary>
public class LineMappingTests
{
    public static readonly string[] Checked = { nameof(LineMapping.PartialSum) };

    private static (string? File, int Line) TopFrame(Exception exception)
    {
        var frame = new StackTrace(exception, fNeedFileInfo: true).GetFrames().First(f => f.GetFileName() is not null);
        return (frame.GetFileName(), frame.GetFileLineNumber());
    }

    [Fact]
    public void TheDerivativesAreRightWhereTheMethodIsDefined()
    {
        var x = new[] { 1.0, -2.0, 3.0 };
        var g = LineMapping.PartialSumGradient(x, 2);
        Assert.Equal(5, g.Value);
        Assert.Equal(new[] { 2.0, -4.0, 0.0 }, g.dX);
        var t = LineMapping.PartialSumTangent(x, 2, new[] { 1.0, 1.0, 1.0 });
        Assert.Equal(2 - 4, t.Tangent);
    }

    [Fact]
    public void AnExceptionInTheGradientPointsAtTheUsersLine()
    {
        var x = new[] { 1.0, 2.0 };
        var direct = Assert.Throws<IndexOutOfRangeException>(() => LineMapping.PartialSum(x, 3));
        var inGradient = Assert.Throws<IndexOutOfRangeException>(() => LineMapping.PartialSumGradient(x, 3));
        var inTangent = Assert.Throws<IndexOutOfRangeException>(() => LineMapping.PartialSumTangent(x, 3, new[] { 1.0, 0.0 }));
        foreach (var exception in new[] { direct, inGradient, inTangent })
        {
            var (file, line) = TopFrame(exception);
            Assert.Equal("LineMapping.cs", Path.GetFileName(file));
            Assert.Equal(LineMapping.ReadLine, line);
        }
    }
}
