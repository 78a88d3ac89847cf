using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu;

/// <summary>
/// An ILGPU <see cref="ILGPU.Context"/> with one open <see cref="ILGPU.Runtime.Accelerator"/>, made by
/// <see cref="Accelerators.Create"/>. Disposing it disposes the accelerator, then the context.
/// </summary>
public sealed class AcceleratorContext : IDisposable
{
    private bool _disposed;

    internal AcceleratorContext(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
    }

    /// <summary>The ILGPU context that owns the accelerator.</summary>
    public Context Context { get; }

    /// <summary>The open accelerator: load kernels and allocate buffers on it.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The kind of accelerator that was opened (<see cref="AcceleratorType.Cuda"/>, <see cref="AcceleratorType.OpenCL"/> or <see cref="AcceleratorType.CPU"/>).</summary>
    public AcceleratorType Kind => Accelerator.AcceleratorType;

    /// <summary>True when the accelerator is a CUDA device.</summary>
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <summary>The device's name as ILGPU reports it.</summary>
    public string Name => Accelerator.Name;

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}: {Name}";

    /// <summary>Disposes the accelerator, then the context. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Accelerator.Dispose();
        Context.Dispose();
    }
}
