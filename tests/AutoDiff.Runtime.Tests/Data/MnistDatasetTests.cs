using System.Linq;
using AutoDiff.Data;
using Xunit;

namespace AutoDiff.Runtime.Tests.Data;

/// <summary>The MNIST test set, loaded once for the class.</summary>
public sealed class MnistFixture
{
    public MnistFixture()
        => Data = MnistDataset.Load(TestFiles.Data("mnist-t10k-images-idx3-ubyte.gz"), TestFiles.Data("mnist-t10k-labels-idx1-ubyte.gz"));

    public Dataset Data { get; }
}

/// <summary>The real MNIST files in samples/data.</summary>
public class MnistDatasetTests : IClassFixture<MnistFixture>
{
    private readonly Dataset mnist;

    public MnistDatasetTests(MnistFixture fixture) => mnist = fixture.Data;

    [Fact]
    public void HasTenThousandImagesOf784Pixels()
    {
        Assert.Equal(10_000, mnist.Rows);
        Assert.Equal(784, mnist.Columns);
        Assert.Equal(10, mnist.ClassCount);
        Assert.Equal(7_840_000, mnist.Features.Length);
    }

    [Fact]
    public void LabelsAreTheKnownOnes()
    {
        Assert.Equal(new[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }, mnist.Labels[..10]);
        Assert.Equal(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, mnist.ClassCounts());
    }

    [Fact]
    public void PixelsAreScaledToTheUnitInterval()
    {
        Assert.Equal(0.0, mnist.Features.Min());
        Assert.Equal(1.0, mnist.Features.Max());
        var first = mnist.Row(0);
        Assert.Equal(0.0, first[201]);
        Assert.Equal(84 / 255.0, first[202]);
        Assert.Equal(185 / 255.0, first[203]);
        Assert.Equal(18454 / 255.0, first.ToArray().Sum(), 9);
    }
}
