using System;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>The accelerator choice: forcing each kind opens that kind or says clearly that it is missing.</summary>
public class AcceleratorTests
{
    [Fact]
    public void TheCpuAcceleratorIsAlwaysThere()
    {
        using var cpu = Accelerators.Create(AcceleratorPreference.Cpu);
        Assert.Equal(AcceleratorType.CPU, cpu.Kind);
        Assert.False(cpu.IsCuda);
    }

    [Fact]
    public void TheDefaultIsCudaWhenPresentAndTheCpuOtherwise()
    {
        using var device = Accelerators.Create();
        Assert.Contains(device.Kind, new[] { AcceleratorType.Cuda, AcceleratorType.CPU });
        // The default never picks OpenCL: its devices differ in double support.
        Assert.NotEqual(AcceleratorType.OpenCL, device.Kind);
    }

    [Theory]
    [InlineData(AcceleratorPreference.Cuda, AcceleratorType.Cuda, "No CUDA device")]
    [InlineData(AcceleratorPreference.OpenCL, AcceleratorType.OpenCL, "No OpenCL device")]
    public void AForcedKindOpensOrSaysItIsMissing(AcceleratorPreference preference, AcceleratorType kind, string message)
    {
        AcceleratorContext? device = null;
        try
        {
            device = Accelerators.Create(preference);
        }
        catch (InvalidOperationException missing)
        {
            // No such device on this machine: the message says which.
            Assert.StartsWith(message, missing.Message);
            return;
        }
        using (device)
        {
            Assert.Equal(kind, device.Kind);
        }
    }

    [Fact]
    public void AnUnknownPreferenceIsRefused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Accelerators.Create((AcceleratorPreference)42));
}
