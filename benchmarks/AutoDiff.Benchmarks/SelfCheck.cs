using System.Diagnostics;
using AutoDiff.Benchmarks.Cases;
using AutoDiff.Models;
using Microsoft.CodeAnalysis;
using Microsoft.ML;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Runs before any benchmark: the hand-written gradients must agree with the generated ones, the generated ones with
/// central differences, forward mode with the gradient, H·v with differences of the gradient, and the generator must
/// regenerate one file on a one-method edit. Any mismatch aborts the run (a benchmark of a wrong gradient is
/// worthless). Also trains the models once and prints the accuracies the training benchmarks reach.
/// </summary>
public static class SelfCheck
{
    private static int failures;

    public static bool Run(bool training)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine("Self-check: hand-written vs generated gradients, central differences, forward mode, H·v");
        foreach (int n in new[] { 2, 100, 10_000 }) CheckRosenbrock(n);
        CheckLogistic();
        CheckPerceptron();
        CheckGmm("d=2,K=5", coordinates: int.MaxValue);
        CheckGmm("d=10,K=25", coordinates: 60);
        CheckRecurrence();
        CheckGenerator();
        if (training) ReportTraining();
        Console.WriteLine(failures == 0
            ? $"Self-check passed in {clock.Elapsed.TotalSeconds:F1} s."
            : $"Self-check FAILED: {failures} mismatch(es). Not benchmarking.");
        return failures == 0;
    }

    private static void CheckRosenbrock(int n)
    {
        var x = Rosenbrock.Start(n);
        var generated = new double[n];
        var hand = new double[n];
        double value = Rosenbrock.ValueBackward(x, 1.0, generated);
        double handValue = Rosenbrock.HandGradient(x, hand);
        Same($"Rosenbrock n={n}: value", [handValue], [value], 1e-13);
        Same($"Rosenbrock n={n}: hand-written vs generated gradient", hand, generated, 1e-13);
        var fd = new double[n];
        FiniteDifferences.Gradient(x, fd, Rosenbrock.Value);
        Same($"Rosenbrock n={n}: generated vs central differences", fd, generated, 1e-6);
        CheckTangentAndHv($"Rosenbrock n={n}", x, generated,
            v => { Rosenbrock.ValueTangent(x, v, out double t); return t; },
            (point, g) => { Array.Clear(g); Rosenbrock.ValueBackward(point, 1.0, g); },
            (v, hv) => { var g = new double[n]; Rosenbrock.ValueBackwardTangentConstantSeed(x, 1.0, g, v, hv, out _); });
    }

    private static void CheckLogistic()
    {
        var p = Problems.Tutorial();
        int size = p.Parameters.Length;
        var generated = new double[size];
        var hand = new double[size];
        double value = Losses.BinaryLogisticBackward(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, 1.0, generated);
        double handValue = HandLogistic.Gradient(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, hand);
        Same("Logistic 400x784: value", [handValue], [value], 1e-12);
        Same("Logistic 400x784: hand-written vs generated gradient", hand, generated, 1e-12);
        var fd = new double[size];
        FiniteDifferences.Gradient(p.Parameters, fd, w => Losses.BinaryLogistic(w, p.Features, p.Labels, p.Rows, p.Columns, p.L2));
        Same("Logistic 400x784: generated vs central differences", fd, generated, 1e-6);
        CheckTangentAndHv("Logistic 400x784", p.Parameters, generated,
            v => { Losses.BinaryLogisticTangent(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, v, out double t); return t; },
            (point, g) => { Array.Clear(g); Losses.BinaryLogisticBackward(point, p.Features, p.Labels, p.Rows, p.Columns, p.L2, 1.0, g); },
            (v, hv) => Losses.BinaryLogisticHessianVector(p.Parameters, p.Features, p.Labels, p.Rows, p.Columns, p.L2, v).CopyTo(hv, 0));
    }

    private static void CheckPerceptron()
    {
        var p = Problems.MnistBatch();
        int size = p.Parameters.Length;
        var generated = new double[size];
        var hand = new double[size];
        double value = p.Backward(generated);
        double handValue = new HandPerceptron(784, 128, 10).Backward(p.Parameters, p.Features, p.Labels, p.Batch, 1.0 / p.Batch.Length, hand);
        Same("MLP 784-128-10 batch 64: value", [handValue], [value], 1e-12);
        Same("MLP 784-128-10 batch 64: hand-written vs generated gradient", hand, generated, 1e-12);
        // 2 × 101,770 evaluations would take minutes: check 40 seeded coordinates, half of them in the output layer.
        var random = new Random(5);
        int outputLayer = 128 * 785;
        var coordinates = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? random.Next(outputLayer) : outputLayer + random.Next(size - outputLayer)).ToArray();
        SameAt("MLP 784-128-10 batch 64: generated vs central differences", p.Parameters, coordinates, generated, p.Loss);
        var direction = Problems.Direction(size, seed: 9);
        double tangent = p.Tangent(direction) - value;   // Tangent returns value + tangent
        Same("MLP: forward-mode tangent vs gradient·v", [Dot(generated, direction)], [tangent], 1e-10);
        var hv = new double[size];
        p.BackwardTangent(new double[size], direction, hv);
        // H·v against the difference of gradients along v.
        var g1 = new double[size];
        var g2 = new double[size];
        double h = 1e-5;
        var plus = Shifted(p.Parameters, direction, h);
        var minus = Shifted(p.Parameters, direction, -h);
        var shiftedPlus = new Problems.Perceptron(Problems.Mnist(), 64, 42);
        Array.Copy(plus, shiftedPlus.Parameters, size);
        shiftedPlus.Backward(g1);
        Array.Copy(minus, shiftedPlus.Parameters, size);
        shiftedPlus.Backward(g2);
        var fdHv = new double[size];
        for (int i = 0; i < size; i++) fdHv[i] = (g1[i] - g2[i]) / (2 * h);
        Same("MLP: H·v vs differences of the generated gradient", fdHv, hv, 1e-4);
    }

    private static void CheckGmm(string shape, int coordinates)
    {
        var p = Problems.GmmProblem(shape);
        int a = p.Alphas.Length, m = p.Means.Length, c = p.Icf.Length;
        double[] gA = new double[a], gM = new double[m], gI = new double[c], hA = new double[a], hM = new double[m], hI = new double[c];
        double value = Gmm.ObjectiveBackward(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, 1.0, gA, gM, gI);
        double handValue = Gmm.HandGradient(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, hA, hM, hI);
        Same($"GMM {shape}: value", [handValue], [value], 1e-12);
        double[] generated = [.. gA, .. gM, .. gI], hand = [.. hA, .. hM, .. hI], flat = [.. p.Alphas, .. p.Means, .. p.Icf];
        Same($"GMM {shape}: hand-written vs generated gradient", hand, generated, 1e-10);
        var chosen = coordinates >= flat.Length
            ? Enumerable.Range(0, flat.Length).ToArray()
            : Enumerable.Range(0, coordinates).Select(i => new Random(i).Next(flat.Length)).Concat(Enumerable.Range(0, a)).ToArray();
        SameAt($"GMM {shape}: generated vs central differences ({chosen.Length} of {flat.Length} coordinates)", flat, chosen, generated, Problems.GmmFlat(p));
        var vA = Problems.Direction(a, 21);
        var vM = Problems.Direction(m, 22);
        var vI = Problems.Direction(c, 23);
        Gmm.ObjectiveTangent(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, vA, vM, vI, out double tangent);
        Same($"GMM {shape}: forward-mode tangent vs gradient·v", [Dot(generated, [.. vA, .. vM, .. vI])], [tangent], 1e-10);
        double[] hvA = new double[a], hvM = new double[m], hvI = new double[c];
        Gmm.ObjectiveBackwardTangentConstantSeed(p.Alphas, p.Means, p.Icf, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, 1.0,
            new double[a], new double[m], new double[c], vA, vM, vI, hvA, hvM, hvI, out _);
        double[] v = [.. vA, .. vM, .. vI];
        var fdHv = HvByDifferences(flat, v, (point, g) =>
        {
            Array.Clear(g);
            var (pa, pm, pi) = (point[..a], point[a..(a + m)], point[(a + m)..]);
            double[] ga = new double[a], gm = new double[m], gi = new double[c];
            Gmm.ObjectiveBackward(pa, pm, pi, p.X, p.N, p.D, p.K, p.WishartGamma, p.WishartM, p.Constant, 1.0, ga, gm, gi);
            ga.CopyTo(g, 0);
            gm.CopyTo(g, a);
            gi.CopyTo(g, a + m);
        });
        Same($"GMM {shape}: H·v vs differences of the generated gradient", fdHv, [.. hvA, .. hvM, .. hvI], 1e-5);
    }

    private static void CheckRecurrence()
    {
        const int steps = RecurrenceBenchmarks.Steps;
        var (p, data) = Recurrence.Create(steps);
        var generated = new double[4];
        var hand = new double[4];
        double value = Recurrence.ValueBackward(p, data, steps, 1.0, generated);
        double handValue = Recurrence.HandGradient(p, data, steps, hand);
        Same("Recurrence 10,000 steps: value", [handValue], [value], 1e-13);
        Same("Recurrence 10,000 steps: hand-written vs generated gradient", hand, generated, 1e-10);
        var fd = new double[4];
        FiniteDifferences.Gradient(p, fd, q => Recurrence.Value(q, data, steps));
        Same("Recurrence 10,000 steps: generated vs central differences", fd, generated, 1e-5);
        CheckTangentAndHv("Recurrence 10,000 steps", p, generated,
            v => { Recurrence.ValueTangent(p, data, steps, v, out double t); return t; },
            (point, g) => { Array.Clear(g); Recurrence.ValueBackward(point, data, steps, 1.0, g); },
            (v, hv) => Recurrence.ValueBackwardTangentConstantSeed(p, data, steps, 1.0, new double[4], v, hv, out _));
    }

    private static void CheckGenerator()
    {
        var trees = Enumerable.Range(0, SyntheticProject.Files).Select(f => SyntheticProject.Parse(SyntheticProject.File(f), f)).ToArray();
        var compilation = SyntheticProject.Compile(trees);
        var driver = SyntheticProject.Driver(track: true).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        var errorList = diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        int errors = errorList.Count;
        foreach (var error in errorList.Take(3)) Console.WriteLine($"       {error}");
        Expect($"Generator: 500 methods give 500 files ({result.GeneratedSources.Length}) and compile without error ({errors})",
            result.GeneratedSources.Length == 500 && errors == 0);
        var edited = SyntheticProject.Parse(SyntheticProject.File(17, edit: 1), 17);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(trees[17], edited));
        var emitted = driver.GetRunResult().Results.Single().TrackedSteps["Emitted"].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        int modified = emitted.Count(r => r == IncrementalStepRunReason.Modified || r == IncrementalStepRunReason.New);
        Expect($"Generator: an edit of one method regenerates one file ({modified} of {emitted.Count} re-emitted)", modified == 1);
        foreach (var step in new[] { "Lowered", "Accepted", "Emitted" })
        {
            var reasons = driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).GroupBy(o => o.Reason)
                .Select(g => $"{g.Count()} {g.Key}");
            Console.WriteLine($"       after the edit, step {step}: {string.Join(", ", reasons)}");
        }
    }

    private static void ReportTraining()
    {
        Console.WriteLine("Training (each once, for the accuracies; the benchmarks time them):");
        var clock = Stopwatch.StartNew();
        var (mnistTrain, mnistTest) = Training.MnistSplit();
        var network = Training.MnistEpoch(mnistTrain);
        Console.WriteLine($"  MNIST MLP, 1 epoch (AutoDiff): test accuracy {Training.Accuracy(network, mnistTest):P2} ({clock.Elapsed.TotalSeconds:F2} s once)");
        clock.Restart();
        var tutorial = Problems.Tutorial();
        var model = Training.Tutorial(tutorial);
        Console.WriteLine($"  Tutorial logistic regression, 10,000 steps (AutoDiff): training accuracy {Training.Accuracy(model, tutorial.ToDataset()):P2} ({clock.Elapsed.TotalSeconds:F2} s once)");
        var (train, test) = Training.BreastCancer();
        var lbfgs = Training.AutoDiffLogistic(train, LogisticSolver.Lbfgs);
        var newton = Training.AutoDiffLogistic(train, LogisticSolver.NewtonCg);
        var ml = new MLContext(seed: 1);
        var trainView = Training.ToDataView(ml, train);
        var testView = Training.ToDataView(ml, test);
        double mlLbfgs = Training.MlNetAccuracy(ml, Training.MlNet(ml, trainView, sdca: false), testView);
        double mlSdca = Training.MlNetAccuracy(ml, Training.MlNet(ml, trainView, sdca: true), testView);
        double adLbfgs = Training.Accuracy(lbfgs, test), adNewton = Training.Accuracy(newton, test);
        Console.WriteLine($"  Breast cancer ({train.Rows} train / {test.Rows} test), test accuracy: AutoDiff L-BFGS {adLbfgs:P2}, AutoDiff Newton-CG {adNewton:P2}, " +
                          $"ML.NET L-BFGS {mlLbfgs:P2}, ML.NET SDCA {mlSdca:P2}");
    }

    // --- comparisons -----------------------------------------------------------------------------------------------

    private static void CheckTangentAndHv(string name, double[] x, double[] gradient, Func<double[], double> tangent,
        Action<double[], double[]> gradientAt, Action<double[], double[]> hessianVector)
    {
        var v = Problems.Direction(x.Length, seed: 17);
        Same($"{name}: forward-mode tangent vs gradient·v", [Dot(gradient, v)], [tangent(v)], 1e-10);
        var hv = new double[x.Length];
        hessianVector(v, hv);
        Same($"{name}: H·v vs differences of the generated gradient", HvByDifferences(x, v, gradientAt), hv, 1e-5);
    }

    private static double[] HvByDifferences(double[] x, double[] v, Action<double[], double[]> gradientAt)
    {
        double h = 1e-5;
        var plus = new double[x.Length];
        var minus = new double[x.Length];
        gradientAt(Shifted(x, v, h), plus);
        gradientAt(Shifted(x, v, -h), minus);
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++) result[i] = (plus[i] - minus[i]) / (2 * h);
        return result;
    }

    private static double[] Shifted(double[] x, double[] v, double h)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = x[i] + h * v[i];
        return y;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static void SameAt(string name, double[] x, int[] coordinates, double[] gradient, Func<double[], double> f)
    {
        var expected = coordinates.Select(i => FiniteDifferences.Coordinate(x, i, f)).ToArray();
        Same(name, expected, coordinates.Select(i => gradient[i]).ToArray(), 1e-6);
    }

    /// <summary>max |actual − expected| ≤ tolerance · max(1, max |expected|).</summary>
    private static void Same(string name, double[] expected, double[] actual, double tolerance)
    {
        double scale = 1, error = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
            if (!double.IsFinite(actual[i])) error = double.PositiveInfinity;
        }
        double relative = error / scale;
        Expect($"{name}: relative error {relative:E1} (tolerance {tolerance:E0})", relative <= tolerance && expected.Length == actual.Length);
    }

    private static void Expect(string what, bool ok)
    {
        Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}");
        if (!ok) failures++;
    }
}
