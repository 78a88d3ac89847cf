using AutoDiff.Benchmarks.Cases;
using AutoDiff.Data;
using AutoDiff.Models;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

// Every class measures, side by side in one run: the objective (the baseline, so Ratio = time / objective's time), the
// generated gradient (FBackward into a buffer the benchmark zeroes, as a caller does), a hand-written gradient, forward
// mode along one direction (FTangent), central differences for the full gradient where 2·P evaluations fit the run,
// and the Hessian-vector product (FBackwardTangent with seed 1 and the direction as the parameters' tangent, into
// buffers the benchmark zeroes: what FHessianVector does, without allocating its result).

/// <summary>Rosenbrock in n dimensions, with arrays and a loop.</summary>
[Config(typeof(FastConfig))]
public class RosenbrockBenchmarks
{
    [Params(2, 100, 10_000)]
    public int N;

    private double[] x = [], gradient = [], direction = [], hv = [];

    [GlobalSetup]
    public void Setup()
    {
        x = Rosenbrock.Start(N);
        gradient = new double[N];
        hv = new double[N];
        direction = Problems.Direction(N, seed: 3);
    }

    [Benchmark(Baseline = true)]
    public double Objective() => Rosenbrock.Value(x);

    [Benchmark]
    public double GeneratedGradient()
    {
        Array.Clear(gradient);
        return Rosenbrock.ValueBackward(x, 1.0, gradient);
    }

    [Benchmark]
    public double HandGradient() => Rosenbrock.HandGradient(x, gradient);

    [Benchmark]
    public double ForwardTangent() => Rosenbrock.ValueTangent(x, direction, out double tangent) + tangent;

    [Benchmark]
    public double CentralDifferences() => FiniteDifferences.Gradient(x, gradient, Rosenbrock.Value);

    [Benchmark]
    public double HessianVector()
    {
        Array.Clear(gradient);
        Array.Clear(hv);
        return Rosenbrock.ValueBackwardTangentConstantSeed(x, 1.0, gradient, direction, hv, out _);
    }
}

/// <summary>The tutorial's logistic regression: 400 random samples × 784 features, the runtime's BinaryLogistic.</summary>
[Config(typeof(FastConfig))]
public class LogisticBenchmarks
{
    private Problems.Logistic p = null!;
    private double[] gradient = [], direction = [], hv = [];

    [GlobalSetup]
    public void Setup()
    {
        p = Problems.Tutorial();
        gradient = new double[p.Parameters.Length];
        hv = new double[p.Parameters.Length];
        direction = Problems.Direction(p.Parameters.Length, seed: 5);
    }

    [Benchmark(Baseline = true)]
    public double Objective() => Losses.BinaryLogistic(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2);

    [Benchmark]
    public double GeneratedGradient()
    {
        Array.Clear(gradient);
        return Losses.BinaryLogisticBackward(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, 1.0, gradient);
    }

    [Benchmark]
    public double HandGradient() => HandLogistic.Gradient(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, gradient);

    [Benchmark]
    public double ForwardTangent()
        => Losses.BinaryLogisticTangent(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, direction, out double tangent) + tangent;

    [Benchmark]
    public double CentralDifferences()
        => FiniteDifferences.Gradient(p.Parameters, gradient, w => Losses.BinaryLogistic(w, p.Features, p.Labels, p.Rows, p.Columns, p.L2));

    [Benchmark]
    public double HessianVector()
    {
        Array.Clear(gradient);
        Array.Clear(hv);
        return Losses.BinaryLogisticBackwardTangentConstantSeed(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, 1.0, gradient, direction, hv, out _);
    }

    /// <summary>The public wrapper Newton-CG calls: allocates its two result-sized buffers each call.</summary>
    [Benchmark]
    public double HessianVectorWrapper() => Losses.BinaryLogisticHessianVector(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, direction)[0];
}

/// <summary>
/// The MNIST MLP's loss, 784-128-10 (ReLU, softmax cross-entropy), mean over a batch of 64, through the runtime's
/// PerceptronSample and its generated pullback, sample by sample as the trainer calls them. Central differences would
/// take 2 × 101,770 batch evaluations (minutes): not run; docs/benchmarks.md derives their cost from the objective's.
/// </summary>
[Config(typeof(FastConfig))]
public class PerceptronBenchmarks
{
    private Problems.Perceptron p = null!;
    private HandPerceptron hand = null!;
    private double[] gradient = [], direction = [], hv = [];

    [GlobalSetup]
    public void Setup()
    {
        p = Problems.MnistBatch();
        hand = new HandPerceptron(784, 128, 10);
        gradient = new double[p.Parameters.Length];
        hv = new double[p.Parameters.Length];
        direction = Problems.Direction(p.Parameters.Length, seed: 9);
    }

    [Benchmark(Baseline = true)]
    public double Objective() => p.Loss(p.Parameters);

    [Benchmark]
    public double GeneratedGradient()
    {
        Array.Clear(gradient);
        return p.Backward(gradient);
    }

    [Benchmark]
    public double HandGradient()
    {
        Array.Clear(gradient);
        return hand.Backward(p.Parameters, p.Features, p.Labels, p.Batch, 1.0 / p.Batch.Length, gradient);
    }

    [Benchmark]
    public double ForwardTangent() => p.Tangent(direction);

    [Benchmark]
    public double HessianVector()
    {
        Array.Clear(gradient);
        Array.Clear(hv);
        return p.BackwardTangent(gradient, direction, hv);
    }
}

/// <summary>
/// ADBench's GMM objective, n = 1,000 points, at the small end of ADBench's (d, K) grid. Central differences (2 × 1,650
/// objective evaluations for d = 10, K = 25: seconds a call) are in <see cref="GmmSlowBenchmarks"/>.
/// </summary>
[Config(typeof(FastConfig))]
public class GmmBenchmarks
{
    [Params("d=2,K=5", "d=10,K=25")]
    public string Shape = "d=2,K=5";

    private Gmm.Problem p = null!;
    private double[] dAlphas = [], dMeans = [], dIcf = [], vAlphas = [], vMeans = [], vIcf = [], hvAlphas = [], hvMeans = [], hvIcf = [];

    [GlobalSetup]
    public void Setup()
    {
        p = Problems.GmmProblem(Shape);
        dAlphas = new double[p.Alphas.Length];
        dMeans = new double[p.Means.Length];
        dIcf = new double[p.Icf.Length];
        hvAlphas = new double[p.Alphas.Length];
        hvMeans = new double[p.Means.Length];
        hvIcf = new double[p.Icf.Length];
        vAlphas = Problems.Direction(p.Alphas.Length, seed: 21);
        vMeans = Problems.Direction(p.Means.Length, seed: 22);
        vIcf = Problems.Direction(p.Icf.Length, seed: 23);
    }

    [Benchmark(Baseline = true)]
    public double Objective() => p.Value();

    [Benchmark]
    public double GeneratedGradient()
    {
        Array.Clear(dAlphas);
        Array.Clear(dMeans);
        Array.Clear(dIcf);
        return Gmm.ObjectiveBackward(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, 1.0, dAlphas, dMeans, dIcf);
    }

    [Benchmark]
    public double HandGradient()
        => Gmm.HandGradient(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, dAlphas, dMeans, dIcf);

    [Benchmark]
    public double ForwardTangent()
        => Gmm.ObjectiveTangent(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, vAlphas, vMeans, vIcf, out double t) + t;

    [Benchmark]
    public double HessianVector()
    {
        Array.Clear(dAlphas);
        Array.Clear(dMeans);
        Array.Clear(dIcf);
        Array.Clear(hvAlphas);
        Array.Clear(hvMeans);
        Array.Clear(hvIcf);
        return Gmm.ObjectiveBackwardTangentConstantSeed(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, 1.0,
            dAlphas, dMeans, dIcf, vAlphas, vMeans, vIcf, hvAlphas, hvMeans, hvIcf, out _);
    }
}

/// <summary>Central differences for the GMM's full gradient: slow enough for the monitoring job (reported with the GMM case).</summary>
[Config(typeof(SlowConfig))]
public class GmmSlowBenchmarks
{
    [Params("d=2,K=5", "d=10,K=25")]
    public string Shape = "d=2,K=5";

    private double[] flat = [], flatGradient = [];
    private Func<double[], double> objective = null!;

    [GlobalSetup]
    public void Setup()
    {
        var p = Problems.GmmProblem(Shape);
        flat = [.. p.Alphas, .. p.Means, .. p.Icf];
        flatGradient = new double[flat.Length];
        objective = Problems.GmmFlat(p);
    }

    [Benchmark]
    public double CentralDifferences() => FiniteDifferences.Gradient(flat, flatGradient, objective);
}

/// <summary>A 10,000-step recurrence with data-dependent branches: the tape's worst case.</summary>
[Config(typeof(FastConfig))]
public class RecurrenceBenchmarks
{
    public const int Steps = 10_000;
    private double[] p = [], data = [], gradient = new double[4], direction = [], hv = new double[4];

    [GlobalSetup]
    public void Setup()
    {
        (p, data) = Recurrence.Create(Steps);
        direction = Problems.Direction(4, seed: 13);
    }

    [Benchmark(Baseline = true)]
    public double Objective() => Recurrence.Value(p, data, Steps);

    [Benchmark]
    public double GeneratedGradient()
    {
        Array.Clear(gradient);
        return Recurrence.ValueBackward(p, data, Steps, 1.0, gradient);
    }

    [Benchmark]
    public double HandGradient() => Recurrence.HandGradient(p, data, Steps, gradient);

    [Benchmark]
    public double ForwardTangent() => Recurrence.ValueTangent(p, data, Steps, direction, out double tangent) + tangent;

    [Benchmark]
    public double CentralDifferences() => FiniteDifferences.Gradient(p, gradient, q => Recurrence.Value(q, data, Steps));

    [Benchmark]
    public double HessianVector()
    {
        Array.Clear(gradient);
        Array.Clear(hv);
        return Recurrence.ValueBackwardTangentConstantSeed(p, data, Steps, 1.0, gradient, direction, hv, out _);
    }
}
