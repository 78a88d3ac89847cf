using System;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// The accelerator the tests run on: ILGPU's CPU accelerator, or the one <c>AUTODIFF_TEST_ACCELERATOR</c> names
/// (<c>cuda</c>, as scripts/device-check.sh sets it on a GPU machine; <c>cpu</c>). A CUDA run fails when there is no CUDA
/// device rather than falling back, so that the device check cannot pass without the device.
/// </summary>
internal static class TestDevice
{
    private static readonly string Requested = (Environment.GetEnvironmentVariable("AUTODIFF_TEST_ACCELERATOR") ?? "cpu").Trim().ToLowerInvariant();

    public static bool IsCuda => Requested == "cuda";

    public static AcceleratorContext Create() => Requested switch
    {
        "cuda" => Accelerators.Create(AcceleratorPreference.Cuda),
        "opencl" => Accelerators.Create(AcceleratorPreference.OpenCL),
        "cpu" or "" => Accelerators.CreateCpu(),
        _ => throw new InvalidOperationException($"AUTODIFF_TEST_ACCELERATOR is '{Requested}'; use cpu or cuda."),
    };

    /// <summary>
    /// A tolerance for double results: on ILGPU's CPU accelerator the kernels run .NET's own Math, so the checks are
    /// tight; on a GPU, Math comes from ILGPU's implementations and sums from atomics in any order, and the issue's
    /// bound, 1e-9 relative, applies.
    /// </summary>
    public static double Tolerance(double onCpu) => IsCuda ? Math.Max(onCpu, 1e-9) : onCpu;
}
