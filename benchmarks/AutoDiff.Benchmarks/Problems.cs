using AutoDiff.Benchmarks.Cases;
using AutoDiff.Data;
using AutoDiff.Models;

namespace AutoDiff.Benchmarks;

/// <summary>The benchmarks' data, all seeded: the same in the self-check and in every BenchmarkDotNet process.</summary>
public static class Problems
{
    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>A unit direction with seeded N(0, 1) components.</summary>
    public static double[] Direction(int n, int seed)
    {
        var random = new Random(seed);
        var v = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            v[i] = Gaussian(random);
            norm += v[i] * v[i];
        }
        norm = Math.Sqrt(norm);
        for (int i = 0; i < n; i++) v[i] /= norm;
        return v;
    }

    public static double Gaussian(Random random)
    {
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    public sealed record Logistic(double[] Parameters, double[] Features, int[] Labels, int Rows, int Columns, double L2)
    {
        public Dataset ToDataset() => new(Features, Rows, Columns, Labels, classCount: 2);
    }

    /// <summary>
    /// The tutorial's experiment, as samples/LogisticRegression builds it: 400 samples of 784 N(0, 1) features, random 0/1
    /// labels, N(0, 1) initial weights and a zero bias (seed 1234), L2 0.01.
    /// </summary>
    public static Logistic Tutorial()
    {
        const int rows = 400, columns = 784;
        var random = new Random(1234);
        var features = new double[rows * columns];
        for (int i = 0; i < features.Length; i++) features[i] = Gaussian(random);
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(2)).ToArray();
        var parameters = new double[columns + 1];
        for (int j = 0; j < columns; j++) parameters[j] = Gaussian(random);
        return new Logistic(parameters, features, labels, rows, columns, 0.01);
    }

    private static Dataset? mnist;

    /// <summary>The 10,000 MNIST test images shipped in samples/data (pixels scaled to [0, 1] by the loader).</summary>
    public static Dataset Mnist() => mnist ??= MnistDataset.Load(DataFile("mnist-t10k-images-idx3-ubyte.gz"), DataFile("mnist-t10k-labels-idx1-ubyte.gz"));

    /// <summary>A 784-128-10 ReLU network (He initialisation, seed 1) and a seeded batch of 64 MNIST images.</summary>
    public sealed class Perceptron
    {
        private static readonly int[] Sizes = [784, 128, 10];
        private const int UnitCount = 138;
        private const int Relu = (int)Activation.Relu;
        private const int Softmax = (int)OutputLoss.SoftmaxCrossEntropy;

        public double[] Parameters { get; }
        public double[] Features { get; }
        public int[] Labels { get; }
        public int[] Batch { get; }

        public Perceptron(Dataset data, int batchSize, int seed)
        {
            Parameters = new MultilayerPerceptron(Sizes, Activation.Relu, OutputLoss.SoftmaxCrossEntropy, WeightInitialization.He, seed: 1).Parameters;
            Features = data.Features;
            Labels = data.Labels;
            var random = new Random(seed);
            Batch = Enumerable.Range(0, data.Rows).OrderBy(_ => random.Next()).Take(batchSize).ToArray();
        }

        /// <summary>The batch's mean loss.</summary>
        public double Loss(double[] parameters)
        {
            double total = 0;
            foreach (int i in Batch) total += Losses.PerceptronSample(parameters, Features, i * 784, Sizes, UnitCount, Relu, Softmax, Labels[i], Features, 0);
            return total / Batch.Length;
        }

        /// <summary>The mean loss; adds its gradient into <paramref name="gradient"/> (one generated pullback per sample, seed 1/64).</summary>
        public double Backward(Span<double> gradient)
        {
            double total = 0, seed = 1.0 / Batch.Length;
            foreach (int i in Batch)
            {
                total += Losses.PerceptronSampleBackward(Parameters, Features, i * 784, Sizes, UnitCount, Relu, Softmax, Labels[i], Features, 0, seed, gradient);
            }
            return total / Batch.Length;
        }

        /// <summary>The mean loss's directional derivative along <paramref name="direction"/>, by the generated forward mode.</summary>
        public double Tangent(double[] direction)
        {
            double total = 0, tangent = 0;
            foreach (int i in Batch)
            {
                total += Losses.PerceptronSampleTangent(Parameters, Features, i * 784, Sizes, UnitCount, Relu, Softmax, Labels[i], Features, 0, direction, out double t);
                tangent += t;
            }
            return (total + tangent) / Batch.Length;
        }

        /// <summary>Adds the gradient into <paramref name="gradient"/> and H·v into <paramref name="hv"/>.</summary>
        public double BackwardTangent(Span<double> gradient, double[] direction, Span<double> hv)
        {
            double total = 0, seed = 1.0 / Batch.Length;
            foreach (int i in Batch)
            {
                total += Losses.PerceptronSampleBackwardTangentConstantSeed(Parameters, Features, i * 784, Sizes, UnitCount, Relu, Softmax, Labels[i], Features, 0,
                    seed, gradient, direction, hv, out _);
            }
            return total / Batch.Length;
        }
    }

    public static Perceptron MnistBatch() => new(Mnist(), batchSize: 64, seed: 42);

    /// <summary>"d=10,K=25" → a seeded GMM problem with 1,000 points.</summary>
    public static Gmm.Problem GmmProblem(string shape)
    {
        var parts = shape.Split(',');
        int d = int.Parse(parts[0].Split('=')[1]), k = int.Parse(parts[1].Split('=')[1]);
        return Gmm.Problem.Create(1000, d, k);
    }

    /// <summary>The GMM objective over its parameters flattened (alphas, means, icf), for finite differences.</summary>
    public static Func<double[], double> GmmFlat(Gmm.Problem p)
    {
        int a = p.Alphas.Length, m = p.Means.Length, c = p.Icf.Length;
        double[] alphas = new double[a], means = new double[m], icf = new double[c];
        return flat =>
        {
            Array.Copy(flat, 0, alphas, 0, a);
            Array.Copy(flat, a, means, 0, m);
            Array.Copy(flat, a + m, icf, 0, c);
            return Gmm.Objective(alphas, means, icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant);
        };
    }
}
