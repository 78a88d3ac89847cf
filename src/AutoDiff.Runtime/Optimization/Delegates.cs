using System;

namespace AutoDiff.Optimization;

/// <summary>
/// An objective for the full-batch minimisers: returns f(<paramref name="x"/>) and writes ∇f(<paramref name="x"/>)
/// into <paramref name="gradient"/>, overwriting it (not accumulating into it). <paramref name="gradient"/> has the
/// length of <paramref name="x"/>.
/// </summary>
/// <param name="x">The point; read only, and not to be kept after the call (the minimiser reuses its memory).</param>
/// <param name="gradient">Receives the gradient; every element must be written.</param>
/// <returns>The function value.</returns>
public delegate double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>
/// A Hessian-vector product: writes ∇²f(<paramref name="x"/>)·<paramref name="v"/> into <paramref name="hv"/>,
/// overwriting it. AutoDiff generates these as forward mode over the pullback.
/// </summary>
/// <param name="x">The point at which the Hessian is taken.</param>
/// <param name="v">The vector it multiplies.</param>
/// <param name="hv">Receives the product; every element must be written.</param>
public delegate void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> hv);
