using System;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// A user's kernels whose pullbacks keep values: on the tape (a recurrence) or in local arrays. The kernels keep both in
/// the thread's row of the scratch memory (<c>FKernelScratchWidth</c> sizes it), checked by <see cref="ScratchKernelTests"/>.
/// </summary>
public static partial class ScratchKernels
{
    /// <summary>
    /// A recurrent cell run over the sample's features <paramref name="rounds"/> times, p ← tanh(a·p + w[j]·x[j]), and
    /// the squared error of its last state: each step overwrites p, which the reverse sweep reads, so the pullback keeps
    /// every step's p on its tape (rounds × d values per sample).
    /// </summary>
    /// <param name="x">The sample's d features.</param>
    /// <param name="y">The sample's target.</param>
    /// <param name="w">The d input weights.</param>
    /// <param name="a">The recurrent weight.</param>
    /// <param name="rounds">How many times the cell runs over the features.</param>
    [Differentiable, GpuKernel]
    public static double Recurrence([PerSample] double[] x, [PerSample] double y, double[] w, double a, int rounds)
    {
        double p = 0.0;
        for (int r = 0; r < rounds; r++)
        {
            for (int j = 0; j < x.Length; j++) p = Math.Tanh(a * p + w[j] * x[j]);
        }
        return (p - y) * (p - y);
    }

    /// <summary>
    /// A recurrent cell over the first <paramref name="steps"/> features of the sample (sequences of different lengths),
    /// p ← tanh(a·p + w[j]·x[j]), keeping each state in a local array, and the squared error of the last state. Its tape
    /// and its states' array have a length per sample; the host sizes the scratch row with the largest
    /// (<c>VariableLengthRecurrenceKernelScratchWidth(stepsMax)</c>).
    /// </summary>
    /// <param name="x">The sample's features (at least <paramref name="steps"/>).</param>
    /// <param name="steps">How many of them the sample has.</param>
    /// <param name="y">The sample's target.</param>
    /// <param name="w">The input weights (at least as many as the longest sample's steps).</param>
    /// <param name="a">The recurrent weight.</param>
    [Differentiable, GpuKernel]
    public static double VariableLengthRecurrence([PerSample] double[] x, [PerSample] int steps, [PerSample] double y, double[] w, double a)
    {
        double[] states = new double[steps + 1];
        double p = 0.0;
        for (int j = 0; j < steps; j++)
        {
            p = Math.Tanh(a * p + w[j] * x[j]);
            states[j + 1] = p;
        }
        double last = states[steps];
        return (last - y) * (last - y);
    }

    /// <summary>
    /// Two stages kept in a local array at fixed positions, one of them overwritten (its old value goes to a save slot)
    /// and a branch: h₀ = w₀x₀ + w₁x₁, h₁ = w₂·h₀ (or w₂·e^h₀ when h₀ ≤ 0), h₀ ← h₁², and h₀ + h₁.
    /// </summary>
    /// <param name="x">The sample's features (at least two).</param>
    /// <param name="w">Three weights.</param>
    [Differentiable, GpuKernel]
    public static double TwoStages([PerSample] double[] x, double[] w)
    {
        double[] h = new double[2];
        h[0] = w[0] * x[0] + w[1] * x[1];
        h[1] = h[0] > 0 ? h[0] * w[2] : Math.Exp(h[0]) * w[2];
        h[0] = h[1] * h[1];
        return h[0] + h[1];
    }
}
