namespace AutoDiff.Gpu;

/// <summary>Which accelerator <see cref="Accelerators.Create"/> opens.</summary>
public enum AcceleratorPreference
{
    /// <summary>The first CUDA device when a CUDA driver and device are present, otherwise ILGPU's CPU accelerator.</summary>
    Default,

    /// <summary>ILGPU's CPU accelerator, which runs kernels on the CPU's threads: for machines without a GPU and for tests.</summary>
    Cpu,

    /// <summary>The first CUDA device; <see cref="Accelerators.Create"/> throws when there is none.</summary>
    Cuda,

    /// <summary>
    /// The first OpenCL device ILGPU can use (an OpenCL runtime and a device that supports ILGPU's requirements);
    /// <see cref="Accelerators.Create"/> throws when there is none. Only on request: OpenCL devices differ in double
    /// support and speed, so <see cref="Default"/> does not pick one.
    /// </summary>
    OpenCL,
}
