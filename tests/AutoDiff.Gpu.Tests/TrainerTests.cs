using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Data;
using AutoDiff.Gpu.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// Training on ILGPU's CPU accelerator against training on the CPU: the same trainer (<see cref="MiniBatchTrainer"/>), seed,
/// optimiser and data; the CPU path sums the generated CPU pullback over each batch with <see cref="ParallelGradient"/>.
/// </summary>
public sealed class TrainerTests : IDisposable
{
    private readonly AcceleratorContext device = TestDevice.Create();

    public void Dispose() => device.Dispose();

    private static TrainingOptions Options => new()
    {
        Epochs = 4,
        BatchSize = 64,
        Optimizer = () => new Adam(0.01),
        Seed = 7,
        ValidationFraction = 0.2,
        Patience = 0,
        L2 = 0.001,
    };

    /// <summary>The CPU path: per-sample generated pullbacks, in double or (converting) in float.</summary>
    private static (double[] Parameters, TrainingHistory History) TrainOnCpu(Dataset data, Precision precision)
    {
        var parameters = new double[data.Columns + 1];
        int columns = data.Columns;
        ParallelGradient.SampleBackward backward = precision == Precision.Double
            ? (i, seed, gradient) =>
            {
                double dY = 0;
                return LossKernels.BinaryLogisticBackward(data.Features.AsSpan(i * columns, columns).ToArray(), data.Labels[i], parameters, seed,
                    new double[columns], ref dY, gradient);
            }
            : (i, seed, gradient) =>
            {
                float dY = 0;
                var one = new float[columns + 1];
                float value = KernelLosses.BinaryLogisticSingleBackward(Array.ConvertAll(data.Features.AsSpan(i * columns, columns).ToArray(), v => (float)v),
                    data.Labels[i], Array.ConvertAll(parameters, v => (float)v), (float)seed, new float[columns], ref dY, one);
                for (int j = 0; j < one.Length; j++) gradient[j] += one[j];
                return value;
            };
        using var cpu = Accelerators.CreateCpu();
        using var scorer = new GpuBinaryLogistic(cpu, data);   // only its host-side accuracy and penalty
        double l2 = Options.L2;
        var history = MiniBatchTrainer.Train(parameters, data.Rows, backward,
            samples => (samples.Average(i => (precision == Precision.Double ? LossKernels.BinaryLogistic(data.Features.AsSpan(i * columns, columns).ToArray(), data.Labels[i], parameters) : KernelLosses.BinaryLogistic(data.Features.AsSpan(i * columns, columns).ToArray(), data.Labels[i], parameters))),
                scorer.Accuracy(parameters, samples)),
            Options, penalty: (p, gradient) => scorer.Penalty(l2, p, gradient));
        return (parameters, history);
    }

    [Theory]
    [InlineData(Precision.Double, 1e-9)]
    [InlineData(Precision.Single, 1e-4)]
    public void GpuTrainerReproducesTheCpuTrainer(Precision precision, double tolerance)
    {
        var data = TestData.BreastCancer;
        var (expected, expectedHistory) = TrainOnCpu(data, precision);

        using var loss = new GpuBinaryLogistic(device, data, precision);
        var parameters = new double[loss.ParameterCount];
        var reports = new List<EpochReport>();
        var history = loss.Train(parameters, Options, new SynchronousProgress(reports.Add));

        Agreement.SameRun(expected, expectedHistory, parameters, reports, Options.Epochs, tolerance, sameAccuracy: false);
        // The run learned something: breast cancer is nearly linearly separable.
        Assert.True(history.Epochs[^1].ValidationAccuracy > 0.9, $"validation accuracy {history.Epochs[^1].ValidationAccuracy}");
    }

    [Fact]
    public void NewtonCgOnTheDeviceMatchesTheRuntimesLogisticRegression()
    {
        var data = TestData.BreastCancer;
        const double l2 = 0.01;
        using var loss = new GpuBinaryLogistic(device, data);
        var start = new double[loss.ParameterCount];
        // Tight tolerances, so that both runs converge fully and the last step's rounding cannot stop one a step early.
        var options = new NewtonCgOptions { GradientTolerance = 1e-12, FunctionTolerance = 0, MaxIterations = 100 };
        var onDevice = NewtonCg.Minimize(loss.Objective(l2), loss.HessianVectorProduct(l2), start, options);
        var onCpu = NewtonCg.Minimize(AutoDiff.Models.LogisticRegression.Objective(data, l2), AutoDiff.Models.LogisticRegression.HessianVector(data, l2), start, options);
        Assert.Equal(onCpu.Value, onDevice.Value, TestDevice.Tolerance(1e-12) * onCpu.Value);
        Assert.True(TestData.RelativeError(onDevice.X, onCpu.X) < 1e-8, $"relative error {TestData.RelativeError(onDevice.X, onCpu.X):E2}");
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
