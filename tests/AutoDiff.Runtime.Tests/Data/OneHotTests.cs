using System;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

public class OneHotTests
{
    [Fact]
    public void EncodesRowMajor()
        => Assert.Equal(new double[] { 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0 }, OneHot.Encode(new[] { 1, 0, 2, 1 }, 3));

    [Fact]
    public void EncodesADatasetsLabels()
    {
        var data = new Dataset(new double[] { 1, 2 }, 2, 1, new[] { 1, 0 }, 2);
        Assert.Equal(new double[] { 0, 1, 1, 0 }, OneHot.Encode(data));
    }

    [Fact]
    public void RefusesLabelsOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode(new[] { 0, 3 }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode(new[] { -1 }, 3));
    }

    [Fact]
    public void DecodeIsArgmaxWithTiesToTheLowerClass()
    {
        Assert.Equal(new[] { 1, 0, 2 }, OneHot.Decode(new[] { 0.1, 0.7, 0.2, 0.5, 0.5, 0, -3, -2, -1 }, 3));
        Assert.Equal(new[] { 2, 0, 1 }, OneHot.Decode(OneHot.Encode(new[] { 2, 0, 1 }, 4), 4));
        Assert.Throws<ArgumentException>(() => OneHot.Decode(new double[5], 3));
    }
}
