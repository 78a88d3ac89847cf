using System;
using System.Numerics.Tensors;

namespace AutoDiff.Primitives;

/// <summary>
/// Vector primitives for [Differentiable] models: SIMD kernels (System.Numerics.Tensors) with hand-written derivative
/// rules, so that the code AutoDiff generates for a model runs vectorised forwards and backwards. Each works on a
/// window of arrays (an offset and a length), which lets a model keep all its weights in one parameter vector.
/// </summary>
public static partial class VectorMath
{
    /// <summary>Σ a[aOffset + i] · b[bOffset + i] over i &lt; length.</summary>
    [CustomDerivative]
    public static double Dot(double[] a, int aOffset, double[] b, int bOffset, int length)
        => TensorPrimitives.Dot(new ReadOnlySpan<double>(a, aOffset, length), new ReadOnlySpan<double>(b, bOffset, length));

    /// <summary>Pullback of <see cref="Dot"/>: dA[window] += seed · b[window], dB[window] += seed · a[window].</summary>
    public static double DotBackward(double[] a, int aOffset, double[] b, int bOffset, int length, double seed, Span<double> dA, Span<double> dB)
    {
        var windowA = new ReadOnlySpan<double>(a, aOffset, length);
        var windowB = new ReadOnlySpan<double>(b, bOffset, length);
        AddScaled(dA.Slice(aOffset, length), windowB, seed);
        AddScaled(dB.Slice(bOffset, length), windowA, seed);
        return TensorPrimitives.Dot(windowA, windowB);
    }

    /// <summary>
    /// Value-free pullback of <see cref="Dot"/>, which generated callers use: they hold the value from their forward
    /// sweep, so only the adjoints are computed (one pass over each window instead of <see cref="DotBackward"/>'s two).
    /// </summary>
    public static void DotReverse(double[] a, int aOffset, double[] b, int bOffset, int length, double seed, Span<double> dA, Span<double> dB)
    {
        AddScaled(dA.Slice(aOffset, length), new ReadOnlySpan<double>(b, bOffset, length), seed);
        AddScaled(dB.Slice(bOffset, length), new ReadOnlySpan<double>(a, aOffset, length), seed);
    }

    /// <summary>Tangent of <see cref="Dot"/>: ⟨ȧ, b⟩ + ⟨a, ḃ⟩.</summary>
    public static double DotTangent(double[] a, int aOffset, double[] b, int bOffset, int length,
        ReadOnlySpan<double> aTangent, ReadOnlySpan<double> bTangent, out double resultTangent)
    {
        var windowA = new ReadOnlySpan<double>(a, aOffset, length);
        var windowB = new ReadOnlySpan<double>(b, bOffset, length);
        resultTangent = TensorPrimitives.Dot(aTangent.Slice(aOffset, length), windowB) + TensorPrimitives.Dot(windowA, bTangent.Slice(bOffset, length));
        return TensorPrimitives.Dot(windowA, windowB);
    }

    /// <summary>Second order: the pullback of <see cref="Dot"/> and its tangent.</summary>
    public static double DotBackwardTangent(double[] a, int aOffset, double[] b, int bOffset, int length, double seed, Span<double> dA, Span<double> dB,
        ReadOnlySpan<double> aTangent, ReadOnlySpan<double> bTangent, double seedTangent, Span<double> dATangent, Span<double> dBTangent,
        out double resultTangent)
    {
        var windowA = new ReadOnlySpan<double>(a, aOffset, length);
        var windowB = new ReadOnlySpan<double>(b, bOffset, length);
        var tangentA = aTangent.Slice(aOffset, length);
        var tangentB = bTangent.Slice(bOffset, length);
        AddScaled(dA.Slice(aOffset, length), windowB, seed);
        AddScaled(dB.Slice(bOffset, length), windowA, seed);
        // (seed · b)' = seed' · b + seed · b', and the same for a.
        AddScaled(dATangent.Slice(aOffset, length), windowB, seedTangent);
        AddScaled(dATangent.Slice(aOffset, length), tangentB, seed);
        AddScaled(dBTangent.Slice(bOffset, length), windowA, seedTangent);
        AddScaled(dBTangent.Slice(bOffset, length), tangentA, seed);
        resultTangent = TensorPrimitives.Dot(tangentA, windowB) + TensorPrimitives.Dot(windowA, tangentB);
        return TensorPrimitives.Dot(windowA, windowB);
    }

    /// <summary>Second order of <see cref="DotReverse"/>: <see cref="DotBackwardTangent"/> without the value and its tangent.</summary>
    public static void DotReverseTangent(double[] a, int aOffset, double[] b, int bOffset, int length, double seed, Span<double> dA, Span<double> dB,
        ReadOnlySpan<double> aTangent, ReadOnlySpan<double> bTangent, double seedTangent, Span<double> dATangent, Span<double> dBTangent)
    {
        var windowA = new ReadOnlySpan<double>(a, aOffset, length);
        var windowB = new ReadOnlySpan<double>(b, bOffset, length);
        AddScaled(dA.Slice(aOffset, length), windowB, seed);
        AddScaled(dB.Slice(bOffset, length), windowA, seed);
        AddScaled(dATangent.Slice(aOffset, length), windowB, seedTangent);
        AddScaled(dATangent.Slice(aOffset, length), bTangent.Slice(bOffset, length), seed);
        AddScaled(dBTangent.Slice(bOffset, length), windowA, seedTangent);
        AddScaled(dBTangent.Slice(bOffset, length), aTangent.Slice(aOffset, length), seed);
    }

    /// <summary>
    /// Σ w[wOffset + i] · x[xOffset + i] over i &lt; length, differentiated for <paramref name="w"/> only: the form a
    /// model's first layer takes, whose inputs are data.
    /// </summary>
    [CustomDerivative]
    public static double DotWithConstant(double[] w, int wOffset, [NoDerivative] double[] x, int xOffset, int length)
        => TensorPrimitives.Dot(new ReadOnlySpan<double>(w, wOffset, length), new ReadOnlySpan<double>(x, xOffset, length));

    /// <summary>Pullback of <see cref="DotWithConstant"/>: dW[window] += seed · x[window].</summary>
    public static double DotWithConstantBackward(double[] w, int wOffset, double[] x, int xOffset, int length, double seed, Span<double> dW)
    {
        var windowX = new ReadOnlySpan<double>(x, xOffset, length);
        AddScaled(dW.Slice(wOffset, length), windowX, seed);
        return TensorPrimitives.Dot(new ReadOnlySpan<double>(w, wOffset, length), windowX);
    }

    /// <summary>Value-free pullback of <see cref="DotWithConstant"/> (see <see cref="DotReverse"/>): dW[window] += seed · x[window].</summary>
    public static void DotWithConstantReverse(double[] w, int wOffset, double[] x, int xOffset, int length, double seed, Span<double> dW)
        => AddScaled(dW.Slice(wOffset, length), new ReadOnlySpan<double>(x, xOffset, length), seed);

    /// <summary>Tangent of <see cref="DotWithConstant"/>: ⟨ẇ, x⟩.</summary>
    public static double DotWithConstantTangent(double[] w, int wOffset, double[] x, int xOffset, int length, ReadOnlySpan<double> wTangent,
        out double resultTangent)
    {
        var windowX = new ReadOnlySpan<double>(x, xOffset, length);
        resultTangent = TensorPrimitives.Dot(wTangent.Slice(wOffset, length), windowX);
        return TensorPrimitives.Dot(new ReadOnlySpan<double>(w, wOffset, length), windowX);
    }

    /// <summary>Second order: the pullback of <see cref="DotWithConstant"/> and its tangent.</summary>
    public static double DotWithConstantBackwardTangent(double[] w, int wOffset, double[] x, int xOffset, int length, double seed, Span<double> dW,
        ReadOnlySpan<double> wTangent, double seedTangent, Span<double> dWTangent, out double resultTangent)
    {
        var windowX = new ReadOnlySpan<double>(x, xOffset, length);
        AddScaled(dW.Slice(wOffset, length), windowX, seed);
        AddScaled(dWTangent.Slice(wOffset, length), windowX, seedTangent);
        resultTangent = TensorPrimitives.Dot(wTangent.Slice(wOffset, length), windowX);
        return TensorPrimitives.Dot(new ReadOnlySpan<double>(w, wOffset, length), windowX);
    }

    /// <summary>Second order of <see cref="DotWithConstantReverse"/>: <see cref="DotWithConstantBackwardTangent"/> without the value and its tangent.</summary>
    public static void DotWithConstantReverseTangent(double[] w, int wOffset, double[] x, int xOffset, int length, double seed, Span<double> dW,
        ReadOnlySpan<double> wTangent, double seedTangent, Span<double> dWTangent)
    {
        var windowX = new ReadOnlySpan<double>(x, xOffset, length);
        AddScaled(dW.Slice(wOffset, length), windowX, seed);
        AddScaled(dWTangent.Slice(wOffset, length), windowX, seedTangent);
    }

    /// <summary>Σ a[offset + i] over i &lt; length.</summary>
    [CustomDerivative]
    public static double Sum(double[] a, int offset, int length) => TensorPrimitives.Sum(new ReadOnlySpan<double>(a, offset, length));

    /// <summary>Pullback of <see cref="Sum"/>: dA[window] += seed.</summary>
    public static double SumBackward(double[] a, int offset, int length, double seed, Span<double> dA)
    {
        var window = dA.Slice(offset, length);
        TensorPrimitives.Add(window, seed, window);
        return Sum(a, offset, length);
    }

    /// <summary>Value-free pullback of <see cref="Sum"/> (see <see cref="DotReverse"/>): dA[window] += seed.</summary>
    public static void SumReverse(double[] a, int offset, int length, double seed, Span<double> dA)
    {
        var window = dA.Slice(offset, length);
        TensorPrimitives.Add(window, seed, window);
    }

    /// <summary>Tangent of <see cref="Sum"/>: Σ ȧ over the window.</summary>
    public static double SumTangent(double[] a, int offset, int length, ReadOnlySpan<double> aTangent, out double resultTangent)
    {
        resultTangent = TensorPrimitives.Sum(aTangent.Slice(offset, length));
        return Sum(a, offset, length);
    }

    /// <summary>Second order of <see cref="Sum"/> (it is linear: the seed's tangent flows like the seed).</summary>
    public static double SumBackwardTangent(double[] a, int offset, int length, double seed, Span<double> dA, ReadOnlySpan<double> aTangent,
        double seedTangent, Span<double> dATangent, out double resultTangent)
    {
        var tangentWindow = dATangent.Slice(offset, length);
        TensorPrimitives.Add(tangentWindow, seedTangent, tangentWindow);
        resultTangent = TensorPrimitives.Sum(aTangent.Slice(offset, length));
        return SumBackward(a, offset, length, seed, dA);
    }

    /// <summary>Second order of <see cref="SumReverse"/> (linear: the seed's tangent flows like the seed).</summary>
    public static void SumReverseTangent(double[] a, int offset, int length, double seed, Span<double> dA, ReadOnlySpan<double> aTangent,
        double seedTangent, Span<double> dATangent)
    {
        SumReverse(a, offset, length, seed, dA);
        SumReverse(a, offset, length, seedTangent, dATangent);
    }

    /// <summary>log Σ exp(a[offset + i]) over i &lt; length, computed without overflow (shifted by the largest value).</summary>
    [CustomDerivative]
    public static double LogSumExp(double[] a, int offset, int length)
    {
        var window = new ReadOnlySpan<double>(a, offset, length);
        double largest = TensorPrimitives.Max(window);
        if (double.IsInfinity(largest)) return largest;
        double[] scratch = System.Buffers.ArrayPool<double>.Shared.Rent(length);
        try
        {
            var shifted = scratch.AsSpan(0, length);
            TensorPrimitives.Subtract(window, largest, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            return largest + Math.Log(TensorPrimitives.Sum(shifted));
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>Pullback of <see cref="LogSumExp"/>: dA[window] += seed · softmax(window).</summary>
    public static double LogSumExpBackward(double[] a, int offset, int length, double seed, Span<double> dA)
    {
        double[] scratch = System.Buffers.ArrayPool<double>.Shared.Rent(length);
        try
        {
            var softmax = scratch.AsSpan(0, length);
            TensorPrimitives.SoftMax(new ReadOnlySpan<double>(a, offset, length), softmax);
            AddScaled(dA.Slice(offset, length), softmax, seed);
            return LogSumExp(a, offset, length);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Value-free pullback of <see cref="LogSumExp"/> (see <see cref="DotReverse"/>): dA[window] += seed · softmax(window).
    /// It has no <c>LogSumExpReverseTangent</c>: second-order callers use <see cref="LogSumExpBackwardTangent"/>, whose
    /// extra value costs one pass over a window that is short in the models (the classes).
    /// </summary>
    public static void LogSumExpReverse(double[] a, int offset, int length, double seed, Span<double> dA)
    {
        double[] scratch = System.Buffers.ArrayPool<double>.Shared.Rent(length);
        try
        {
            var softmax = scratch.AsSpan(0, length);
            TensorPrimitives.SoftMax(new ReadOnlySpan<double>(a, offset, length), softmax);
            AddScaled(dA.Slice(offset, length), softmax, seed);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>Tangent of <see cref="LogSumExp"/>: ⟨softmax(a), ȧ⟩.</summary>
    public static double LogSumExpTangent(double[] a, int offset, int length, ReadOnlySpan<double> aTangent, out double resultTangent)
    {
        double[] scratch = System.Buffers.ArrayPool<double>.Shared.Rent(length);
        try
        {
            var softmax = scratch.AsSpan(0, length);
            TensorPrimitives.SoftMax(new ReadOnlySpan<double>(a, offset, length), softmax);
            resultTangent = TensorPrimitives.Dot(softmax, aTangent.Slice(offset, length));
            return LogSumExp(a, offset, length);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Second order of <see cref="LogSumExp"/>: with s = softmax(a), the pullback adds seed · s, whose tangent is
    /// seed' · s + seed · (s ⊙ ȧ − s · ⟨s, ȧ⟩).
    /// </summary>
    public static double LogSumExpBackwardTangent(double[] a, int offset, int length, double seed, Span<double> dA, ReadOnlySpan<double> aTangent,
        double seedTangent, Span<double> dATangent, out double resultTangent)
    {
        double[] scratch = System.Buffers.ArrayPool<double>.Shared.Rent(2 * length);
        try
        {
            var softmax = scratch.AsSpan(0, length);
            var product = scratch.AsSpan(length, length);
            var tangent = aTangent.Slice(offset, length);
            TensorPrimitives.SoftMax(new ReadOnlySpan<double>(a, offset, length), softmax);
            AddScaled(dA.Slice(offset, length), softmax, seed);
            resultTangent = TensorPrimitives.Dot(softmax, tangent);
            // product = s ⊙ ȧ − s · ⟨s, ȧ⟩
            TensorPrimitives.Multiply(softmax, tangent, product);
            TensorPrimitives.MultiplyAdd(softmax, -resultTangent, product, product);
            var tangentWindow = dATangent.Slice(offset, length);
            AddScaled(tangentWindow, softmax, seedTangent);
            AddScaled(tangentWindow, product, seed);
            return LogSumExp(a, offset, length);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>target += scale · source, vectorised.</summary>
    private static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double scale)
    {
        if (scale == 0) return;
        TensorPrimitives.MultiplyAdd(source, scale, target, target);
    }
}
