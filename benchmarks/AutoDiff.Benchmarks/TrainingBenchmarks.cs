using AutoDiff.Data;
using AutoDiff.Metrics;
using AutoDiff.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoDiff.Benchmarks;

/// <summary>The training set-ups, shared by the benchmarks and by the accuracy report Program prints before them.</summary>
public static class Training
{
    /// <summary>MNIST split as the main sample splits it: 8,000 training and 2,000 test images (stratified, seed 1).</summary>
    public static (Dataset Train, Dataset Test) MnistSplit() => Problems.Mnist().Split(testFraction: 0.2, seed: 1, stratify: true);

    /// <summary>One epoch of the MNIST MLP: 784-128-10 ReLU, He (seed 1), Adam 1e-3, batches of 64, no validation split.</summary>
    public static MultilayerPerceptron MnistEpoch(Dataset train)
    {
        var network = new MultilayerPerceptron([784, 128, 10], Activation.Relu, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.He, seed: 1);
        network.Fit(train, new TrainingOptions { Epochs = 1, BatchSize = 64, Optimizer = () => new Adam(1e-3), Seed = 1, ValidationFraction = 0, Patience = 0 });
        return network;
    }

    /// <summary>The tutorial's 10,000 gradient steps (step 0.1, L2 0.01) from N(0, 1) weights, as samples/LogisticRegression runs them.</summary>
    public static LogisticRegression Tutorial(Problems.Logistic p, int steps = 10_000)
    {
        var model = new LogisticRegression();
        model.Fit(p.ToDataset(), new LogisticRegressionOptions
        {
            Solver = LogisticSolver.GradientDescent, Steps = steps, LearningRate = 0.1, L2 = p.L2, InitialParameters = (double[])p.Parameters.Clone(),
        });
        return model;
    }

    /// <summary>Breast cancer (UCI), stratified 75/25 split (seed 1), standardised on the training part, as samples/LogisticRegression.</summary>
    public static (Dataset Train, Dataset Test) BreastCancer()
    {
        var all = CsvDataset.Load(Problems.DataFile("breast_cancer.csv"));
        var (train, test) = all.Split(testFraction: 0.25, seed: 1, stratify: true);
        var scaler = new Standardizer().Fit(train);
        return (scaler.Transform(train), scaler.Transform(test));
    }

    public static LogisticRegression AutoDiffLogistic(Dataset train, LogisticSolver solver)
    {
        var model = new LogisticRegression();
        model.Fit(train, new LogisticRegressionOptions { Solver = solver, L2 = 0.01 });
        return model;
    }

    /// <summary>A row as ML.NET reads it (ML.NET trains in float32).</summary>
    public sealed class Row
    {
        [VectorType(30)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public static IDataView ToDataView(MLContext ml, Dataset data)
    {
        var rows = new List<Row>(data.Rows);
        for (int i = 0; i < data.Rows; i++)
        {
            var features = new float[data.Columns];
            var source = data.Row(i);
            for (int j = 0; j < features.Length; j++) features[j] = (float)source[j];
            rows.Add(new Row { Features = features, Label = data.Labels[i] == 1 });
        }
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows));
    }

    /// <summary>ML.NET's binary logistic regression trainers, with their defaults.</summary>
    public static ITransformer MlNet(MLContext ml, IDataView train, bool sdca)
        => sdca
            ? ml.BinaryClassification.Trainers.SdcaLogisticRegression(labelColumnName: "Label", featureColumnName: "Features").Fit(train)
            : ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: "Label", featureColumnName: "Features").Fit(train);

    public static double MlNetAccuracy(MLContext ml, ITransformer model, IDataView test)
        => ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(test), labelColumnName: "Label").Accuracy;

    public static double Accuracy(LogisticRegression model, Dataset test) => Classification.Accuracy(test.Labels, model.Predict(test));

    public static double Accuracy(MultilayerPerceptron model, Dataset test) => Classification.Accuracy(test.Labels, model.Predict(test));
}

/// <summary>One epoch of the MNIST MLP with the runtime (MultilayerPerceptron.Fit on both cores).</summary>
[Config(typeof(SlowConfig))]
public class MnistTrainingBenchmarks
{
    private Dataset train = null!;

    [GlobalSetup]
    public void Setup() => train = Training.MnistSplit().Train;

    [Benchmark(Baseline = true)]
    public MultilayerPerceptron MlpEpoch() => Training.MnistEpoch(train);
}

/// <summary>The tutorial's logistic regression, 10,000 steps of gradient descent on the generated gradient.</summary>
[Config(typeof(SlowConfig))]
public class TutorialTrainingBenchmarks
{
    private Problems.Logistic p = null!;

    [GlobalSetup]
    public void Setup() => p = Problems.Tutorial();

    [Benchmark(Baseline = true)]
    public LogisticRegression Logistic10kSteps() => Training.Tutorial(p);
}

/// <summary>Breast cancer: the runtime's logistic regression (L-BFGS, Newton-CG) against ML.NET's L-BFGS and SDCA trainers (each fit takes milliseconds: the fast job).</summary>
[Config(typeof(FastConfig))]
public class BreastCancerBenchmarks
{
    private Dataset train = null!;
    private MLContext ml = null!;
    private IDataView view = null!;

    [GlobalSetup]
    public void Setup()
    {
        train = Training.BreastCancer().Train;
        ml = new MLContext(seed: 1);
        view = Training.ToDataView(ml, train);
        Training.MlNet(ml, view, sdca: false);   // the cache fills on the first pass
    }

    [Benchmark(Baseline = true)]
    public LogisticRegression AutoDiffLbfgs() => Training.AutoDiffLogistic(train, LogisticSolver.Lbfgs);

    [Benchmark]
    public LogisticRegression AutoDiffNewtonCg() => Training.AutoDiffLogistic(train, LogisticSolver.NewtonCg);

    [Benchmark]
    public ITransformer MlNetLbfgs() => Training.MlNet(ml, view, sdca: false);

    [Benchmark]
    public ITransformer MlNetSdca() => Training.MlNet(ml, view, sdca: true);
}
