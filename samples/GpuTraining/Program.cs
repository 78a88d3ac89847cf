// Logistic regression (binary, and softmax over MNIST's ten digits) trained on an accelerator with the kernels AutoDiff
// generates from a [GpuKernel] loss, and the MNIST MLP with GpuPerceptron's layer kernels.
//
//   dotnet run --project samples/GpuTraining -c Release                       train on breast cancer (CUDA if present, else the CPU accelerator)
//   dotnet run --project samples/GpuTraining -c Release -- --cpu              force ILGPU's CPU accelerator
//   dotnet run --project samples/GpuTraining -c Release -- --precision single train in float
//   dotnet run --project samples/GpuTraining -c Release -- --mlp [--precision single] [--epochs N]
//                                                                             the MNIST MLP (784-128-10) on the accelerator
//   dotnet run --project samples/GpuTraining -c Release -- --softmax [--precision single] [--epochs N]
//                                                                             multinomial (softmax) logistic regression on MNIST (10 classes)
//   dotnet run --project samples/GpuTraining -c Release -- --benchmark [--cpu] [--quick]
//                                                                             batched-gradient throughput, CPU path vs accelerator path
using System.Diagnostics;
using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Gpu;
using AutoDiff.Gpu.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using Samples.GpuTraining;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Option(string name, string fallback) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
bool forceCpu = args.Contains("--cpu");
var precision = Option("--precision", "double") == "single" ? Precision.Single : Precision.Double;
string dataFolder = Path.Combine(AppContext.BaseDirectory, "data");

using var device = Accelerators.Create(forceCpu ? AcceleratorPreference.Cpu : AcceleratorPreference.Default);
if (!device.IsCuda)
{
    Console.WriteLine(forceCpu
        ? "Running on ILGPU's CPU accelerator (--cpu)."
        : "No CUDA device found: running the kernels on ILGPU's CPU accelerator instead (slower, same results).");
}
Console.WriteLine($"accelerator: {device}");

if (args.Contains("--benchmark"))
{
    return Benchmark.Run(device, dataFolder, quick: args.Contains("--quick"));
}

if (args.Contains("--softmax"))
{
    return Softmax.Run(device, dataFolder, precision, int.Parse(Option("--epochs", Softmax.DefaultEpochs.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
}

if (args.Contains("--mlp"))
{
    return Mlp.Run(device, dataFolder, precision, int.Parse(Option("--epochs", "20"), CultureInfo.InvariantCulture));
}

// Breast cancer: 569 tumours, 30 features, malignant or benign. Standardised with the training part's statistics.
var all = CsvDataset.Load(Path.Combine(dataFolder, "breast_cancer.csv"));
var (train, test) = all.Split(0.25, seed: 1);
var scaler = new Standardizer().Fit(train);
(train, test) = (scaler.Transform(train), scaler.Transform(test));
Console.WriteLine($"data: {train.Rows} training rows, {test.Rows} test rows, {train.Columns} features; precision {precision}");

using var trainLoss = new GpuBinaryLogistic(device, train, precision);
var parameters = new double[trainLoss.ParameterCount];
var options = new TrainingOptions { Epochs = 30, BatchSize = 32, Optimizer = () => new Adam(0.01), Seed = 1, ValidationFraction = 0.2, Patience = 5, L2 = 1e-3 };
var history = trainLoss.Train(parameters, options, new ConsoleProgress());

using var testLoss = new GpuBinaryLogistic(device, test, precision);
var testRows = Enumerable.Range(0, test.Rows).ToArray();
double accuracy = testLoss.Accuracy(parameters, testRows);
Console.WriteLine($"best epoch {history.BestEpoch}{(history.StoppedEarly ? " (stopped early)" : "")}; test loss {testLoss.Loss(parameters, testRows):F4}, test accuracy {accuracy:P1}");
Console.WriteLine($"RESULT accuracy={accuracy:F4} accelerator={device.Kind} precision={precision}");
if (accuracy < 0.95)
{
    Console.Error.WriteLine($"test accuracy {accuracy:P1} is below the sample's target of 95%");
    return 1;
}
return 0;

/// <summary>Prints each epoch as the trainer reports it.</summary>
internal sealed class ConsoleProgress : IProgress<EpochReport>
{
    public void Report(EpochReport r)
        => Console.WriteLine($"epoch {r.Epoch,2}: training loss {r.TrainingLoss:F4}, validation loss {r.ValidationLoss:F4}, validation accuracy {r.ValidationAccuracy:P1} ({r.Elapsed.TotalSeconds:F1} s)");
}
