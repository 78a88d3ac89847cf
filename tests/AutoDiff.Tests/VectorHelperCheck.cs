using System;
using System.Linq;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>The checks of vector-valued helpers (methods that write spans) that the call tests share.</summary>
public static class VectorHelperCheck
{
    /// <summary>The Jacobian of a function of flattened inputs, by central differences.</summary>
    public static double[,] CentralJacobian(Func<double[], double[]> f, double[] x)
    {
        int m = f(x).Length;
        var j = new double[m, x.Length];
        for (int c = 0; c < x.Length; c++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(x[c]));
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[c] += h;
            minus[c] -= h;
            var fp = f(plus);
            var fm = f(minus);
            for (int r = 0; r < m; r++) j[r, c] = (fp[r] - fm[r]) / (2 * h);
        }
        return j;
    }

    /// <summary>A generated Jacobian against central differences, entry by entry.</summary>
    public static void AssertClose(string what, double[,] expected, double[,] actual)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int r = 0; r < expected.GetLength(0); r++)
        {
            for (int c = 0; c < expected.GetLength(1); c++)
            {
                Assert.True(Math.Abs(expected[r, c] - actual[r, c]) <= 1e-6 * Math.Max(1, Math.Abs(expected[r, c])),
                    $"{what}[{r}, {c}] is {actual[r, c]:R}; central difference {expected[r, c]:R}");
            }
        }
    }

    /// <summary>
    /// A helper's FJacobian against central differences, then the in-place pullback with a random seed: the seed turned
    /// into uᵀ·∂out/∂(contents on entry), uᵀ·∂out/∂inputs added into the adjoints, and the output left as it was given.
    /// </summary>
    /// <param name="run">The helper on (inputs, output contents on entry): the output contents after it.</param>
    /// <param name="jacobian">FJacobian on the inputs (the output's entry contents zero, as FJacobian takes them).</param>
    /// <param name="inPlace">FBackwardInPlace on (inputs, output, seed, input adjoints).</param>
    /// <param name="sample">Where the inputs are drawn (by default each uniform in [-1, 1)).</param>
    public static void CheckHelper(string name, int inputs, int outputs, Func<double[], double[], double[]> run,
        Func<double[], double[,]> jacobian, Action<double[], double[], double[], double[]> inPlace, Func<Random, double[]>? sample = null)
    {
        sample ??= Domain.Box(-1, 1, inputs);
        var random = new Random(17);
        for (int k = 0; k < 10; k++)
        {
            var x = sample(random);
            var entry = Enumerable.Range(0, outputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            AssertClose(name + "Jacobian", CentralJacobian(p => run(p, new double[outputs]), x), jacobian(x));

            // Central differences of the helper with respect to inputs and entry contents together.
            var both = CentralJacobian(p => run(p[..inputs], p[inputs..]), x.Concat(entry).ToArray());
            var seed = Enumerable.Range(0, outputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var output = (double[])entry.Clone();
            var adjoints = new double[inputs];
            var inOut = (double[])seed.Clone();
            inPlace(x, output, inOut, adjoints);
            Assert.Equal(entry, output);
            for (int c = 0; c < inputs + outputs; c++)
            {
                double expected = Enumerable.Range(0, outputs).Sum(r => seed[r] * both[r, c]);
                double actual = c < inputs ? adjoints[c] : inOut[c - inputs];
                Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)),
                    $"{name}BackwardInPlace: the adjoint of {(c < inputs ? $"input {c}" : $"the output's entry element {c - inputs}")} is {actual:R}; central differences give {expected:R}");
            }
        }
    }
}
