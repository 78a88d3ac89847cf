using System;
using System.Numerics.Tensors;

namespace AutoDiff.Optimization;

/// <summary>
/// The vector arithmetic of the minimisers, on <see cref="TensorPrimitives"/>. Element-wise operations give the same
/// bits on every machine; the reductions (<see cref="Dot"/>, <see cref="Norm"/>) sum in an order that depends on
/// the SIMD width, so results are bit-for-bit repeatable on one machine but may differ in the last bits across
/// processors with different vector units.
/// </summary>
internal static class VectorOps
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => TensorPrimitives.Dot(a, b);

    public static double Norm(ReadOnlySpan<double> a) => TensorPrimitives.Norm(a);

    /// <summary>y = y + alpha·x.</summary>
    public static void AddScaled(ReadOnlySpan<double> x, double alpha, Span<double> y) =>
        TensorPrimitives.MultiplyAdd(x, alpha, y, y);

    /// <summary>destination = start + alpha·direction.</summary>
    public static void Point(ReadOnlySpan<double> start, double alpha, ReadOnlySpan<double> direction, Span<double> destination) =>
        TensorPrimitives.MultiplyAdd(direction, alpha, start, destination);

    /// <summary>destination = −x.</summary>
    public static void Negate(ReadOnlySpan<double> x, Span<double> destination) => TensorPrimitives.Negate(x, destination);
}
