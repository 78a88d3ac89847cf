using System;
using AutoDiff.Initialization;
using Xunit;

namespace AutoDiff.Runtime.Tests.Initialization;

/// <summary>
/// Statistics of the initialisers. Every sample comes from a fixed seed, so each test gives the same numbers on every
/// run; the tolerances are still set at five or more standard errors of the statistic, so they would hold for
/// (almost) any seed.
/// </summary>
public class InitializerTests
{
    private const int Count = 40_000;

    private static (double Mean, double Variance) Moments(ReadOnlySpan<double> w)
    {
        double mean = 0;
        foreach (double v in w)
            mean += v;
        mean /= w.Length;
        double variance = 0;
        foreach (double v in w)
            variance += (v - mean) * (v - mean);
        return (mean, variance / (w.Length - 1));
    }

    /// <summary>Mean within 6 standard errors of 0, variance within 5% of <paramref name="expected"/> (≥ 5 standard errors at n = 40 000).</summary>
    private static void AssertMoments(ReadOnlySpan<double> w, double expected)
    {
        (double mean, double variance) = Moments(w);
        Assert.True(Math.Abs(mean) <= 6 * Math.Sqrt(expected / w.Length), $"mean {mean}");
        Assert.True(Math.Abs(variance / expected - 1) <= 0.05, $"variance {variance}, expected {expected}");
    }

    [Fact]
    public void GlorotUniformHasTheFormulasVarianceAndBounds()
    {
        var w = new double[Count];
        Initializers.Glorot(w, fanIn: 300, fanOut: 100, new Random(1));
        double limit = Math.Sqrt(6.0 / 400);
        AssertMoments(w, 2.0 / 400);
        Assert.All(w, v => Assert.InRange(v, -limit, limit));
        Assert.True(Math.Abs(w[0]) > 0 && Array.Exists(w, v => v > 0.99 * limit) && Array.Exists(w, v => v < -0.99 * limit));
    }

    [Fact]
    public void GlorotNormalHasTheFormulasVarianceAndShape()
    {
        var w = new double[Count + 1]; // odd length: the last Box–Muller pair is cut in half
        Initializers.Glorot(w, fanIn: 30, fanOut: 70, new Random(2), uniform: false);
        double sigma = Math.Sqrt(2.0 / 100);
        AssertMoments(w, sigma * sigma);
        // About 68.27% within one standard deviation (standard error 0.23%).
        double within = Array.FindAll(w, v => Math.Abs(v) <= sigma).Length / (double)w.Length;
        Assert.InRange(within, 0.6827 - 0.012, 0.6827 + 0.012);
        Assert.NotEqual(0, w[^1]);
    }

    [Fact]
    public void HeNormalHasVarianceTwoOverFanIn()
    {
        var w = new double[Count];
        Initializers.He(w, fanIn: 64, new Random(3));
        AssertMoments(w, 2.0 / 64);
    }

    [Fact]
    public void HeUniformHasVarianceTwoOverFanInAndItsBounds()
    {
        var w = new double[Count];
        Initializers.He(w, fanIn: 64, new Random(4), uniform: true);
        AssertMoments(w, 2.0 / 64);
        double limit = Math.Sqrt(6.0 / 64);
        Assert.All(w, v => Assert.InRange(v, -limit, limit));
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        double[] a = new double[100], b = new double[100], c = new double[100];
        Initializers.Glorot(a, 10, 10, new Random(42), uniform: false);
        Initializers.Glorot(b, 10, 10, new Random(42), uniform: false);
        Initializers.Glorot(c, 10, 10, new Random(43), uniform: false);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        double[] wa = new double[12], ba = new double[4], wb = new double[12], bb = new double[4];
        Initializers.NguyenWidrow(wa, ba, 3, 4, new Random(5));
        Initializers.NguyenWidrow(wb, bb, 3, 4, new Random(5));
        Assert.Equal(wa, wb);
        Assert.Equal(ba, bb);
    }

    [Theory]
    [InlineData(3, 8)]
    [InlineData(5, 2)]
    [InlineData(1, 1)]
    public void NguyenWidrowFollowsOpenCvsRecipeDrawForDraw(int inputs, int neurons)
    {
        var weights = new double[inputs * neurons];
        var biases = new double[neurons];
        Initializers.NguyenWidrow(weights, biases, inputs, neurons, new Random(11));

        // The recipe, replayed: per neuron, inputs + 1 draws from U(−1, 1); input weights over their L1 norm; the
        // bias over the same norm times G·(−1 + 2j / neurons).
        var random = new Random(11);
        double gain = neurons > 2 ? 0.7 * Math.Pow(inputs, 1.0 / (neurons - 1)) : 1.0;
        for (int j = 0; j < neurons; j++)
        {
            var raw = new double[inputs + 1];
            double s = 0;
            for (int k = 0; k <= inputs; k++)
            {
                raw[k] = random.NextDouble() * 2 - 1;
                if (k < inputs)
                    s += Math.Abs(raw[k]);
            }
            for (int k = 0; k < inputs; k++)
                Assert.Equal(raw[k] / s, weights[k * neurons + j], 14);
            Assert.Equal(raw[inputs] / s * gain * (-1 + 2.0 * j / neurons), biases[j], 14);
        }
    }

    [Fact]
    public void NguyenWidrowNormalisesEachNeuronAndSpreadsTheBiases()
    {
        const int inputs = 50, neurons = 800;
        var weights = new double[inputs * neurons];
        var biases = new double[neurons];
        Initializers.NguyenWidrow(weights, biases, inputs, neurons, new Random(6));

        for (int j = 0; j < neurons; j++)
        {
            double l1 = 0;
            for (int k = 0; k < inputs; k++)
                l1 += Math.Abs(weights[k * neurons + j]);
            Assert.Equal(1, l1, 12);
        }
        Assert.Equal(0, biases[neurons / 2]); // −1 + 2j/n = 0 in the middle
        // Each weight is u / Σ|u| with u ~ U(−1, 1): E w² ≈ 4 / (3 inputs²) · (1 + 1/inputs).
        AssertMoments(weights, 4.0 / (3.0 * inputs * inputs) * (1 + 1.0 / inputs));
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializers.Glorot(new double[4], 0, 2, new Random(0)));
        Assert.Throws<ArgumentNullException>(() => Initializers.He(new double[4], 2, null!));
        Assert.Throws<ArgumentException>(() => Initializers.NguyenWidrow(new double[5], new double[2], 3, 2, new Random(0)));
        Assert.Throws<ArgumentException>(() => Initializers.NguyenWidrow(new double[6], new double[3], 3, 2, new Random(0)));
    }
}
