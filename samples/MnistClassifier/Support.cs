using System.Globalization;
using AutoDiff.Training;

namespace Samples.MnistClassifier;

/// <summary>Command-line settings: <c>--epochs N --hidden N --seed N --l2 X --output DIR</c>.</summary>
internal sealed record Settings(int Epochs, int Hidden, int Seed, string Output, double L2)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(Epochs: 20, Hidden: 128, Seed: 1, Output: "output", L2: 1e-4);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            settings = args[i] switch
            {
                "--epochs" => settings with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--hidden" => settings with { Hidden = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => settings with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--output" => settings with { Output = value },
                "--l2" => settings with { L2 = double.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}': use --epochs, --hidden, --seed, --l2 or --output."),
            };
        }
        return settings;
    }
}

/// <summary>Reports progress on the training thread as it happens (<see cref="Progress{T}"/> would post it later).</summary>
internal sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
{
    public void Report(EpochReport value) => report(value);
}

/// <summary>The training curves as an image: losses (left axis) and validation accuracy (right axis) per epoch (ScottPlot).</summary>
internal static class TrainingPlot
{
    public static void Save(TrainingHistory history, string path)
    {
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var plot = new ScottPlot.Plot();
        var trainingLoss = plot.Add.Scatter(epochs, history.Epochs.Select(e => e.TrainingLoss).ToArray());
        trainingLoss.LegendText = "training loss";
        var validationLoss = plot.Add.Scatter(epochs, history.Epochs.Select(e => e.ValidationLoss).ToArray());
        validationLoss.LegendText = "validation loss";
        var accuracy = plot.Add.Scatter(epochs, history.Epochs.Select(e => 100 * e.ValidationAccuracy).ToArray());
        accuracy.LegendText = "validation accuracy (%)";
        accuracy.Axes.YAxis = plot.Axes.Right;
        plot.Title("MNIST MLP: loss and accuracy per epoch");
        plot.XLabel("epoch");
        plot.YLabel("cross-entropy loss");
        plot.Axes.Right.Label.Text = "accuracy (%)";
        plot.ShowLegend();
        plot.SavePng(path, 900, 540);
    }
}
