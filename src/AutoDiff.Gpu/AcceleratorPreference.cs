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
}
