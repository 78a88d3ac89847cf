using System;
using System.Linq;
using AutoDiff.Models;
using Xunit;

namespace AutoDiff.Runtime.Tests.Models;

/// <summary>
/// The runtime's generated loss derivatives against central differences, and across modes: the gradient against the
/// tangent along random directions, and the Hessian-vector product against differences of the gradient.
/// </summary>
public class LossDerivativeTests
{
    private delegate double Loss(double[] parameters);

    private delegate double Backward(double[] parameters, Span<double> gradient);

    private static double[] Random(Random random, int length, double scale = 1)
        => Enumerable.Range(0, length).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();

    /// <summary>Checks the gradient from <paramref name="backward"/> (which accumulates) against central differences.</summary>
    private static void CheckGradient(Loss loss, Backward backward, double[] parameters, double tolerance = 1e-6)
    {
        var gradient = new double[parameters.Length];
        double value = backward(parameters, gradient);
        Assert.Equal(loss(parameters), value, 12);
        for (int i = 0; i < parameters.Length; i++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(parameters[i]));
            var plus = (double[])parameters.Clone();
            var minus = (double[])parameters.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (loss(plus) - loss(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= tolerance * (1 + Math.Abs(numeric)),
                $"parameter {i}: central difference {numeric}, gradient {gradient[i]}");
        }
    }

    private sealed record Problem(double[] Features, int[] Labels, int Rows, int Columns, int Classes);

    private static Problem MakeProblem(int seed, int rows, int columns, int classes)
    {
        var random = new Random(seed);
        return new Problem(Random(random, rows * columns, 2), Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray(), rows, columns, classes);
    }

    [Fact]
    public void BinaryLogisticGradient()
    {
        var p = MakeProblem(1, 7, 5, 2);
        var parameters = Random(new Random(2), p.Columns + 1);
        CheckGradient(w => Losses.BinaryLogistic(w, p.Features, p.Labels, p.Rows, p.Columns, 0.01),
            (w, g) => Losses.BinaryLogisticBackward(w, p.Features, p.Labels, p.Rows, p.Columns, 0.01, 1.0, g), parameters);
    }

    [Fact]
    public void BinaryLogisticIsFiniteWhereTheNaiveFormOverflows()
    {
        // Logits in the thousands: log(1/(1+exp(-z))) overflows to -inf/NaN; softplus does not.
        var features = new[] { 1000.0, -1000.0, 800.0, 5.0 };
        var labels = new[] { 0, 1, 1, 0 };
        var parameters = new[] { 1.0, 0.0 };
        var gradient = new double[2];
        double value = Losses.BinaryLogisticBackward(parameters, features, labels, 4, 1, 0.0, 1.0, gradient);
        Assert.True(double.IsFinite(value) && gradient.All(double.IsFinite));
        Assert.Equal((1000 + 1000 + 0 + (5 + Math.Log(1 + Math.Exp(-5)))) / 4, value, 9);
    }

    [Fact]
    public void MultinomialLogisticGradient()
    {
        var p = MakeProblem(3, 6, 4, 3);
        var parameters = Random(new Random(4), p.Classes * (p.Columns + 1));
        CheckGradient(w => Losses.MultinomialLogistic(w, p.Features, p.Labels, p.Rows, p.Columns, p.Classes, 0.01),
            (w, g) => Losses.MultinomialLogisticBackward(w, p.Features, p.Labels, p.Rows, p.Columns, p.Classes, 0.01, 1.0, g), parameters);
    }

    [Fact]
    public void MultinomialHessianVectorProductMatchesDifferencesOfTheGradient()
    {
        var p = MakeProblem(5, 6, 3, 3);
        var random = new Random(6);
        var parameters = Random(random, p.Classes * (p.Columns + 1));
        var direction = Random(random, parameters.Length);
        var hv = Losses.MultinomialLogisticHessianVector(parameters, p.Features, p.Labels, p.Rows, p.Columns, p.Classes, 0.01, direction);
        double h = 1e-5;
        var plus = parameters.Zip(direction, (w, v) => w + h * v).ToArray();
        var minus = parameters.Zip(direction, (w, v) => w - h * v).ToArray();
        var gPlus = new double[parameters.Length];
        var gMinus = new double[parameters.Length];
        Losses.MultinomialLogisticBackward(plus, p.Features, p.Labels, p.Rows, p.Columns, p.Classes, 0.01, 1.0, gPlus);
        Losses.MultinomialLogisticBackward(minus, p.Features, p.Labels, p.Rows, p.Columns, p.Classes, 0.01, 1.0, gMinus);
        for (int i = 0; i < parameters.Length; i++)
        {
            double numeric = (gPlus[i] - gMinus[i]) / (2 * h);
            Assert.True(Math.Abs(numeric - hv[i]) <= 1e-6 * (1 + Math.Abs(numeric)), $"H·v[{i}]: differences {numeric}, generated {hv[i]}");
        }
    }

    [Theory]
    [InlineData(Losses.Identity, Losses.SoftmaxCrossEntropy)]
    [InlineData(Losses.Sigmoid, Losses.SoftmaxCrossEntropy)]
    [InlineData(Losses.Tanh, Losses.SoftmaxCrossEntropy)]
    [InlineData(Losses.Relu, Losses.SoftmaxCrossEntropy)]
    [InlineData(Losses.SymmetricSigmoid, Losses.SquaredError)]
    [InlineData(Losses.Tanh, Losses.SquaredError)]
    public void PerceptronGradient(int activation, int output)
    {
        var random = new Random(7 + activation);
        int[] sizes = { 4, 5, 3, 3 };
        int count = 0;
        for (int l = 0; l + 1 < sizes.Length; l++) count += sizes[l + 1] * (sizes[l] + 1);
        var parameters = Random(random, count);
        var inputs = Random(random, 2 * sizes[0]);
        var targets = Random(random, 2 * 3);
        int units = sizes.Skip(1).Sum();
        CheckGradient(w => Losses.PerceptronSample(w, inputs, sizes[0], sizes, units, activation, output, 2, targets, 3),
            (w, g) => Losses.PerceptronSampleBackward(w, inputs, sizes[0], sizes, units, activation, output, 2, targets, 3, 1.0, g), parameters, 1e-5);

        // Forward mode agrees with reverse mode along a random direction.
        var direction = Random(random, count);
        var gradient = new double[count];
        Losses.PerceptronSampleBackward(parameters, inputs, sizes[0], sizes, units, activation, output, 2, targets, 3, 1.0, gradient);
        Losses.PerceptronSampleTangent(parameters, inputs, sizes[0], sizes, units, activation, output, 2, targets, 3, direction, out double tangent);
        Assert.Equal(gradient.Zip(direction, (g, v) => g * v).Sum(), tangent, 10);
    }
}
