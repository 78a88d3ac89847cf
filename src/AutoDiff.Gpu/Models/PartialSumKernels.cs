using System;
using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// The batch-summed gradient of the binary logistic loss (softplus(z) − y·z, z = w·x + b, the loss of
/// <see cref="LossKernels.BinaryLogistic"/> and <see cref="KernelLosses.BinaryLogisticSingle"/>) without atomics, by
/// per-block partial sums: the third way, besides the generated backward kernel's <c>Atomic.Add</c> and the per-sample
/// kernel's rows, of adding each sample's gradient into the shared parameters' adjoints. Written by hand for this one
/// loss so that the three can be measured against each other (samples/GpuTraining, <c>--benchmark</c>,
/// <c>path=gpu-blocks</c>). Three launches:
/// <list type="number">
/// <item><see cref="ResidualKernel{T, TMath}"/>, one thread per sample of the batch: the value and the residual
/// r = seed·(σ(z) − y), the factor that the sample's gradient seed·(σ(z) − y)·(x, 1) puts on its features;</item>
/// <item><see cref="BlockSumKernel{T}"/>, explicitly grouped, one group per tile of <see cref="TileSize"/> samples: the
/// group stages the tile's residuals and row numbers in shared memory, then each thread sums rᵢ·xᵢⱼ over the tile for
/// the features j it owns (j = thread, thread + group size, …; j = d is the bias, Σ rᵢ) and writes one partial row per
/// tile (tiles × (d + 1) values);</item>
/// <item><see cref="ReduceKernel{T}"/>, one thread per parameter: the sum of the tiles' rows, in tile order.</item>
/// </list>
/// Every sum runs in a fixed order, so the result is the same on every run and every device of a kind (the atomic path's
/// order depends on the threads' timing).
/// </summary>
/// <remarks>
/// <para>Why 256 samples per tile and up to 256 threads per group: the partial rows are 1/256 of the per-sample rows
/// (65,536 samples × 785 parameters: 256 rows, 1.6 MB in double, against 411 MB), so the reduction reads about 1/256 of
/// what the block sums read, and each of its P threads adds only batch/256 values. A smaller tile would give more groups
/// at small batches (at 1,024 samples there are only four) but more rows to reduce; a larger one fewer groups, less of
/// the device busy, and more shared memory. A tile takes 256 × (8 + 4) bytes of shared memory in double, far below the
/// 48 KB of static shared memory a CUDA group may have, so it does not limit how many groups a multiprocessor holds.
/// 256 threads (eight warps of 32) cover a tile's staging in one step and MNIST's 785 parameters in four; when the device
/// allows fewer threads per group (ILGPU's default CPU accelerator: 16), each thread stages and sums more.</para>
/// <para>Reads of the features are coalesced: the threads of a warp read consecutive features of the same sample's row.
/// Each feature of each batch sample is read once, as on the atomic path, and each sample's row number and residual once,
/// into shared memory, where the group's threads read them for each of their features.</para>
/// </remarks>
internal static class PartialSumKernels
{
    /// <summary>Samples per tile: per group of <see cref="BlockSumKernel{T}"/>, and per partial row (a constant, as shared memory's size must be).</summary>
    public const int TileSize = 256;

    /// <summary>
    /// Sample k = <paramref name="index"/> of the batch: row <c>samples[k]</c> of <paramref name="x"/> and
    /// <paramref name="y"/>, z = Σⱼ w[j]·x[row, j] + w[d] (in feature order, as the generated kernels add it), writes
    /// the loss softplus(z) − y·z to <paramref name="values"/>[k] and <paramref name="seed"/>·(σ(z) − y) to
    /// <paramref name="residuals"/>[k].
    /// </summary>
    public static void ResidualKernel<T, TMath>(Index1D index, ArrayView<int> samples, ArrayView2D<T, Stride2D.DenseY> x, ArrayView<T> y,
        ArrayView<T> w, int columns, T seed, ArrayView<T> values, ArrayView<T> residuals)
        where T : unmanaged, INumber<T>
        where TMath : struct, IKernelMath<T>
    {
        int k = index;
        int row = samples[k];
        T dot = T.Zero;
        for (int j = 0; j < columns; j++) dot += w[j] * x[row, j];
        T z = dot + w[columns];
        T label = y[row];
        // softplus and σ from exp(−|z|), which cannot overflow (the branches of Losses.Softplus).
        T sigma, softplus;
        if (z > T.Zero)
        {
            T e = default(TMath).Exp(-z);
            sigma = T.One / (T.One + e);
            softplus = z + default(TMath).Log(T.One + e);
        }
        else
        {
            T e = default(TMath).Exp(z);
            sigma = e / (T.One + e);
            softplus = default(TMath).Log(T.One + e);
        }
        values[k] = softplus - label * z;
        residuals[k] = seed * (sigma - label);
    }

    /// <summary>
    /// Group g (explicitly grouped: launch ⌈count / <see cref="TileSize"/>⌉ groups of at most <see cref="TileSize"/>
    /// threads) sums the gradient of batch samples g·<see cref="TileSize"/> onwards (a full tile, or what is left of the
    /// <paramref name="count"/>) into row g of <paramref name="partial"/>: partial[g, j] = Σᵢ rᵢ·x[samples[i], j] for
    /// j &lt; <paramref name="columns"/>, partial[g, columns] = Σᵢ rᵢ, the samples in batch order.
    /// </summary>
    public static void BlockSumKernel<T>(ArrayView<int> samples, ArrayView2D<T, Stride2D.DenseY> x, ArrayView<T> residuals, int count,
        int columns, ArrayView2D<T, Stride2D.DenseY> partial)
        where T : unmanaged, INumber<T>
    {
        var tileResiduals = SharedMemory.Allocate<T>(TileSize);
        var tileRows = SharedMemory.Allocate<int>(TileSize);
        int tile = Grid.IdxX;
        int thread = Group.IdxX;
        int threads = Group.DimX;
        int first = tile * TileSize;
        int length = Math.Min(TileSize, count - first);
        for (int i = thread; i < length; i += threads)
        {
            tileResiduals[i] = residuals[first + i];
            tileRows[i] = samples[first + i];
        }
        Group.Barrier();
        for (int j = thread; j <= columns; j += threads)
        {
            T sum = T.Zero;
            if (j < columns)
            {
                for (int i = 0; i < length; i++) sum += tileResiduals[i] * x[tileRows[i], j];
            }
            else
            {
                for (int i = 0; i < length; i++) sum += tileResiduals[i];
            }
            partial[tile, j] = sum;
        }
    }

    /// <summary>
    /// Parameter j = <paramref name="index"/>: gradient[j] = Σ_g partial[g, j] over the <paramref name="tiles"/> rows, in
    /// row order (the threads of a warp read consecutive elements of each row).
    /// </summary>
    public static void ReduceKernel<T>(Index1D index, ArrayView2D<T, Stride2D.DenseY> partial, int tiles, ArrayView<T> gradient)
        where T : unmanaged, INumber<T>
    {
        int j = index;
        T sum = T.Zero;
        for (int g = 0; g < tiles; g++) sum += partial[g, j];
        gradient[j] = sum;
    }
}

/// <summary>
/// The launches of <see cref="PartialSumKernels"/> for element type <typeparamref name="T"/>, with the buffers they add:
/// the residuals (one per batch sample) and the partial rows (one per tile), which grow with the largest batch.
/// </summary>
internal sealed class PartialSumGradient<T> : IDisposable
    where T : unmanaged, INumber<T>
{
    private readonly Accelerator accelerator;
    private readonly int columns;
    private readonly int groupSize;
    private readonly Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>> residual;
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, int, int, ArrayView2D<T, Stride2D.DenseY>> blockSum;
    private readonly Action<Index1D, ArrayView2D<T, Stride2D.DenseY>, int, ArrayView<T>> reduce;
    private MemoryBuffer1D<T, Stride1D.Dense>? residuals;
    private MemoryBuffer1D<T, Stride1D.Dense>? partial;

    /// <summary>Loads the kernels; <paramref name="residualKernel"/> is <see cref="PartialSumKernels.ResidualKernel{T, TMath}"/> with the math of <typeparamref name="T"/>.</summary>
    public PartialSumGradient(Accelerator accelerator, int columns,
        Action<Index1D, ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, ArrayView<T>, int, T, ArrayView<T>, ArrayView<T>> residualKernel)
    {
        this.accelerator = accelerator;
        this.columns = columns;
        groupSize = Math.Min(PartialSumKernels.TileSize, accelerator.MaxNumThreadsPerGroup);
        residual = accelerator.LoadAutoGroupedStreamKernel(residualKernel);
        blockSum = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView2D<T, Stride2D.DenseY>, ArrayView<T>, int, int, ArrayView2D<T, Stride2D.DenseY>>(PartialSumKernels.BlockSumKernel);
        reduce = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView2D<T, Stride2D.DenseY>, int, ArrayView<T>>(PartialSumKernels.ReduceKernel);
    }

    /// <summary>
    /// Launches the three kernels over the <paramref name="count"/> row numbers of <paramref name="samples"/>: the values
    /// to <paramref name="values"/>, and <paramref name="seed"/> × the summed gradient to <paramref name="gradient"/>
    /// (overwritten, d + 1 elements). Does not wait for them.
    /// </summary>
    public void Launch(int count, ArrayView<int> samples, ArrayView2D<T, Stride2D.DenseY> x, ArrayView<T> y, ArrayView<T> w, T seed,
        ArrayView<T> values, ArrayView<T> gradient)
    {
        int parameters = columns + 1;
        int tiles = (count + PartialSumKernels.TileSize - 1) / PartialSumKernels.TileSize;
        var residualView = Grow(ref residuals, count);
        var partialView = new ArrayView2D<T, Stride2D.DenseY>(Grow(ref partial, (long)tiles * parameters),
            new LongIndex2D(tiles, parameters), new Stride2D.DenseY(parameters));
        residual(count, samples, x, y, w, columns, seed, values, residualView);
        blockSum(new KernelConfig(tiles, groupSize), samples, x, residualView, count, columns, partialView);
        reduce(parameters, partialView, tiles, gradient);
    }

    private ArrayView<T> Grow(ref MemoryBuffer1D<T, Stride1D.Dense>? buffer, long length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = accelerator.Allocate1D<T>(length);
        }
        return buffer.View.SubView(0, length);
    }

    public void Dispose()
    {
        residuals?.Dispose();
        partial?.Dispose();
    }
}
