using System;
using System.Globalization;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>A generated pullback, seen through arrays: <c>FBackward(x..., seed, ref adjoints...)</c>.</summary>
public delegate double DoubleBackward(double[] x, double seed, double[] adjoints);

/// <summary>A generated float pullback, seen through arrays.</summary>
public delegate float FloatBackward(float[] x, float seed, float[] adjoints);

/// <summary>How strictly a gradient is checked.</summary>
/// <param name="Tolerance">Relative tolerance of gradient vs finite difference: |g - fd| ≤ tol · max(1, |g|, |fd|).</param>
/// <param name="RelativeStep">Finite-difference step, relative to max(1, |x|) (rounded to a power of two).</param>
/// <param name="FloatInputs">Round every sampled input to float (the function takes float arguments).</param>
/// <param name="ConsistencyTolerance">Relative tolerance of the accumulation and seed-scaling checks of FBackward.</param>
public sealed record CheckOptions(double Tolerance, double RelativeStep, bool FloatInputs, double ConsistencyTolerance)
{
    public static CheckOptions Double { get; } = new(1e-6, 1e-4, false, 1e-12);
    public static CheckOptions Float { get; } = new(2e-2, 1e-2, true, 1e-5);
}

/// <summary>Random points to check at.</summary>
public static class Domain
{
    /// <summary>n coordinates, each uniform in [lo, hi).</summary>
    public static Func<Random, double[]> Box(double lo, double hi, int n)
        => random => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();

    /// <summary>One coordinate per range, uniform in it.</summary>
    public static Func<Random, double[]> Box(params (double Lo, double Hi)[] ranges)
        => random => ranges.Select(r => r.Lo + (r.Hi - r.Lo) * random.NextDouble()).ToArray();

    /// <summary>Rejection sampling: only points that <paramref name="accept"/> (e.g. away from kinks).</summary>
    public static Func<Random, double[]> Where(this Func<Random, double[]> sample, Func<double[], bool> accept)
        => random =>
        {
            for (int attempt = 0; attempt < 100_000; attempt++)
            {
                var x = sample(random);
                if (accept(x)) return x;
            }
            throw new InvalidOperationException("The domain filter rejects almost every point.");
        };

    /// <summary>Distance from <paramref name="x"/> to the nearest integer multiple of <paramref name="period"/>.</summary>
    public static double DistanceToGrid(double x, double period = 1.0)
    {
        double r = Math.Abs(x / period - Math.Round(x / period)) * period;
        return r;
    }
}

/// <summary>
/// Checks generated gradients against central finite differences (with one Richardson extrapolation step),
/// and checks that FGradient's value is F's and that FBackward accumulates and scales with the seed.
/// </summary>
public static class GradientCheck
{
    public const int Points = 50;

    /// <summary>∂f/∂xᵢ at x by central differences: (4·D(h/2) − D(h)) / 3 with D(h) = (f(x+h) − f(x−h)) / 2h.</summary>
    public static double NumericalDerivative(Func<double[], double> f, double[] x, int i, double relativeStep)
    {
        // A power of two, so that x ± h and x ± h/2 are (nearly always) exact, in float too.
        double h = Math.Pow(2, Math.Round(Math.Log2(relativeStep * Math.Max(1.0, Math.Abs(x[i])))));
        double Central(double step)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += step;
            minus[i] -= step;
            return (f(plus) - f(minus)) / (2 * step);
        }
        return (4 * Central(h / 2) - Central(h)) / 3;
    }

    /// <summary>Fails, naming the parameter, the point and both values, unless gradient ≈ the finite-difference gradient of f at x.</summary>
    public static void AssertGradient(Func<double[], double> f, double[] x, double[] gradient, string[]? names = null,
        double tolerance = 1e-6, double relativeStep = 1e-4, string function = "f")
    {
        Assert.True(gradient.Length == x.Length, $"{function}: gradient has {gradient.Length} entries for {x.Length} parameters");
        for (int i = 0; i < x.Length; i++)
        {
            double numerical = NumericalDerivative(f, x, i, relativeStep);
            double analytical = gradient[i];
            double scale = Math.Max(1.0, Math.Max(Math.Abs(analytical), Math.Abs(numerical)));
            bool ok = Math.Abs(analytical - numerical) <= tolerance * scale;
            if (!ok || double.IsNaN(analytical) != double.IsNaN(numerical))
            {
                Assert.Fail($"{function}: ∂/∂{Name(names, i)} at {Point(x, names)}: analytical {R(analytical)}, numerical {R(numerical)} " +
                            $"(|difference| {R(Math.Abs(analytical - numerical))} > {R(tolerance)} · {R(scale)})");
            }
        }
    }

    /// <summary>Full check of a double function at <see cref="Points"/> random points.</summary>
    public static void Double(string function, string parameters, Func<double[], double> f,
        Func<double[], (double Value, double[] Gradient)> gradient, DoubleBackward backward,
        Func<Random, double[]> sample, CheckOptions? options = null, int seed = 20240601)
    {
        options ??= CheckOptions.Double;
        var names = parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var random = new Random(seed);
        for (int k = 0; k < Points; k++)
        {
            var x = sample(random);
            if (options.FloatInputs) x = x.Select(v => (double)(float)v).ToArray();
            Assert.True(x.Length == names.Length, $"{function}: the sampler gives {x.Length} coordinates for {names.Length} parameters");
            double fx = f(x);
            Assert.False(double.IsNaN(fx) || double.IsInfinity(fx), $"{function}: not finite at {Point(x, names)}; fix the domain");

            var (value, g) = gradient(x);
            if (!value.Equals(fx)) Assert.Fail($"{function}Gradient at {Point(x, names)}: Value {R(value)} but {function} returns {R(fx)}");
            AssertGradient(f, x, g, names, options.Tolerance, options.RelativeStep, function);

            CheckBackward(function, names, x, fx, g, backward, random, options.ConsistencyTolerance);
        }
    }

    /// <summary>Full check of a float function: inputs rounded to float, finite differences with a float-sized step, loose tolerance.</summary>
    public static void Float(string function, string parameters, Func<float[], float> f,
        Func<float[], (float Value, float[] Gradient)> gradient, FloatBackward backward,
        Func<Random, double[]> sample, CheckOptions? options = null, int seed = 20240601)
    {
        static float[] ToFloat(double[] x) => x.Select(v => (float)v).ToArray();
        static double[] ToDouble(float[] x) => x.Select(v => (double)v).ToArray();
        Double(function, parameters,
            x => f(ToFloat(x)),
            x =>
            {
                var (value, g) = gradient(ToFloat(x));
                return (value, ToDouble(g));
            },
            (x, s, adjoints) =>
            {
                var a = ToFloat(adjoints);
                float result = backward(ToFloat(x), (float)s, a);
                for (int i = 0; i < a.Length; i++) adjoints[i] = a[i];
                return result;
            },
            sample, options ?? CheckOptions.Float, seed);
    }

    /// <summary>
    /// FBackward returns F's value, adds seed·gradient to the adjoints it is given (twice called: 2·seed·gradient
    /// on top of the initial values) and scales with the seed (2.5 from zero gives 2.5·gradient).
    /// </summary>
    private static void CheckBackward(string function, string[] names, double[] x, double fx, double[] g,
        DoubleBackward backward, Random random, double tolerance)
    {
        double seed = Math.Round(4 * random.NextDouble() - 2, 3);
        if (seed == 0) seed = 0.5;
        var initial = g.Select(_ => Math.Round(10 * random.NextDouble() - 5, 3)).ToArray();
        var adjoints = (double[])initial.Clone();
        double first = backward((double[])x.Clone(), seed, adjoints);
        double second = backward((double[])x.Clone(), seed, adjoints);
        if (!first.Equals(fx) || !second.Equals(fx))
        {
            Assert.Fail($"{function}Backward at {Point(x, names)} returned {R(first)} and {R(second)}, but {function} returns {R(fx)}");
        }
        for (int i = 0; i < g.Length; i++)
        {
            double expected = initial[i] + 2 * seed * g[i];
            Close(adjoints[i], expected, tolerance,
                $"{function}Backward called twice with seed {R(seed)} from d{Name(names, i)} = {R(initial[i])} at {Point(x, names)}: " +
                $"expected initial + 2·seed·gradient = {R(expected)}, got {R(adjoints[i])}");
        }

        var scaled = new double[g.Length];
        backward((double[])x.Clone(), 2.5, scaled);
        for (int i = 0; i < g.Length; i++)
        {
            Close(scaled[i], 2.5 * g[i], tolerance,
                $"{function}Backward with seed 2.5 at {Point(x, names)}: d{Name(names, i)} expected 2.5·gradient = {R(2.5 * g[i])}, got {R(scaled[i])}");
        }
    }

    private static void Close(double actual, double expected, double tolerance, string message)
    {
        double scale = Math.Max(1.0, Math.Max(Math.Abs(actual), Math.Abs(expected)));
        if (!(Math.Abs(actual - expected) <= tolerance * scale)) Assert.Fail(message);
    }

    /// <summary>Exact equality (for derivatives that the math fixes exactly, e.g. of piecewise-constant parts).</summary>
    public static void Exact(double expected, double actual, string what)
    {
        if (!expected.Equals(actual)) Assert.Fail($"{what}: expected exactly {R(expected)}, got {R(actual)}");
    }

    private static string Name(string[]? names, int i) => names is not null && i < names.Length ? names[i] : $"x{i}";

    private static string Point(double[] x, string[]? names)
        => "(" + string.Join(", ", x.Select((v, i) => $"{Name(names, i)} = {R(v)}")) + ")";

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
