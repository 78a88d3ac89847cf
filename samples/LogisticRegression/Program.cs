// Logistic regression trained on the gradients and Hessian-vector products AutoDiff generated for the runtime's
// [Differentiable] loss (AutoDiff.Models.Losses.BinaryLogistic):
//  1. the Theano tutorial's experiment: 400 random samples of 784 features with random 0/1 labels, N(0, 1) initial
//     weights, 10,000 steps of gradient descent with step 0.1 and L2 0.01; it must fit its training set;
//  2. breast cancer (UCI), standardised, trained with Newton-CG (the way LIBLINEAR does), tested on a held-out quarter.
//
//   dotnet run --project samples/LogisticRegression -c Release [-- --steps N]
using System.Diagnostics;
using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Metrics;
using AutoDiff.Models;

int steps = args.Length == 2 && args[0] == "--steps" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;

// 1. The tutorial's experiment.
const int Samples = 400, Features = 784;
var random = new Random(1234);
var features = new double[Samples * Features];
for (int i = 0; i < features.Length; i++) features[i] = Gaussian(random);
var labels = Enumerable.Range(0, Samples).Select(_ => random.Next(2)).ToArray();
var randomData = new Dataset(features, Samples, Features, labels, classCount: 2);
var initial = new double[Features + 1];
for (int j = 0; j < Features; j++) initial[j] = Gaussian(random);   // N(0, 1) weights, bias 0

var model = new LogisticRegression();
double initialLoss = LogisticRegression.Objective(randomData, 0.01)(initial, new double[initial.Length]);
var clock = Stopwatch.StartNew();
var result = model.Fit(randomData, new LogisticRegressionOptions { Solver = LogisticSolver.GradientDescent, Steps = steps, LearningRate = 0.1, L2 = 0.01, InitialParameters = initial });
double seconds = clock.Elapsed.TotalSeconds;
double trainingAccuracy = Classification.Accuracy(labels, model.Predict(randomData));
Console.WriteLine($"Tutorial: {Samples} random samples x {Features} features, random labels, N(0,1) initial weights.");
Console.WriteLine($"  initial cost {initialLoss:F4} (finite: the loss is computed as softplus(z) - y*z, not log(sigmoid))");
Console.WriteLine($"  {steps:N0} gradient steps of 0.1 with L2 0.01 in {seconds:F2} s ({1000 * seconds / steps:F3} ms per step): final cost {result.Value:F4}");
Console.WriteLine($"  training accuracy {trainingAccuracy:P2}");

// 2. Breast cancer with Newton-CG.
var all = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv"));
var (train, test) = all.Split(testFraction: 0.25, seed: 1, stratify: true);
var scaler = new Standardizer().Fit(train);
train = scaler.Transform(train);
test = scaler.Transform(test);
var cancer = new LogisticRegression();
clock.Restart();
var fit = cancer.Fit(train, new LogisticRegressionOptions { Solver = LogisticSolver.NewtonCg, L2 = 0.01 });
var predictions = cancer.Predict(test);
double testAccuracy = Classification.Accuracy(test.Labels, predictions);
Console.WriteLine();
Console.WriteLine($"Breast cancer: {train.Rows} training and {test.Rows} test samples, {all.Columns} standardised features.");
Console.WriteLine($"  Newton-CG: {fit.Iterations} iterations, {fit.HessianVectorProducts} Hessian-vector products, {fit.StopReason}, {clock.Elapsed.TotalMilliseconds:F0} ms; cost {fit.Value:F4}");
Console.WriteLine($"  test accuracy {testAccuracy:P2}, log-loss {Classification.LogLoss(test.Labels, Probabilities(cancer, test)):F4}");
Console.WriteLine(new ConfusionMatrix(test.Labels, predictions, 2, all.ClassNames).ToString());
Console.WriteLine($"RESULT tutorialTrainingAccuracy={trainingAccuracy.ToString("F4", CultureInfo.InvariantCulture)} cancerTestAccuracy={testAccuracy.ToString("F4", CultureInfo.InvariantCulture)}");
return trainingAccuracy == 1.0 && testAccuracy >= 0.96 ? 0 : 1;

static double Gaussian(Random random)
{
    // Box–Muller.
    double u = 1.0 - random.NextDouble();
    double v = random.NextDouble();
    return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
}

static double[] Probabilities(LogisticRegression model, Dataset data)
{
    var probabilities = new double[data.Rows * 2];
    for (int i = 0; i < data.Rows; i++) model.PredictProbabilities(data.Row(i)).CopyTo(probabilities, 2 * i);
    return probabilities;
}
