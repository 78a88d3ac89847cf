using AutoDiff;

namespace AutoDiff.Benchmarks.Cases;

/// <summary>The extended Rosenbrock function Σ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)², with arrays and a loop.</summary>
public static partial class Rosenbrock
{
    [Differentiable]
    public static double Value(double[] x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }
        return sum;
    }

    /// <summary>Hand-written gradient: one pass, nothing stored. Writes (does not accumulate) into <paramref name="gradient"/>.</summary>
    public static double HandGradient(double[] x, Span<double> gradient)
    {
        int n = x.Length;
        gradient = gradient.Slice(0, n);
        gradient.Clear();
        double sum = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            double xi = x[i];
            double a = 1 - xi;
            double b = x[i + 1] - xi * xi;
            sum += a * a + 100 * b * b;
            gradient[i] += -2 * a - 400 * b * xi;
            gradient[i + 1] += 200 * b;
        }
        return sum;
    }

    /// <summary>Seeded start points around the classic (−1.2, 1, −1.2, 1, …).</summary>
    public static double[] Start(int n, int seed = 7)
    {
        var random = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i % 2 == 0 ? -1.2 : 1.0) + 0.1 * (random.NextDouble() - 0.5);
        return x;
    }
}
