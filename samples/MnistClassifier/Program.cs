// Trains a multilayer perceptron on MNIST digits with the gradients AutoDiff generated for the runtime's
// [Differentiable] loss, then reports the test accuracy and confusion matrix and plots the training curves.
//
//   dotnet run --project samples/MnistClassifier [-- --epochs N] [--hidden N] [--seed N] [--output DIR]
using System.Diagnostics;
using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Metrics;
using AutoDiff.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using Samples.MnistClassifier;
using Spectre.Console;

var settings = Settings.Parse(args);
var clock = Stopwatch.StartNew();
var dataFolder = Path.Combine(AppContext.BaseDirectory, "data");
var all = MnistDataset.Load(Path.Combine(dataFolder, "mnist-t10k-images-idx3-ubyte.gz"), Path.Combine(dataFolder, "mnist-t10k-labels-idx1-ubyte.gz"));
var (train, test) = all.Split(testFraction: 0.2, seed: settings.Seed, stratify: true);
AnsiConsole.MarkupLine($"MNIST: [bold]{train.Rows}[/] training and [bold]{test.Rows}[/] test images of {all.Columns} pixels, loaded in {clock.Elapsed.TotalSeconds:F1} s.");

var network = new MultilayerPerceptron(new[] { all.Columns, settings.Hidden, 10 }, Activation.Relu, OutputLoss.SoftmaxCrossEntropy,
    WeightInitialization.He, seed: settings.Seed);
var options = new TrainingOptions
{
    Epochs = settings.Epochs,
    BatchSize = 32,
    Optimizer = () => new Adam(1e-3),
    Seed = settings.Seed,
    ValidationFraction = 0.1,
    Patience = 4,
    L2 = settings.L2,
};
AnsiConsole.MarkupLine($"Network {string.Join("-", network.LayerSizes)} (ReLU, softmax), {network.Parameters.Length:N0} parameters; Adam, L2 {options.L2}, batches of {options.BatchSize}, up to {options.Epochs} epochs on {Environment.ProcessorCount} cores.");

TrainingHistory history;
var trainingClock = Stopwatch.StartNew();
if (AnsiConsole.Profile.Capabilities.Interactive)
{
    history = AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(context =>
        {
            var task = context.AddTask("Training", maxValue: options.Epochs);
            var result = network.Fit(train, options, new SynchronousProgress(report =>
            {
                task.Description = $"Epoch {report.Epoch}: loss {report.TrainingLoss:F4}, validation accuracy {report.ValidationAccuracy:P1}";
                task.Increment(1);
            }));
            task.Value = task.MaxValue;
            return result;
        });
}
else
{
    history = network.Fit(train, options, new SynchronousProgress(report => Console.WriteLine(
        $"epoch {report.Epoch,2}: training loss {report.TrainingLoss:F4}, validation loss {report.ValidationLoss:F4}, validation accuracy {report.ValidationAccuracy:P2} ({report.Elapsed.TotalSeconds:F1} s)")));
}
var trainingSeconds = trainingClock.Elapsed.TotalSeconds;
foreach (var report in history.Epochs)
{
    if (AnsiConsole.Profile.Capabilities.Interactive)
    {
        AnsiConsole.MarkupLine($"epoch {report.Epoch,2}: training loss {report.TrainingLoss:F4}, validation loss {report.ValidationLoss:F4}, validation accuracy {report.ValidationAccuracy:P2}");
    }
}
if (history.StoppedEarly) Console.WriteLine($"Stopped early: the validation loss last improved at epoch {history.BestEpoch}, whose parameters are kept.");

var predictions = network.Predict(test);
double accuracy = Classification.Accuracy(test.Labels, predictions);
var confusion = new ConfusionMatrix(test.Labels, predictions, 10, Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray());
Console.WriteLine();
Console.WriteLine($"Test accuracy: {accuracy:P2} on {test.Rows} images (training took {trainingSeconds:F1} s; {clock.Elapsed.TotalSeconds:F1} s in all).");
Console.WriteLine();
Console.WriteLine("Confusion matrix (rows: true digit, columns: predicted digit):");
Console.WriteLine(confusion.ToString());

Directory.CreateDirectory(settings.Output);
var plotPath = Path.Combine(settings.Output, "mnist-training.png");
TrainingPlot.Save(history, plotPath);
var modelPath = Path.Combine(settings.Output, "mnist-mlp.admf");
network.Save(modelPath);
var reloaded = MultilayerPerceptron.Load(modelPath);
bool identical = reloaded.Predict(test).SequenceEqual(predictions);
Console.WriteLine($"Plot of loss and accuracy per epoch: {plotPath}");
Console.WriteLine($"Model saved to {modelPath}; reloaded, it predicts {(identical ? "identically" : "DIFFERENTLY")}.");
Console.WriteLine($"RESULT accuracy={accuracy.ToString("F4", CultureInfo.InvariantCulture)} seconds={trainingSeconds.ToString("F1", CultureInfo.InvariantCulture)}");
return identical ? 0 : 1;
