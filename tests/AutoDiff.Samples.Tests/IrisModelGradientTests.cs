using System;
using System.Linq;
using Samples.IrisClassifier;
using Xunit;

namespace AutoDiff.Samples.Tests;

/// <summary>
/// The generated derivatives of <see cref="IrisModel.SampleLoss"/> against central finite differences of the
/// hand-written loss itself, and against values worked out by hand.
/// </summary>
public sealed class IrisModelGradientTests
{
    // The 20 double arguments of SampleLoss, in order: 15 parameters, 4 features, l2.
    private const int ArgumentCount = 20;

    private static double Loss(double[] a, int label)
        => IrisModel.SampleLoss(
            a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14],
            a[15], a[16], a[17], a[18], label, a[19]);

    private static (double Value, double[] Gradient) Generated(double[] a, int label)
    {
        var g = IrisModel.SampleLossGradient(
            a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14],
            a[15], a[16], a[17], a[18], label, a[19]);
        return (g.Value, new[]
        {
            g.dW00, g.dW01, g.dW02, g.dW03, g.dB0,
            g.dW10, g.dW11, g.dW12, g.dW13, g.dB1,
            g.dW20, g.dW21, g.dW22, g.dW23, g.dB2,
        });
    }

    private static double CentralDifference(double[] a, int label, int i)
    {
        const double h = 1e-5;
        double[] up = (double[])a.Clone(), down = (double[])a.Clone();
        up[i] += h;
        down[i] -= h;
        return (Loss(up, label) - Loss(down, label)) / (2 * h);
    }

    [Fact]
    public void GeneratedGradientMatchesCentralDifferencesAtRandomPoints()
    {
        var random = new Random(2024);
        for (int point = 0; point < 200; point++)
        {
            var a = new double[ArgumentCount];
            for (int i = 0; i < 15; i++) a[i] = 4 * random.NextDouble() - 2;        // parameters in [-2, 2]
            for (int i = 15; i < 19; i++) a[i] = 6 * random.NextDouble() - 3;       // standardised features in [-3, 3]
            a[19] = 0.1 * random.NextDouble();                                      // l2 in [0, 0.1]
            int label = random.Next(3);

            var (value, gradient) = Generated(a, label);

            Assert.Equal(Loss(a, label), value);
            // The features and l2 are [NoDerivative]: the gradient covers the 15 parameters.
            Assert.Equal(IrisModel.ParameterCount, gradient.Length);
            for (int i = 0; i < gradient.Length; i++)
            {
                double numeric = CentralDifference(a, label, i);
                // Relative 1e-6, with the scale floored at 0.01 so that a gradient that is nearly zero is compared absolutely.
                double scale = Math.Max(0.01, Math.Max(Math.Abs(numeric), Math.Abs(gradient[i])));
                Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-6 * scale,
                    $"point {point}, label {label}, argument {i}: generated {gradient[i]:R}, finite difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void LossAndGradientAtZeroParametersAreUniform()
    {
        // All scores are 0, so each class has probability 1/3: loss = ln 3, ∂loss/∂z_k = 1/3 − [k = label].
        double[] p = new double[IrisModel.ParameterCount];
        double[] x = { 1.0, -2.0, 0.5, 3.0 };
        var gradient = new double[IrisModel.ParameterCount];

        double loss = IrisModel.AccumulateGradient(p, x, label: 1, l2: 0.5, seed: 1.0, gradient);

        Assert.Equal(Math.Log(3), loss, 1e-15);
        for (int k = 0; k < 3; k++)
        {
            double dz = 1.0 / 3 - (k == 1 ? 1 : 0);
            for (int j = 0; j < 4; j++) Assert.Equal(dz * x[j], gradient[5 * k + j], 1e-15);
            Assert.Equal(dz, gradient[5 * k + 4], 1e-15);
        }
    }

    [Fact]
    public void LossIsStableForHugeScores()
    {
        // Class 0 scores 1000, the others 0: a naive softmax overflows exp(1000).
        double[] p = new double[IrisModel.ParameterCount];
        p[0] = 1000;
        double[] x = { 1, 0, 0, 0 };

        var right = new double[IrisModel.ParameterCount];
        double lossRight = IrisModel.AccumulateGradient(p, x, label: 0, l2: 0, seed: 1, right);
        var wrong = new double[IrisModel.ParameterCount];
        double lossWrong = IrisModel.AccumulateGradient(p, x, label: 2, l2: 0, seed: 1, wrong);

        Assert.Equal(0.0, lossRight, 1e-12);
        Assert.All(right, g => Assert.Equal(0.0, g, 1e-12));
        Assert.Equal(1000.0, lossWrong, 1e-9);
        Assert.Equal(1.0, wrong[0], 1e-12);   // ∂/∂w00 = (P(0) − 0)·x0 = 1
        Assert.Equal(1.0, wrong[4], 1e-12);   // ∂/∂b0 = P(0) = 1
        Assert.Equal(-1.0, wrong[14], 1e-12); // ∂/∂b2 = P(2) − 1 = −1
    }

    [Fact]
    public void AccumulateGradientAddsSeedTimesTheGradient()
    {
        var random = new Random(7);
        double[] p = Enumerable.Range(0, IrisModel.ParameterCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] x = { 0.3, -1.2, 0.8, 2.0 };

        var once = new double[IrisModel.ParameterCount];
        IrisModel.AccumulateGradient(p, x, 2, 0.01, 1.0, once);
        var twice = new double[IrisModel.ParameterCount];
        IrisModel.AccumulateGradient(p, x, 2, 0.01, 0.25, twice);
        IrisModel.AccumulateGradient(p, x, 2, 0.01, 0.75, twice);

        for (int i = 0; i < once.Length; i++) Assert.Equal(once[i], twice[i], 1e-14);
    }
}
