using System;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace AutoDiff.Gpu;

/// <summary>Opens the accelerator that AutoDiff's kernels run on.</summary>
public static class Accelerators
{
    /// <summary>
    /// Creates an ILGPU context and opens an accelerator in it: by default the first CUDA device when one is present
    /// (a CUDA driver and an NVIDIA GPU), otherwise ILGPU's CPU accelerator, so the same code runs on machines with and
    /// without a GPU. Dispose the result to release both.
    /// </summary>
    /// <param name="preference">Which accelerator to open; <see cref="AcceleratorPreference.Default"/> chooses as above.</param>
    /// <exception cref="InvalidOperationException"><paramref name="preference"/> is <see cref="AcceleratorPreference.Cuda"/>
    /// and no CUDA device is present.</exception>
    public static AcceleratorContext Create(AcceleratorPreference preference = AcceleratorPreference.Default)
    {
        if (preference is not (AcceleratorPreference.Default or AcceleratorPreference.Cpu or AcceleratorPreference.Cuda))
            throw new ArgumentOutOfRangeException(nameof(preference), preference, "Unknown accelerator preference.");

        bool wantCuda = preference != AcceleratorPreference.Cpu;
        bool wantCpu = preference != AcceleratorPreference.Cuda;
        // Only the device kinds that may be opened are registered; without a CUDA driver ILGPU finds no CUDA device.
        // EnableAlgorithms: generated kernels call System.Math (Exp, Log, Pow, ...), which ILGPU maps to its intrinsics;
        // ILGPU.Algorithms implements those that the GPU backends have no instruction for.
        var context = Context.Create(builder =>
        {
            builder.EnableAlgorithms();
            if (wantCuda)
                builder.Cuda();
            if (wantCpu)
                builder.CPU();
        });
        try
        {
            Device device;
            if (wantCuda && context.GetCudaDevices().Count > 0)
                device = context.GetCudaDevice(0);
            else if (wantCpu)
                device = context.GetCPUDevice(0);
            else
                throw new InvalidOperationException("No CUDA device is present (is an NVIDIA GPU with its driver installed?).");
            return new AcceleratorContext(context, device.CreateAccelerator(context));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Opens ILGPU's CPU accelerator: the same as <c>Create(AcceleratorPreference.Cpu)</c>.</summary>
    public static AcceleratorContext CreateCpu() => Create(AcceleratorPreference.Cpu);
}
