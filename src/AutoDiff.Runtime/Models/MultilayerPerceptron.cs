using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading;
using AutoDiff.Data;
using AutoDiff.Initialization;
using AutoDiff.Serialization;
using AutoDiff.Training;

namespace AutoDiff.Models;

/// <summary>How a network's weights start.</summary>
public enum WeightInitialization
{
    /// <summary>Glorot (Xavier) uniform: suits tanh and sigmoid layers.</summary>
    Glorot,

    /// <summary>He normal: suits ReLU layers.</summary>
    He,

    /// <summary>Nguyen–Widrow, as OpenCV's ANN_MLP initialises its layers.</summary>
    NguyenWidrow,
}

/// <summary>
/// A fully connected feed-forward network for classification, trained by mini-batches on the gradients AutoDiff
/// generates from <see cref="Losses.PerceptronSample"/>. Layer l's parameters are sizes[l + 1] rows of sizes[l]
/// weights, then sizes[l + 1] biases, layer after layer in <see cref="Parameters"/>.
/// </summary>
public sealed class MultilayerPerceptron
{
    private readonly int[] sizes;
    private readonly int unitCount;
    private readonly int widest;

    /// <param name="layerSizes">The number of units of each layer, input and output included (at least two layers).</param>
    /// <param name="activation">The hidden layers' activation (and the output's, with squared error).</param>
    /// <param name="output">The output layer and its loss.</param>
    /// <param name="initialization">How the weights start (the biases start at zero, except with Nguyen–Widrow).</param>
    /// <param name="seed">Seeds the initial weights.</param>
    public MultilayerPerceptron(IReadOnlyList<int> layerSizes, Activation activation = Activation.Tanh,
        OutputLoss output = OutputLoss.SoftmaxCrossEntropy, WeightInitialization initialization = WeightInitialization.Glorot, int seed = 0)
    {
        if (layerSizes is null || layerSizes.Count < 2) throw new ArgumentException("Give at least the input and output layer sizes.", nameof(layerSizes));
        if (layerSizes.Any(s => s < 1)) throw new ArgumentException("Every layer needs at least one unit.", nameof(layerSizes));
        if (output == OutputLoss.SoftmaxCrossEntropy && layerSizes[^1] < 2) throw new ArgumentException("Softmax needs at least two outputs.", nameof(layerSizes));
        sizes = layerSizes.ToArray();
        unitCount = sizes.Skip(1).Sum();
        widest = sizes.Max();
        Activation = activation;
        Output = output;
        Parameters = new double[ParameterCount(sizes)];
        Initialize(initialization, new Random(seed));
    }

    private MultilayerPerceptron(int[] sizes, Activation activation, OutputLoss output, double[] parameters)
    {
        this.sizes = sizes;
        unitCount = sizes.Skip(1).Sum();
        widest = sizes.Max();
        Activation = activation;
        Output = output;
        Parameters = parameters;
    }

    /// <summary>The number of units of each layer, input and output included.</summary>
    public IReadOnlyList<int> LayerSizes => sizes;

    /// <summary>The hidden layers' activation.</summary>
    public Activation Activation { get; }

    /// <summary>The output layer and its loss.</summary>
    public OutputLoss Output { get; }

    /// <summary>All weights and biases (see the class's remarks for the layout).</summary>
    public double[] Parameters { get; }

    /// <summary>The number of features a sample has.</summary>
    public int InputCount => sizes[0];

    /// <summary>The number of classes.</summary>
    public int OutputCount => sizes[^1];

    /// <summary>The number of weights and biases of a network with these layer sizes.</summary>
    public static int ParameterCount(IReadOnlyList<int> layerSizes)
    {
        int count = 0;
        for (int l = 0; l + 1 < layerSizes.Count; l++) count += layerSizes[l + 1] * (layerSizes[l] + 1);
        return count;
    }

    /// <summary>
    /// Trains the network on <paramref name="data"/> (the samples' features and class labels), holding out a validation
    /// part as <paramref name="options"/> says.
    /// </summary>
    public TrainingHistory Fit(Dataset data, TrainingOptions? options = null, IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckData(data);
        options ??= new TrainingOptions();
        var features = data.Features;
        var labels = data.Labels;
        var targets = Output == OutputLoss.SquaredError ? OneHot(labels, OutputCount) : Array.Empty<double>();
        int columns = data.Columns;
        int outputs = OutputCount;
        ParallelGradient.SampleBackward backward = (sample, seed, gradient) => Losses.PerceptronSampleBackward(Parameters, features, sample * columns,
            sizes, unitCount, (int)Activation, (int)Output, labels[sample], targets, sample * outputs, seed, gradient);
        MiniBatchTrainer.Penalty? penalty = options.L2 > 0
            ? (parameters, gradient) => Losses.PerceptronPenaltyBackward(parameters, sizes, options.L2, 1.0, gradient)
            : null;
        return MiniBatchTrainer.Train(Parameters, data.Rows, backward, samples => Score(data, samples, targets), options, progress, cancellationToken, penalty);
    }

    /// <summary>The mean training loss over <paramref name="data"/> (the quantity <see cref="Fit"/> minimises).</summary>
    public double Loss(Dataset data)
    {
        CheckData(data);
        var all = Enumerable.Range(0, data.Rows).ToArray();
        var targets = Output == OutputLoss.SquaredError ? OneHot(data.Labels, OutputCount) : Array.Empty<double>();
        return Score(data, all, targets).Loss;
    }

    /// <summary>The class with the highest output for one sample's features.</summary>
    public int Predict(ReadOnlySpan<double> features)
    {
        Span<double> outputs = stackalloc double[OutputCount];
        Forward(features, outputs);
        return TensorPrimitives.IndexOfMax(outputs);
    }

    /// <summary>The predicted class of each sample of <paramref name="data"/>.</summary>
    public int[] Predict(Dataset data)
    {
        if (data.Columns != InputCount) throw new ArgumentException($"The data has {data.Columns} features; the network takes {InputCount}.", nameof(data));
        var predictions = new int[data.Rows];
        for (int i = 0; i < data.Rows; i++) predictions[i] = Predict(data.Row(i));
        return predictions;
    }

    /// <summary>
    /// The class probabilities for one sample (softmax outputs); with squared error, the outputs themselves, which
    /// approximate them.
    /// </summary>
    public double[] PredictProbabilities(ReadOnlySpan<double> features)
    {
        var outputs = new double[OutputCount];
        Forward(features, outputs);
        if (Output == OutputLoss.SoftmaxCrossEntropy) TensorPrimitives.SoftMax(outputs, outputs);
        return outputs;
    }

    /// <summary>
    /// The forward pass for prediction, vectorised, without the loss: the output layer's values (logits for softmax).
    /// Tests check it against <see cref="Losses.PerceptronSample"/>, which training differentiates.
    /// </summary>
    public void Forward(ReadOnlySpan<double> features, Span<double> outputs)
    {
        if (features.Length != InputCount) throw new ArgumentException($"A sample has {InputCount} features; {features.Length} given.", nameof(features));
        if (outputs.Length != OutputCount) throw new ArgumentException($"The network has {OutputCount} outputs; {outputs.Length} given.", nameof(outputs));
        // Two layers' worth of units, rented: prediction runs once per sample and should not allocate.
        var first = ArrayPool<double>.Shared.Rent(widest);
        var second = ArrayPool<double>.Shared.Rent(widest);
        try
        {
            var (current, next) = (first, second);
            features.CopyTo(current);
            int offset = 0;
            for (int l = 0; l + 1 < sizes.Length; l++)
            {
                int fanIn = sizes[l];
                int fanOut = sizes[l + 1];
                bool activate = l + 2 < sizes.Length || Output == OutputLoss.SquaredError;
                var input = current.AsSpan(0, fanIn);
                for (int j = 0; j < fanOut; j++)
                {
                    double z = Parameters[offset + fanOut * fanIn + j] + TensorPrimitives.Dot(Parameters.AsSpan(offset + j * fanIn, fanIn), input);
                    next[j] = activate ? Losses.Activate(z, (int)Activation) : z;
                }
                offset += fanOut * (fanIn + 1);
                (current, next) = (next, current);
            }
            current.AsSpan(0, OutputCount).CopyTo(outputs);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(first);
            ArrayPool<double>.Shared.Return(second);
        }
    }

    /// <summary>The model kind written into model files.</summary>
    public const string ModelKind = "AutoDiff.MultilayerPerceptron";

    /// <summary>Saves the network (layer sizes, activation, output and parameters) to a model file (see docs/model-file-format.md).</summary>
    public void Save(string path) => ModelFile.Save(path, ToModelData());

    /// <summary>The network as model-file contents.</summary>
    public ModelData ToModelData() => new(ModelKind,
        new Dictionary<string, string>
        {
            ["layers"] = string.Join(",", sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))),
            ["activation"] = Activation.ToString(),
            ["output"] = Output.ToString(),
        },
        new Dictionary<string, double[]> { ["parameters"] = (double[])Parameters.Clone() });

    /// <summary>Loads a network saved by <see cref="Save"/>; a file of another kind or with inconsistent contents is refused.</summary>
    public static MultilayerPerceptron Load(string path) => FromModelData(ModelFile.Load(path), path);

    /// <summary>A network from model-file contents; <paramref name="source"/> names them in errors.</summary>
    public static MultilayerPerceptron FromModelData(ModelData data, string source)
    {
        if (data.Kind != ModelKind) throw new InvalidDataException($"{source}: holds a '{data.Kind}', not a {ModelKind}.");
        string Get(string key) => data.Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{source}: the metadata has no '{key}'.");
        int[] layerSizes;
        try
        {
            layerSizes = Get("layers").Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{source}: the layer sizes '{Get("layers")}' are not a list of numbers.");
        }
        if (layerSizes.Length < 2 || layerSizes.Any(s => s < 1)) throw new InvalidDataException($"{source}: the layer sizes '{Get("layers")}' do not describe a network.");
        if (!Enum.TryParse<Activation>(Get("activation"), out var activation)) throw new InvalidDataException($"{source}: unknown activation '{Get("activation")}'.");
        if (!Enum.TryParse<OutputLoss>(Get("output"), out var output)) throw new InvalidDataException($"{source}: unknown output '{Get("output")}'.");
        if (!data.Parameters.TryGetValue("parameters", out var parameters)) throw new InvalidDataException($"{source}: there are no parameters.");
        if (parameters.Length != ParameterCount(layerSizes))
        {
            throw new InvalidDataException($"{source}: {parameters.Length} parameters, but layers {Get("layers")} need {ParameterCount(layerSizes)}.");
        }
        return new MultilayerPerceptron(layerSizes, activation, output, (double[])parameters.Clone());
    }

    /// <summary>The mean loss and the accuracy on some samples, from one prediction forward pass per sample.</summary>
    private (double Loss, double Accuracy) Score(Dataset data, int[] samples, double[] targets)
    {
        var outputs = new double[OutputCount];
        double loss = 0;
        int correct = 0;
        foreach (int sample in samples)
        {
            Forward(data.Row(sample), outputs);
            int label = data.Labels[sample];
            if (Output == OutputLoss.SoftmaxCrossEntropy)
            {
                loss += Primitives.VectorMath.LogSumExp(outputs, 0, outputs.Length) - outputs[label];
            }
            else
            {
                for (int k = 0; k < outputs.Length; k++)
                {
                    double difference = targets[sample * OutputCount + k] - outputs[k];
                    loss += 0.5 * difference * difference;
                }
            }
            if (TensorPrimitives.IndexOfMax<double>(outputs) == label) correct++;
        }
        return (loss / samples.Length, (double)correct / samples.Length);
    }

    private void Initialize(WeightInitialization initialization, Random random)
    {
        int offset = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int fanIn = sizes[l];
            int fanOut = sizes[l + 1];
            var weights = Parameters.AsSpan(offset, fanIn * fanOut);
            var biases = Parameters.AsSpan(offset + fanIn * fanOut, fanOut);
            switch (initialization)
            {
                case WeightInitialization.He:
                    Initializers.He(weights, fanIn, random);
                    break;
                case WeightInitialization.NguyenWidrow:
                {
                    // Initializers lays weights out inputs × neurons; this network keeps one row per neuron.
                    var byInput = new double[fanIn * fanOut];
                    Initializers.NguyenWidrow(byInput, biases, fanIn, fanOut, random);
                    for (int i = 0; i < fanIn; i++)
                    {
                        for (int j = 0; j < fanOut; j++) weights[j * fanIn + i] = byInput[i * fanOut + j];
                    }
                    break;
                }
                default:
                    Initializers.Glorot(weights, fanIn, fanOut, random);
                    break;
            }
            offset += fanOut * (fanIn + 1);
        }
    }

    private void CheckData(Dataset data)
    {
        if (data.Columns != InputCount) throw new ArgumentException($"The data has {data.Columns} features; the network takes {InputCount}.", nameof(data));
        foreach (int label in data.Labels)
        {
            if (label < 0 || label >= OutputCount) throw new ArgumentException($"Label {label} is outside 0..{OutputCount - 1}, the network's classes.", nameof(data));
        }
    }

    private static double[] OneHot(int[] labels, int classes)
    {
        var targets = new double[labels.Length * classes];
        for (int i = 0; i < labels.Length; i++) targets[i * classes + labels[i]] = 1;
        return targets;
    }
}
