using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiff.Gpu.Models;
using AutoDiff.Models;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// The per-block partial-sum path of <see cref="GpuBinaryLogistic"/> (<see cref="PartialSumKernels"/>): its gradient and
/// mean loss against the atomic path (the generated backward kernel) and the generated CPU pullback, for batches shorter
/// than a tile, one short of a tile, one over, and several tiles with a partial last one; its result run to run; and
/// its kernels compiled to PTX.
/// </summary>
public sealed class PartialSumTests : IDisposable
{
    private readonly AcceleratorContext device = TestDevice.Create();

    public void Dispose() => device.Dispose();

    /// <summary>
    /// <paramref name="count"/> row numbers out of order, each tenth repeating the one before it (so that every batch of
    /// more than ten has repeats), and past the data's rows it wraps round.
    /// </summary>
    private static int[] Batch(int count, int rows) => Enumerable.Range(0, count).Select(k => ((k - k / 10) * 37 + 11) % rows).ToArray();

    public static IEnumerable<object[]> Sizes() => new[] { 1, 255, 257, 1000 }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BlocksMatchAtomicsAndTheCpuPullbackInDouble(int count)
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 11);
        var batch = Batch(count, data.Rows);
        var expected = new double[w.Length];
        double expectedLoss = 0;
        double dY = 0;
        foreach (int i in batch) expectedLoss += LossKernels.BinaryLogisticBackward(TestData.Row(data, i), data.Labels[i], w, 1.0 / batch.Length, new double[data.Columns], ref dY, expected);
        expectedLoss /= batch.Length;

        using var loss = new GpuBinaryLogistic(device, data);
        var atomic = new double[w.Length];
        double atomicLoss = loss.BatchGradient(w, batch, 0, batch.Length, atomic);
        var blocks = new double[w.Length];
        double blocksLoss = loss.BatchGradientByBlocks(w, batch, 0, batch.Length, blocks);

        double tolerance = TestDevice.Tolerance(1e-12);
        Assert.True(TestData.RelativeError(blocks, expected) < tolerance, $"against the CPU: relative error {TestData.RelativeError(blocks, expected):E2}");
        Assert.True(TestData.RelativeError(blocks, atomic) < tolerance, $"against the atomics: relative error {TestData.RelativeError(blocks, atomic):E2}");
        Assert.Equal(expectedLoss, blocksLoss, tolerance * Math.Abs(expectedLoss));
        Assert.Equal(atomicLoss, blocksLoss, tolerance * Math.Abs(atomicLoss));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BlocksMatchAtomicsAndTheCpuPullbackInFloat(int count)
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 12);
        var wSingle = Array.ConvertAll(w, v => (float)v);
        var batch = Batch(count, data.Rows);
        var expected = new double[w.Length];
        var one = new float[w.Length];
        float dY = 0;
        foreach (int i in batch)
        {
            Array.Clear(one);
            KernelLosses.BinaryLogisticSingleBackward(Array.ConvertAll(TestData.Row(data, i), v => (float)v), data.Labels[i], wSingle, 1.0f / batch.Length, new float[data.Columns], ref dY, one);
            for (int j = 0; j < w.Length; j++) expected[j] += one[j];
        }

        using var loss = new GpuBinaryLogistic(device, data, Precision.Single);
        var atomic = new double[w.Length];
        double atomicLoss = loss.BatchGradient(w, batch, 0, batch.Length, atomic);
        var blocks = new double[w.Length];
        double blocksLoss = loss.BatchGradientByBlocks(w, batch, 0, batch.Length, blocks);

        Assert.True(TestData.RelativeError(blocks, expected) < 1e-5, $"against the CPU: relative error {TestData.RelativeError(blocks, expected):E2}");
        Assert.True(TestData.RelativeError(blocks, atomic) < 1e-5, $"against the atomics: relative error {TestData.RelativeError(blocks, atomic):E2}");
        Assert.Equal(atomicLoss, blocksLoss, 1e-5 * Math.Abs(atomicLoss));
    }

    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void BlocksGiveTheSameResultEveryRun(Precision precision)
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 13);
        var batch = Batch(1000, data.Rows);
        using var loss = new GpuBinaryLogistic(device, data, precision);
        var first = new double[w.Length];
        double firstLoss = loss.BatchGradientByBlocks(w, batch, 0, batch.Length, first);
        for (int run = 0; run < 5; run++)
        {
            // A smaller batch in between leaves other values in the reused buffers.
            loss.BatchGradientByBlocks(TestData.Random(w.Length, seed: 100 + run), batch, 3, 300, new double[w.Length]);
            var again = new double[w.Length];
            double againLoss = loss.BatchGradientByBlocks(w, batch, 0, batch.Length, again);
            Assert.Equal(first, again);
            Assert.Equal(firstLoss, againLoss);
        }
    }

    [Fact]
    public void BlocksTakeTheBatchFromTheOrdersRange()
    {
        var data = TestData.BreastCancer;
        var w = TestData.Random(data.Columns + 1, seed: 14);
        var order = Batch(700, data.Rows);
        using var loss = new GpuBinaryLogistic(device, data);
        var atomic = new double[w.Length];
        double atomicLoss = loss.BatchGradient(w, order, 123, 300, atomic);
        var blocks = new double[w.Length];
        double blocksLoss = loss.BatchGradientByBlocks(w, order, 123, 300, blocks);
        Assert.True(TestData.RelativeError(blocks, atomic) < TestDevice.Tolerance(1e-12), $"relative error {TestData.RelativeError(blocks, atomic):E2}");
        Assert.Equal(atomicLoss, blocksLoss, TestDevice.Tolerance(1e-12) * Math.Abs(atomicLoss));
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.BatchGradientByBlocks(w, new[] { 0, data.Rows }, 0, 2, blocks));
    }

    public static IEnumerable<object[]> BlockKernels()
        => new[] { nameof(PartialSumKernels.ResidualKernel), nameof(PartialSumKernels.BlockSumKernel), nameof(PartialSumKernels.ReduceKernel) }
            .SelectMany(name => new[] { "Double", "Single" }.Select(precision => new object[] { name + "." + precision }));

    /// <summary>
    /// The partial-sum kernels compile to PTX in both precisions (the block sums as an explicitly grouped kernel, with its
    /// tile in shared memory and a barrier), and none of them adds with atomics.
    /// </summary>
    [Theory]
    [MemberData(nameof(BlockKernels))]
    public void BlockKernelsCompileToPtx(string name)
    {
        var parts = name.Split('.');
        bool isDouble = parts[1] == "Double";
        var generic = typeof(PartialSumKernels).GetMethod(parts[0], BindingFlags.Public | BindingFlags.Static)!;
        var types = generic.GetGenericArguments().Length == 2
            ? isDouble ? new[] { typeof(double), typeof(DoubleKernelMath) } : new[] { typeof(float), typeof(SingleKernelMath) }
            : new[] { isDouble ? typeof(double) : typeof(float) };
        var method = generic.MakeGenericMethod(types);
        bool grouped = parts[0] == nameof(PartialSumKernels.BlockSumKernel);
        using var context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_70), CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, nvvmAPI: null);
        var entry = grouped ? EntryPointDescription.FromExplicitlyGroupedKernel(method) : EntryPointDescription.FromImplicitlyGroupedKernel(method);
        var kernel = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
        Assert.Contains(".entry", kernel.PTXAssembly);
        Assert.DoesNotMatch(@"\b(atom|red)(\.global)?\.add\.f(32|64)\b", kernel.PTXAssembly);
        if (grouped)
        {
            Assert.Contains(".shared", kernel.PTXAssembly);
            Assert.Matches(@"\bbar(\.sync)?\b", kernel.PTXAssembly);
        }
    }
}
