using System;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

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
    /// and no CUDA device is present, or <see cref="AcceleratorPreference.OpenCL"/> and no usable OpenCL device is.</exception>
    public static AcceleratorContext Create(AcceleratorPreference preference = AcceleratorPreference.Default)
    {
        if (preference is not (AcceleratorPreference.Default or AcceleratorPreference.Cpu or AcceleratorPreference.Cuda or AcceleratorPreference.OpenCL))
            throw new ArgumentOutOfRangeException(nameof(preference), preference, "Unknown accelerator preference.");

        bool wantCuda = preference is AcceleratorPreference.Default or AcceleratorPreference.Cuda;
        bool wantOpenCL = preference == AcceleratorPreference.OpenCL;
        bool wantCpu = preference is AcceleratorPreference.Default or AcceleratorPreference.Cpu;
        // Only the device kinds that may be opened are registered; without a CUDA driver (or an OpenCL runtime) ILGPU
        // finds no such device.
        // EnableAlgorithms: generated kernels call System.Math (Exp, Log, Pow, ...), which ILGPU maps to its intrinsics;
        // ILGPU.Algorithms implements those that the GPU backends have no instruction for.
        var context = Context.Create(builder =>
        {
            builder.EnableAlgorithms();
            if (wantCuda)
                builder.Cuda();
            if (wantOpenCL)
                builder.OpenCL();
            if (wantCpu)
                builder.CPU();
        });
        try
        {
            Device device;
            if (wantCuda && context.GetCudaDevices().Count > 0)
                device = context.GetCudaDevice(0);
            else if (wantOpenCL && context.GetCLDevices().Count > 0)
                device = context.GetCLDevice(0);
            else if (wantCpu)
                device = context.GetCPUDevice(0);
            else if (wantOpenCL)
                throw new InvalidOperationException("No OpenCL device that ILGPU can use is present (is an OpenCL runtime with a GPU or CPU driver installed?).");
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
