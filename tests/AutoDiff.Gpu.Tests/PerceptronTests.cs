using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiff.Data;
using AutoDiff.Gpu.Models;
using AutoDiff.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// The runtime's MLP on an accelerator (<see cref="GpuPerceptron"/>) against the CPU: each batch's loss and gradient
/// against <c>Losses.PerceptronSampleBackward</c>, the CPU trainer's generated pullback, summed over the batch; scores
/// against <see cref="MultilayerPerceptron"/>'s own; a short training run against <see cref="MultilayerPerceptron.Fit"/>
/// from the same seed; and the layer kernels compiled to PTX.
/// </summary>
public sealed class PerceptronTests : IDisposable
{
    private readonly AcceleratorContext device = TestDevice.Create();

    public void Dispose() => device.Dispose();

    /// <summary>The tolerance of the issue: 1e-9 relative in double (tighter on the CPU accelerator), 1e-4 in float.</summary>
    private static double Tolerance(Precision precision) => precision == Precision.Double ? TestDevice.Tolerance(1e-12) : 1e-4;

    /// <summary>The CPU's mean loss and gradient over a batch: the generated pullback of one sample, summed with seed 1/n.</summary>
    private static double CpuBatchGradient(MultilayerPerceptron network, Dataset data, int[] batch, double[] gradient)
    {
        var sizes = network.LayerSizes.ToArray();
        int units = sizes.Skip(1).Sum();
        int outputs = network.OutputCount;
        var targets = new double[data.Rows * outputs];
        for (int i = 0; i < data.Rows; i++) targets[i * outputs + data.Labels[i]] = 1;
        Array.Clear(gradient);
        double loss = 0;
        foreach (int i in batch)
        {
            loss += Losses.PerceptronSampleBackward(network.Parameters, data.Features, i * data.Columns, sizes, units, (int)network.Activation,
                (int)network.Output, data.Labels[i], targets, i * outputs, 1.0 / batch.Length, gradient);
        }
        return loss / batch.Length;
    }

    public static IEnumerable<object[]> Shapes()
    {
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            yield return new object[] { precision, new[] { 30, 8, 2 }, Activation.Tanh, OutputLoss.SoftmaxCrossEntropy };
            yield return new object[] { precision, new[] { 30, 7, 5, 3 }, Activation.Relu, OutputLoss.SoftmaxCrossEntropy };
            yield return new object[] { precision, new[] { 30, 6, 2 }, Activation.Sigmoid, OutputLoss.SquaredError };
            yield return new object[] { precision, new[] { 30, 5, 4, 2 }, Activation.SymmetricSigmoid, OutputLoss.SquaredError };
            yield return new object[] { precision, new[] { 30, 2 }, Activation.Identity, OutputLoss.SoftmaxCrossEntropy };
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchGradientMatchesTheCpuPullback(Precision precision, int[] sizes, Activation activation, OutputLoss output)
    {
        var data = TestData.BreastCancer;
        var network = new MultilayerPerceptron(sizes, activation, output, WeightInitialization.Glorot, seed: 3);
        // Repeats and an odd size: the batch is any list of rows.
        var batch = Enumerable.Range(0, 97).Select(k => (k * 37) % 61).ToArray();
        var expected = new double[network.Parameters.Length];
        double expectedLoss = CpuBatchGradient(network, data, batch, expected);

        using var gpu = new GpuPerceptron(device, network, data, precision);
        var gradient = new double[gpu.ParameterCount];
        double loss = gpu.BatchGradient(network.Parameters, batch, 0, batch.Length, gradient);

        double tolerance = Tolerance(precision);
        Assert.Equal(expectedLoss, loss, tolerance * Math.Abs(expectedLoss));
        double error = TestData.RelativeError(gradient, expected);
        Assert.True(error < tolerance, $"gradient: relative error {error:E2}");
        Assert.Contains(gradient, g => g != 0);
    }

    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void MnistShapedBatchGradientMatchesTheCpuPullback(Precision precision)
    {
        // 784-128-10 with ReLU, the MNIST sample's network, on random pixels in [0, 1] and random labels.
        var random = new Random(5);
        int rows = 200;
        var features = new double[rows * 784];
        for (int i = 0; i < features.Length; i++) features[i] = random.NextDouble() < 0.8 ? 0 : random.NextDouble();
        var data = new Dataset(features, rows, 784, Enumerable.Range(0, rows).Select(_ => random.Next(10)).ToArray(), 10);
        var network = new MultilayerPerceptron(new[] { 784, 128, 10 }, Activation.Relu, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.He, seed: 1);
        var batch = Enumerable.Range(0, 64).Select(k => (k * 13) % rows).ToArray();
        var expected = new double[network.Parameters.Length];
        double expectedLoss = CpuBatchGradient(network, data, batch, expected);

        using var gpu = new GpuPerceptron(device, network, data, precision);
        var gradient = new double[gpu.ParameterCount];
        double loss = gpu.BatchGradient(network.Parameters, batch, 0, batch.Length, gradient);

        Assert.Equal(expectedLoss, loss, Tolerance(precision) * expectedLoss);
        double error = TestData.RelativeError(gradient, expected);
        Assert.True(error < Tolerance(precision), $"gradient: relative error {error:E2}");
    }

    [Theory]
    [InlineData(OutputLoss.SoftmaxCrossEntropy)]
    [InlineData(OutputLoss.SquaredError)]
    public void EvaluateMatchesTheNetworksOwnLossAndPredictions(OutputLoss output)
    {
        var data = TestData.BreastCancer;
        var network = new MultilayerPerceptron(new[] { 30, 6, 2 }, Activation.Tanh, output, seed: 9);
        using var gpu = new GpuPerceptron(device, network, data);
        var all = Enumerable.Range(0, data.Rows).ToArray();
        var (loss, accuracy) = gpu.Evaluate(network.Parameters, all);
        Assert.Equal(network.Loss(data), loss, TestDevice.Tolerance(1e-12) * network.Loss(data));
        var predictions = network.Predict(data);
        Assert.Equal(all.Count(i => predictions[i] == data.Labels[i]) / (double)data.Rows, accuracy, 12);
    }

    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void GpuTrainingReproducesFit(Precision precision)
    {
        var data = TestData.BreastCancer;
        var options = new TrainingOptions
        {
            Epochs = 3, BatchSize = 32, Optimizer = () => new Adam(0.01), Seed = 4, ValidationFraction = 0.2, Patience = 0, L2 = 1e-3,
        };
        var onCpu = new MultilayerPerceptron(new[] { 30, 10, 2 }, Activation.Tanh, seed: 2);
        var onDevice = new MultilayerPerceptron(new[] { 30, 10, 2 }, Activation.Tanh, seed: 2);
        var expected = onCpu.Fit(data, options);

        using var gpu = new GpuPerceptron(device, onDevice, data, precision);
        var reports = new List<EpochReport>();
        var history = gpu.Train(options, new SynchronousProgress(reports.Add));

        double tolerance = precision == Precision.Double ? TestDevice.Tolerance(1e-10) : 1e-4;
        Assert.Equal(options.Epochs, reports.Count);
        double error = TestData.RelativeError(onDevice.Parameters, onCpu.Parameters);
        Assert.True(error < tolerance, $"parameters: relative error {error:E2}");
        for (int e = 0; e < reports.Count; e++)
        {
            Assert.Equal(expected.Epochs[e].TrainingLoss, reports[e].TrainingLoss, tolerance * expected.Epochs[e].TrainingLoss);
            Assert.Equal(expected.Epochs[e].ValidationLoss, reports[e].ValidationLoss, tolerance * expected.Epochs[e].ValidationLoss);
            Assert.Equal(expected.Epochs[e].ValidationAccuracy, reports[e].ValidationAccuracy, 1e-12);
        }
        Assert.True(history.Epochs[^1].ValidationAccuracy > 0.9, $"validation accuracy {history.Epochs[^1].ValidationAccuracy}");
    }

    [Fact]
    public void RefusesDataOfAnotherShape()
    {
        var network = new MultilayerPerceptron(new[] { 4, 3, 2 });
        var wide = new Dataset(new double[10], 2, 5, new[] { 0, 1 }, 2);
        Assert.Throws<ArgumentException>(() => new GpuPerceptron(device, network, wide));
        var badLabel = new Dataset(new double[8], 2, 4, new[] { 0, 2 }, 3);
        Assert.Throws<ArgumentException>(() => new GpuPerceptron(device, network, badLabel));
        using var gpu = new GpuPerceptron(device, network, new Dataset(new double[8], 2, 4, new[] { 0, 1 }, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.BatchGradient(network.Parameters, new[] { 0, 2 }, 0, 2, new double[network.Parameters.Length]));
    }

    public static IEnumerable<object[]> LayerKernels()
        => typeof(PerceptronKernels).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .SelectMany(m => new[] { "Double", "Single" }.Select(precision => new object[] { m.Name + "." + precision }));

    /// <summary>The layer kernels call the generated pullback of the activation: ILGPU must compile it as a device function,
    /// in each instantiation of the generic kernels.</summary>
    [Theory]
    [MemberData(nameof(LayerKernels))]
    public void LayerKernelsCompileToPtx(string name)
    {
        var parts = name.Split('.');
        var types = parts[1] == "Double" ? new[] { typeof(double), typeof(DoubleKernelMath) } : new[] { typeof(float), typeof(SingleKernelMath) };
        var method = typeof(PerceptronKernels).GetMethod(parts[0], BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(types);
        using var context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_70), CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, nvvmAPI: null);
        var kernel = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);
        Assert.Contains(".entry", kernel.PTXAssembly);
        // Sums in thread order, no atomics.
        Assert.DoesNotMatch(@"\b(atom|red)(\.global)?\.add\.f(32|64)\b", kernel.PTXAssembly);
    }

    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
