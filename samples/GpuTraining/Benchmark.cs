using System.Diagnostics;
using AutoDiff.Data;
using AutoDiff.Gpu;
using AutoDiff.Gpu.Models;
using AutoDiff.Models;
using AutoDiff.Training;

namespace Samples.GpuTraining;

/// <summary>
/// Samples per second of one batch's gradient on MNIST, for three models. First the binary logistic loss (784 features; digit 0 against the
/// rest), at batch sizes 256 to 65,536, float and double: the CPU path (the generated CPU pullback summed over the batch
/// on all cores by <see cref="ParallelGradient"/>) against the accelerator path (the generated backward kernel, which adds
/// with atomics), the per-block partial sums (<c>GpuBinaryLogistic.BatchGradientByBlocks</c>) and, up to 4,096, the
/// per-sample rows. Batches
/// draw rows with repeats, so that they can be larger than the 10,000 images. Output: one <c>BENCH</c> line per
/// measurement (see README.md, "GPU kernels"), then a table. Then softmax regression over the ten digits
/// (<see cref="RunSoftmax"/>) and the MNIST MLP (784-128-10, <see cref="RunPerceptron"/>) in the same way.
/// </summary>
internal static class Benchmark
{
    public static int Run(AcceleratorContext device, string dataFolder, bool quick)
    {
        var mnist = MnistDataset.Load(Path.Combine(dataFolder, "mnist-t10k-images-idx3-ubyte.gz"), Path.Combine(dataFolder, "mnist-t10k-labels-idx1-ubyte.gz"));
        var data = new Dataset(mnist.Features, mnist.Rows, mnist.Columns, mnist.Labels.Select(label => label == 0 ? 1 : 0).ToArray(), 2);
        int[] sizes = quick ? new[] { 256, 1024 } : new[] { 256, 1024, 4096, 16384, 65536 };
        double budget = quick ? 0.2 : 0.5;   // seconds of timed work per measurement, after one warm-up call
        var parameters = new double[data.Columns + 1];
        var random = new Random(1);
        for (int j = 0; j < parameters.Length; j++) parameters[j] = 0.01 * (2 * random.NextDouble() - 1);
        var rows = Enumerable.Range(0, data.Rows).Select(i => data.Features.AsSpan(i * data.Columns, data.Columns).ToArray()).ToArray();
        var rowsSingle = rows.Select(r => Array.ConvertAll(r, v => (float)v)).ToArray();
        var labels = data.Labels.Select(l => (double)l).ToArray();
        var gradient = new double[parameters.Length];
        var results = new List<(string Path, Precision Precision, int Batch, double Rate, double Check)>();

        Console.WriteLine($"benchmark: MNIST binary logistic, {data.Rows} rows × {data.Columns} features, {Environment.ProcessorCount} CPU cores, {device}");
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            using var loss = new GpuBinaryLogistic(device, data, precision);
            var reduction = new ParallelGradient(parameters.Length);
            var parametersSingle = Array.ConvertAll(parameters, v => (float)v);
            ParallelGradient.SampleBackward backward = precision == Precision.Double
                ? (i, seed, g) =>
                {
                    double dY = 0;
                    return KernelLosses.BinaryLogisticBackward(rows[i], labels[i], parameters, seed, Scratch.Double(data.Columns), ref dY, g);
                }
                : (i, seed, g) =>
                {
                    float dY = 0;
                    var one = Scratch.Single(parameters.Length);
                    Array.Clear(one);
                    float value = KernelLosses.BinaryLogisticSingleBackward(rowsSingle[i], (float)labels[i], parametersSingle, (float)seed, Scratch.Single2(data.Columns), ref dY, one);
                    for (int j = 0; j < one.Length; j++) g[j] += one[j];
                    return value;
                };
            foreach (int batch in sizes)
            {
                var order = Enumerable.Range(0, batch).Select(k => (int)((k * 7919L) % data.Rows)).ToArray();
                var cpu = Measure(() => reduction.Compute(order, 0, batch, backward, gradient), batch, budget);
                var cpuGradient = (double[])gradient.Clone();
                var gpu = Measure(() => loss.BatchGradient(parameters, order, 0, batch, gradient), batch, budget);
                // The two paths' gradients must agree, or the comparison means nothing.
                double error = Relative(gradient, cpuGradient);
                // The second alternative to atomics: per-block partial sums in shared memory, then a reduction of the blocks' rows.
                var blocks = Measure(() => loss.BatchGradientByBlocks(parameters, order, 0, batch, gradient), batch, budget);
                double blocksError = Relative(gradient, cpuGradient);
                results.Add(("cpu", precision, batch, cpu, 0));
                results.Add(("gpu", precision, batch, gpu, error));
                results.Add(("gpu-blocks", precision, batch, blocks, blocksError));
                Console.WriteLine($"BENCH model=logistic path=cpu device=\"{Environment.ProcessorCount} cores\" precision={Name(precision)} batch={batch} samples_per_s={cpu:F0}");
                Console.WriteLine($"BENCH model=logistic path=gpu device=\"{device}\" precision={Name(precision)} batch={batch} samples_per_s={gpu:F0} max_rel_diff={error:E1}");
                Console.WriteLine($"BENCH model=logistic path=gpu-blocks device=\"{device}\" precision={Name(precision)} batch={batch} samples_per_s={blocks:F0} max_rel_diff={blocksError:E1}");
                if (batch <= 4096)
                {
                    // The alternative to atomics: each thread writes its own gradient row (the per-sample kernel), and the rows
                    // are summed afterwards (here on the host). Measured to choose between the two (docs/architecture.md).
                    var perSampleRows = new double[batch, parameters.Length];
                    var rowsRate = Measure(() => loss.PerSampleGradients(parameters, order, perSampleRows), batch, budget);
                    Console.WriteLine($"BENCH model=logistic path=gpu-rows device=\"{device}\" precision={Name(precision)} batch={batch} samples_per_s={rowsRate:F0}");
                }
                if (Math.Max(error, blocksError) > (precision == Precision.Double ? 1e-9 : 1e-4))
                {
                    Console.Error.WriteLine($"the accelerator's gradient differs from the CPU's by {error:E2} (atomics) and {blocksError:E2} (blocks), relative");
                    return 1;
                }
            }
        }

        Table("binary logistic regression (784 + 1 parameters)", results);
        int softmax = RunSoftmax(device, mnist, sizes, budget);
        return softmax != 0 ? softmax : RunPerceptron(device, mnist, sizes, budget);
    }

    /// <summary>
    /// Multinomial (softmax) logistic regression over the ten digits (784 × 10 weights and 10 biases): the CPU path (the
    /// generated CPU pullback of <see cref="LossKernels.MultinomialLogistic"/> in double, of
    /// <see cref="KernelLosses.MultinomialLogisticSingle"/> in float, summed on all cores by <see cref="ParallelGradient"/>)
    /// against <see cref="GpuMultinomialLogistic.BatchGradient"/> (the backward kernel, which keeps each sample's logits in
    /// its scratch row and adds 7,850 values per sample with atomics).
    /// </summary>
    private static int RunSoftmax(AcceleratorContext device, Dataset mnist, int[] sizes, double budget)
    {
        int classes = mnist.ClassCount, columns = mnist.Columns;
        var parameters = new double[classes * (columns + 1)];
        var random = new Random(1);
        for (int j = 0; j < parameters.Length; j++) parameters[j] = 0.01 * (2 * random.NextDouble() - 1);
        var parametersSingle = Array.ConvertAll(parameters, v => (float)v);
        var rows = Enumerable.Range(0, mnist.Rows).Select(i => mnist.Features.AsSpan(i * columns, columns).ToArray()).ToArray();
        var rowsSingle = rows.Select(r => Array.ConvertAll(r, v => (float)v)).ToArray();
        var gradient = new double[parameters.Length];
        var results = new List<(string Path, Precision Precision, int Batch, double Rate, double Check)>();
        Console.WriteLine();
        Console.WriteLine($"benchmark: MNIST softmax regression, {classes} classes, {parameters.Length} parameters, {mnist.Rows} rows");
        foreach (var precision in new[] { Precision.Double, Precision.Single })
        {
            using var loss = new GpuMultinomialLogistic(device, mnist, precision);
            var reduction = new ParallelGradient(parameters.Length);
            ParallelGradient.SampleBackward backward = precision == Precision.Double
                ? (i, seed, g) => LossKernels.MultinomialLogisticBackward(rows[i], mnist.Labels[i], parameters, classes, seed, Scratch.Double(columns), g)
                : (i, seed, g) =>
                {
                    var one = Scratch.Single(parameters.Length);
                    Array.Clear(one);
                    float value = KernelLosses.MultinomialLogisticSingleBackward(rowsSingle[i], mnist.Labels[i], parametersSingle, classes, (float)seed, Scratch.Single2(columns), one);
                    for (int j = 0; j < one.Length; j++) g[j] += one[j];
                    return value;
                };
            foreach (int batch in sizes)
            {
                var order = Enumerable.Range(0, batch).Select(k => (int)((k * 7919L) % mnist.Rows)).ToArray();
                var cpu = Measure(() => reduction.Compute(order, 0, batch, backward, gradient), batch, budget);
                var cpuGradient = (double[])gradient.Clone();
                var gpu = Measure(() => loss.BatchGradient(parameters, order, 0, batch, gradient), batch, budget);
                double error = Relative(gradient, cpuGradient);
                results.Add(("cpu", precision, batch, cpu, 0));
                results.Add(("gpu", precision, batch, gpu, error));
                Console.WriteLine($"BENCH model=softmax path=cpu device=\"{Environment.ProcessorCount} cores\" precision={Name(precision)} batch={batch} samples_per_s={cpu:F0}");
                Console.WriteLine($"BENCH model=softmax path=gpu device=\"{device}\" precision={Name(precision)} batch={batch} samples_per_s={gpu:F0} max_rel_diff={error:E1}");
                if (error > (precision == Precision.Double ? 1e-9 : 1e-4))
                {
                    Console.Error.WriteLine($"the accelerator's softmax gradient differs from the CPU's by {error:E2} (relative)");
                    return 1;
                }
            }
        }
        Table($"softmax regression ({columns} × {classes} + {classes} parameters)", results);
        return 0;
    }

    /// <summary>
    /// The MNIST MLP (784-128-10, ReLU, softmax cross-entropy; 101,770 parameters): one batch's mean-loss gradient on the
    /// CPU path (<c>Losses.PerceptronSampleBackward</c>, the pullback <see cref="AutoDiff.Models.MultilayerPerceptron.Fit"/>
    /// sums, on all cores with <see cref="ParallelGradient"/>, in double: the runtime has no float MLP) against the accelerator
    /// path (<see cref="GpuPerceptron"/>'s layer kernels) in double and float.
    /// </summary>
    private static int RunPerceptron(AcceleratorContext device, Dataset mnist, int[] sizes, double budget)
    {
        var network = new MultilayerPerceptron(new[] { 784, 128, 10 }, Activation.Relu, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.He, seed: 1);
        var layers = network.LayerSizes.ToArray();
        int units = layers.Skip(1).Sum();
        var parameters = network.Parameters;
        var gradient = new double[parameters.Length];
        var reduction = new ParallelGradient(parameters.Length);
        var noTargets = Array.Empty<double>();
        ParallelGradient.SampleBackward backward = (i, seed, g) => Losses.PerceptronSampleBackward(parameters, mnist.Features, i * mnist.Columns, layers, units,
            (int)Activation.Relu, (int)OutputLoss.SoftmaxCrossEntropy, mnist.Labels[i], noTargets, 0, seed, g);
        var results = new List<(string Path, Precision Precision, int Batch, double Rate, double Check)>();
        Console.WriteLine();
        Console.WriteLine($"benchmark: MNIST MLP 784-128-10 ReLU, {parameters.Length} parameters, {mnist.Rows} rows");
        using var onDouble = new GpuPerceptron(device, network, mnist, Precision.Double);
        using var onSingle = new GpuPerceptron(device, network, mnist, Precision.Single);
        foreach (int batch in sizes)
        {
            var order = Enumerable.Range(0, batch).Select(k => (int)((k * 7919L) % mnist.Rows)).ToArray();
            var cpu = Measure(() => reduction.Compute(order, 0, batch, backward, gradient), batch, budget);
            var cpuGradient = (double[])gradient.Clone();
            Console.WriteLine($"BENCH model=mlp path=cpu device=\"{Environment.ProcessorCount} cores\" precision=double batch={batch} samples_per_s={cpu:F0}");
            foreach (var (loss, precision) in new[] { (onDouble, Precision.Double), (onSingle, Precision.Single) })
            {
                var gpu = Measure(() => loss.BatchGradient(parameters, order, 0, batch, gradient), batch, budget);
                double error = Relative(gradient, cpuGradient);
                results.Add(("cpu", precision, batch, cpu, 0));
                results.Add(("gpu", precision, batch, gpu, error));
                Console.WriteLine($"BENCH model=mlp path=gpu device=\"{device}\" precision={Name(precision)} batch={batch} samples_per_s={gpu:F0} max_rel_diff={error:E1}");
                if (error > (precision == Precision.Double ? 1e-9 : 1e-4))
                {
                    Console.Error.WriteLine($"the accelerator's MLP gradient differs from the CPU's by {error:E2} (relative)");
                    return 1;
                }
            }
        }
        Table("MNIST MLP 784-128-10 (CPU path in double for both rows)", results);
        return 0;
    }

    private static void Table(string title, List<(string Path, Precision Precision, int Batch, double Rate, double Check)> results)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        // The per-block partial sums (logistic regression only) get a column of their own.
        bool blocks = results.Any(r => r.Path == "gpu-blocks");
        Console.WriteLine("precision   batch   CPU samples/s   accelerator samples/s   speed-up" + (blocks ? "   blocks samples/s" : ""));
        foreach (var group in results.GroupBy(r => (r.Precision, r.Batch)))
        {
            double cpuRate = group.First(r => r.Path == "cpu").Rate, gpuRate = group.First(r => r.Path == "gpu").Rate;
            string blocksColumn = blocks ? $" {group.First(r => r.Path == "gpu-blocks").Rate,18:N0}" : "";
            Console.WriteLine($"{Name(group.Key.Precision),-9} {group.Key.Batch,7} {cpuRate,15:N0} {gpuRate,23:N0} {gpuRate / cpuRate,9:F2}×{blocksColumn}");
        }
    }

    private static string Name(Precision precision) => precision == Precision.Double ? "double" : "float";

    /// <summary>
    /// Samples per second of <paramref name="work"/> over one batch: warm-up calls for a fifth of the budget (at least one:
    /// the JIT's tiers and the kernels' compilation settle), then calls until the budget is spent.
    /// </summary>
    private static double Measure(Action work, int batch, double budgetSeconds)
    {
        var warmUp = Stopwatch.StartNew();
        do work(); while (warmUp.Elapsed.TotalSeconds < budgetSeconds / 5);
        var clock = Stopwatch.StartNew();
        int calls = 0;
        do
        {
            work();
            calls++;
        }
        while (clock.Elapsed.TotalSeconds < budgetSeconds);
        return (double)calls * batch / clock.Elapsed.TotalSeconds;
    }

    private static double Relative(double[] actual, double[] expected)
    {
        double difference = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return difference / scale;
    }

    /// <summary>Per-thread scratch arrays (the per-sample inputs' adjoints, which the benchmark discards).</summary>
    private static class Scratch
    {
        [ThreadStatic] private static double[]? doubles;
        [ThreadStatic] private static float[]? singles;
        [ThreadStatic] private static float[]? singles2;

        public static double[] Double(int n) => doubles is { Length: var l } && l == n ? doubles : doubles = new double[n];

        public static float[] Single(int n) => singles is { Length: var l } && l == n ? singles : singles = new float[n];

        public static float[] Single2(int n) => singles2 is { Length: var l } && l == n ? singles2 : singles2 = new float[n];
    }
}
