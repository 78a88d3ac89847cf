using System;
using System.Numerics.Tensors;
using System.Threading.Tasks;

namespace AutoDiff.Training;

/// <summary>
/// Sums per-sample pullbacks over a batch on all cores, deterministically: the batch is cut into a fixed number of
/// chunks (independent of the machine and of scheduling), each chunk accumulates into its own gradient buffer in
/// sample order, and the buffers are added in chunk order. Same inputs, same bits, on any number of cores.
/// </summary>
public sealed class ParallelGradient
{
    /// <summary>The number of chunks a batch is cut into, whatever the number of cores.</summary>
    public const int Chunks = 8;

    private readonly double[][] buffers;
    private readonly double[] losses = new double[Chunks];
    private readonly ParallelOptions parallelOptions;

    /// <param name="parameterCount">The length of the gradient.</param>
    /// <param name="maxDegreeOfParallelism">How many threads to use at most (−1: as many as there are cores).</param>
    public ParallelGradient(int parameterCount, int maxDegreeOfParallelism = -1)
    {
        buffers = new double[Chunks][];
        for (int c = 0; c < Chunks; c++) buffers[c] = new double[parameterCount];
        parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
    }

    /// <summary>Accumulates one sample's loss gradient (scaled by <paramref name="seed"/>) into the gradient buffer and returns its loss.</summary>
    /// <param name="sample">The sample's index.</param>
    /// <param name="seed">The weight of the sample (1/batch size for a mean).</param>
    /// <param name="gradient">The buffer to accumulate into.</param>
    public delegate double SampleBackward(int sample, double seed, Span<double> gradient);

    /// <summary>
    /// The mean loss over the samples <paramref name="order"/>[start .. start + count) and, in <paramref name="gradient"/>
    /// (overwritten), its gradient.
    /// </summary>
    public double Compute(int[] order, int start, int count, SampleBackward backward, Span<double> gradient)
    {
        if (count <= 0 || start < 0 || start + count > order.Length) throw new ArgumentOutOfRangeException(nameof(count), "The batch must be a non-empty range of the order.");
        if (gradient.Length != buffers[0].Length) throw new ArgumentException($"The gradient has {gradient.Length} elements; {buffers[0].Length} expected.", nameof(gradient));
        double seed = 1.0 / count;
        int chunks = Math.Min(Chunks, count);
        Parallel.For(0, chunks, parallelOptions, c =>
        {
            var buffer = buffers[c];
            Array.Clear(buffer);
            double loss = 0;
            int first = start + (int)((long)count * c / chunks);
            int end = start + (int)((long)count * (c + 1) / chunks);
            for (int i = first; i < end; i++) loss += backward(order[i], seed, buffer);
            losses[c] = loss;
        });
        buffers[0].AsSpan().CopyTo(gradient);
        double total = losses[0];
        for (int c = 1; c < chunks; c++)
        {
            TensorPrimitives.Add(gradient, buffers[c], gradient);
            total += losses[c];
        }
        return total * seed;
    }
}
