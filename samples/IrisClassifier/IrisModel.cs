using System;
using AutoDiff;

namespace Samples.IrisClassifier;

/// <summary>
/// Multinomial logistic regression (softmax) on the four iris features: class k gets the score
/// z_k = w_k · x + b_k, and P(class k | x) = exp(z_k) / Σ_j exp(z_j).
/// </summary>
/// <remarks>
/// <para>
/// The 15 parameters are kept in one array, five per class: the four weights of class k at
/// <c>5k .. 5k+3</c> and its bias at <c>5k+4</c>.
/// </para>
/// <para>
/// Only <see cref="SampleLoss"/> and its helpers are written by hand; AutoDiff generates
/// <c>SampleLossBackward</c> and <c>SampleLossGradient</c> from them at build time (see
/// obj/Debug/net10.0/generated/). Training uses nothing else for its derivatives.
/// </para>
/// </remarks>
public static partial class IrisModel
{
    /// <summary>The number of input features.</summary>
    public const int FeatureCount = 4;

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 3;

    /// <summary>The parameters per class: four weights and a bias.</summary>
    public const int ParametersPerClass = FeatureCount + 1;

    /// <summary>The number of parameters.</summary>
    public const int ParameterCount = ClassCount * ParametersPerClass;

    /// <summary>The score (logit) of one class: w · x + b.</summary>
    [Differentiable]
    public static double Logit(
        double w0, double w1, double w2, double w3, double b,
        double x0, double x1, double x2, double x3)
        => w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + b;

    /// <summary>
    /// log(e^a + e^b + e^c), computed stably: the largest argument is taken out first so that no
    /// exponential overflows, and at least one of them is exactly 1.
    /// </summary>
    [Differentiable]
    public static double LogSumExp(double a, double b, double c)
    {
        double m = Math.Max(a, Math.Max(b, c));
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m) + Math.Exp(c - m));
    }

    /// <summary>
    /// The training loss of one sample: the cross-entropy −log P(label | x) = logsumexp(z) − z_label,
    /// plus the L2 penalty (l2 / 2)·Σ w² on the weights (not the biases).
    /// </summary>
    /// <param name="w00">Class 0, weight of feature 0 (and so on: w<i>kj</i> is class k, feature j).</param>
    /// <param name="b0">Class 0, bias.</param>
    /// <param name="x0">Feature 0 of the sample (standardised). Data: [NoDerivative], so it gets no adjoint.</param>
    /// <param name="label">The sample's class, 0 to 2. Not differentiated.</param>
    /// <param name="l2">The strength of the L2 penalty. A hyper-parameter: [NoDerivative].</param>
    [Differentiable]
    public static double SampleLoss(
        double w00, double w01, double w02, double w03, double b0,
        double w10, double w11, double w12, double w13, double b1,
        double w20, double w21, double w22, double w23, double b2,
        [NoDerivative] double x0, [NoDerivative] double x1, [NoDerivative] double x2, [NoDerivative] double x3,
        int label, [NoDerivative] double l2)
    {
        double z0 = Logit(w00, w01, w02, w03, b0, x0, x1, x2, x3);
        double z1 = Logit(w10, w11, w12, w13, b1, x0, x1, x2, x3);
        double z2 = Logit(w20, w21, w22, w23, b2, x0, x1, x2, x3);

        double zTrue;
        if (label == 0)
        {
            zTrue = z0;
        }
        else if (label == 1)
        {
            zTrue = z1;
        }
        else
        {
            zTrue = z2;
        }
        double crossEntropy = LogSumExp(z0, z1, z2) - zTrue;

        double squaredWeights =
            w00 * w00 + w01 * w01 + w02 * w02 + w03 * w03 +
            w10 * w10 + w11 * w11 + w12 * w12 + w13 * w13 +
            w20 * w20 + w21 * w21 + w22 * w22 + w23 * w23;
        return crossEntropy + 0.5 * l2 * squaredWeights;
    }

    /// <summary><see cref="SampleLoss"/> with the parameters and features taken from spans.</summary>
    public static double Loss(ReadOnlySpan<double> p, ReadOnlySpan<double> x, int label, double l2)
    {
        CheckShapes(p, x);
        return SampleLoss(
            p[0], p[1], p[2], p[3], p[4],
            p[5], p[6], p[7], p[8], p[9],
            p[10], p[11], p[12], p[13], p[14],
            x[0], x[1], x[2], x[3],
            label, l2);
    }

    /// <summary>
    /// Adds <paramref name="seed"/> × ∂SampleLoss/∂p into <paramref name="gradient"/>, using the generated
    /// pullback <c>SampleLossBackward</c>, and returns the sample's loss.
    /// </summary>
    public static double AccumulateGradient(
        ReadOnlySpan<double> p, ReadOnlySpan<double> x, int label, double l2, double seed, Span<double> gradient)
    {
        CheckShapes(p, x);
        if (gradient.Length != ParameterCount)
            throw new ArgumentException($"Expected {ParameterCount} gradient entries, got {gradient.Length}.", nameof(gradient));

        return SampleLossBackward(
            p[0], p[1], p[2], p[3], p[4],
            p[5], p[6], p[7], p[8], p[9],
            p[10], p[11], p[12], p[13], p[14],
            x[0], x[1], x[2], x[3],
            label, l2,
            seed,
            ref gradient[0], ref gradient[1], ref gradient[2], ref gradient[3], ref gradient[4],
            ref gradient[5], ref gradient[6], ref gradient[7], ref gradient[8], ref gradient[9],
            ref gradient[10], ref gradient[11], ref gradient[12], ref gradient[13], ref gradient[14]);
    }

    /// <summary>The most probable class of <paramref name="x"/>: the one with the largest score.</summary>
    public static int Predict(ReadOnlySpan<double> p, ReadOnlySpan<double> x)
    {
        CheckShapes(p, x);
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int k = 0; k < ClassCount; k++)
        {
            var w = p.Slice(k * ParametersPerClass, ParametersPerClass);
            double score = Logit(w[0], w[1], w[2], w[3], w[4], x[0], x[1], x[2], x[3]);
            if (score > bestScore)
            {
                best = k;
                bestScore = score;
            }
        }
        return best;
    }

    private static void CheckShapes(ReadOnlySpan<double> p, ReadOnlySpan<double> x)
    {
        if (p.Length != ParameterCount)
            throw new ArgumentException($"Expected {ParameterCount} parameters, got {p.Length}.", nameof(p));
        if (x.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {x.Length}.", nameof(x));
    }
}
