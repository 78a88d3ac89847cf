using Xunit;

namespace AutoDiff.Runtime.Tests;

/// <summary>The runtime project is reachable from its tests.</summary>
public class RuntimeReferenceTests
{
    [Fact]
    public void WithoutDerivativeReturnsItsArgument() => Assert.Equal(2.5, Ad.WithoutDerivative(2.5));
}
