namespace AutoDiff.Benchmarks;

/// <summary>Central differences, one coordinate at a time: 2·P evaluations of the objective for P parameters.</summary>
public static class FiniteDifferences
{
    /// <summary>Writes the central-difference gradient of <paramref name="f"/> at <paramref name="x"/> (restored on return).</summary>
    public static double Gradient(double[] x, Span<double> gradient, Func<double[], double> f)
    {
        for (int i = 0; i < x.Length; i++) gradient[i] = Coordinate(x, i, f);
        return gradient.Length > 0 ? gradient[0] : 0;
    }

    /// <summary>∂f/∂xᵢ by (f(x + hεᵢ) − f(x − hεᵢ)) / 2h with h = ∛ε · max(1, |xᵢ|).</summary>
    public static double Coordinate(double[] x, int i, Func<double[], double> f)
    {
        double saved = x[i];
        double h = 6.055454452393343e-6 * Math.Max(1.0, Math.Abs(saved));
        x[i] = saved + h;
        double plus = f(x);
        x[i] = saved - h;
        double minus = f(x);
        x[i] = saved;
        return (plus - minus) / (2 * h);
    }
}
