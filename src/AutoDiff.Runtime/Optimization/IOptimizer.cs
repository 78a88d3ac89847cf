using System;

namespace AutoDiff.Optimization;

/// <summary>
/// A step optimiser for mini-batch (or full-batch) training: each <see cref="Step"/> moves the parameters once from
/// a gradient computed by the caller. Implementations keep per-parameter state (momentum, moments, step sizes),
/// allocated on the first <see cref="Step"/> for the length of the parameters; later steps allocate nothing.
/// </summary>
public interface IOptimizer
{
    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradient"/> (∂loss/∂parameters).</summary>
    /// <param name="parameters">The parameters; after the first step, the same length on every call until <see cref="Reset"/>.</param>
    /// <param name="gradient">The gradient of the loss with respect to <paramref name="parameters"/>; same length.</param>
    /// <exception cref="ArgumentException">The lengths differ, or differ from the length the state was made for.</exception>
    void Step(Span<double> parameters, ReadOnlySpan<double> gradient);

    /// <summary>Forgets all state (as a freshly constructed optimiser); the next step may use another parameter length.</summary>
    void Reset();
}
