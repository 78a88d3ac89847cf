using System.Diagnostics;
using AutoDiff.Data;
using AutoDiff.Gpu;
using AutoDiff.Gpu.Models;
using AutoDiff.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;

namespace Samples.GpuTraining;

/// <summary>
/// The MNIST sample's network (samples/MnistClassifier: 784-128-10, ReLU, softmax, He initialisation, Adam 1e-3, batches
/// of 32, L2 1e-4, the same split and seed) trained on the accelerator by <see cref="GpuPerceptron"/> through the same
/// trainer: in double it follows the CPU run, so its target is the same 95% test accuracy.
/// </summary>
internal static class Mlp
{
    public static int Run(AcceleratorContext device, string dataFolder, Precision precision, int epochs)
    {
        var all = MnistDataset.Load(Path.Combine(dataFolder, "mnist-t10k-images-idx3-ubyte.gz"), Path.Combine(dataFolder, "mnist-t10k-labels-idx1-ubyte.gz"));
        var (train, test) = all.Split(testFraction: 0.2, seed: 1, stratify: true);
        var network = new MultilayerPerceptron(new[] { all.Columns, 128, 10 }, Activation.Relu, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.He, seed: 1);
        var options = new TrainingOptions
        {
            Epochs = epochs, BatchSize = 32, Optimizer = () => new Adam(1e-3), Seed = 1, ValidationFraction = 0.1, Patience = 4, L2 = 1e-4,
        };
        Console.WriteLine($"MNIST MLP 784-128-10 on {device}: {train.Rows} training and {test.Rows} test images; precision {precision}");
        var clock = Stopwatch.StartNew();
        using (var trainer = new GpuPerceptron(device, network, train, precision))
        {
            var history = trainer.Train(options, new ConsoleProgress());
            Console.WriteLine($"best epoch {history.BestEpoch}{(history.StoppedEarly ? " (stopped early)" : "")}; {clock.Elapsed.TotalSeconds:F1} s of training");
        }
        var predictions = network.Predict(test);
        double accuracy = predictions.Where((p, i) => p == test.Labels[i]).Count() / (double)test.Rows;
        Console.WriteLine($"RESULT model=mlp accuracy={accuracy:F4} accelerator={device.Kind} precision={precision} training_s={clock.Elapsed.TotalSeconds:F1}");
        if (epochs >= 20 && accuracy < 0.95)
        {
            Console.Error.WriteLine($"test accuracy {accuracy:P1} is below the sample's target of 95%");
            return 1;
        }
        return 0;
    }
}
