using System;
using AutoDiff.Primitives;

namespace AutoDiff.Models;

/// <summary>
/// The models' losses, written as ordinary [Differentiable] C#: AutoDiff generates their gradients, tangents and
/// Hessian-vector products when the runtime is built. The only hand-written derivatives are those of the vector
/// primitives (<see cref="VectorMath"/>).
/// </summary>
public static partial class Losses
{
    /// <summary>Activation codes, as <see cref="Activate"/> takes them.</summary>
    internal const int Identity = 0, Sigmoid = 1, Tanh = 2, Relu = 3, SymmetricSigmoid = 4;

    /// <summary>Output codes: softmax with cross-entropy against a label, or ½‖t − y‖² against targets.</summary>
    internal const int SoftmaxCrossEntropy = 0, SquaredError = 1;

    /// <summary>log(1 + eᶻ), in a form that neither overflows nor loses the derivative at any z.</summary>
    [Differentiable]
    public static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    /// <summary>
    /// Binary logistic regression: mean over the n rows of the cross-entropy of sigmoid(w·x + b) against the 0/1
    /// label, plus l2 · Σw² (the bias is not penalised). Computed as softplus(z) − y·z, which is exact where the naive
    /// −y·log σ(z) − (1 − y)·log(1 − σ(z)) overflows.
    /// </summary>
    /// <param name="parameters">d weights, then the bias.</param>
    /// <param name="features">n rows of d features, row-major.</param>
    /// <param name="labels">n labels, 0 or 1.</param>
    /// <param name="rows">n.</param>
    /// <param name="columns">d.</param>
    /// <param name="l2">The L2 penalty's weight.</param>
    [Differentiable]
    public static double BinaryLogistic(double[] parameters, [NoDerivative] double[] features, int[] labels, int rows, int columns, [NoDerivative] double l2)
    {
        double total = 0;
        for (int i = 0; i < rows; i++)
        {
            double z = VectorMath.DotWithConstant(parameters, 0, features, i * columns, columns) + parameters[columns];
            total += Softplus(z) - labels[i] * z;
        }
        return total / rows + l2 * VectorMath.Dot(parameters, 0, parameters, 0, columns);
    }

    /// <summary>
    /// Multinomial (softmax) logistic regression: mean cross-entropy over the n rows, plus l2 · Σw² (biases not
    /// penalised), with the log-sum-exp shifted by the largest logit so that it never overflows.
    /// </summary>
    /// <param name="parameters">k rows of d weights, row-major, then k biases.</param>
    /// <param name="features">n rows of d features, row-major.</param>
    /// <param name="labels">n labels in 0..k−1.</param>
    /// <param name="rows">n.</param>
    /// <param name="columns">d.</param>
    /// <param name="classes">k.</param>
    /// <param name="l2">The L2 penalty's weight.</param>
    [Differentiable]
    public static double MultinomialLogistic(double[] parameters, [NoDerivative] double[] features, int[] labels, int rows, int columns, int classes, [NoDerivative] double l2)
    {
        double[] logits = new double[classes];
        double total = 0;
        int biases = classes * columns;
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                logits[k] = VectorMath.DotWithConstant(parameters, k * columns, features, i * columns, columns) + parameters[biases + k];
            }
            total += VectorMath.LogSumExp(logits, 0, classes) - logits[labels[i]];
        }
        return total / rows + l2 * VectorMath.Dot(parameters, 0, parameters, 0, biases);
    }

    /// <summary>
    /// A multilayer perceptron's loss on one sample. Layer l maps sizes[l] units to sizes[l + 1]; its parameters are
    /// sizes[l + 1] rows of sizes[l] weights (row-major) followed by sizes[l + 1] biases, layer after layer.
    /// </summary>
    /// <param name="parameters">All layers' weights and biases.</param>
    /// <param name="inputs">The data, row-major; the sample starts at <paramref name="inputOffset"/>.</param>
    /// <param name="inputOffset">Where the sample's features start in <paramref name="inputs"/>.</param>
    /// <param name="sizes">The layer sizes, input and output included.</param>
    /// <param name="unitCount">The number of units after the input layer (Σ sizes[1..]).</param>
    /// <param name="activation">The hidden layers' activation (and the output's, for squared error).</param>
    /// <param name="output"><see cref="SoftmaxCrossEntropy"/> or <see cref="SquaredError"/>.</param>
    /// <param name="label">The sample's class, for softmax cross-entropy.</param>
    /// <param name="targets">The targets, row-major, for squared error (any array otherwise).</param>
    /// <param name="targetOffset">Where the sample's targets start in <paramref name="targets"/>.</param>
    [Differentiable]
    public static double PerceptronSample(double[] parameters, [NoDerivative] double[] inputs, int inputOffset, int[] sizes, int unitCount,
        int activation, int output, int label, [NoDerivative] double[] targets, int targetOffset)
    {
        double[] units = new double[unitCount];
        int layers = sizes.Length - 1;
        int parameterOffset = 0;
        int previousOffset = 0;
        int unitOffset = 0;
        for (int l = 0; l < layers; l++)
        {
            int fanIn = sizes[l];
            int fanOut = sizes[l + 1];
            bool hidden = l < layers - 1;
            int biasOffset = parameterOffset + fanOut * fanIn;
            for (int j = 0; j < fanOut; j++)
            {
                double z = parameters[biasOffset + j];
                if (l == 0) z += VectorMath.DotWithConstant(parameters, parameterOffset + j * fanIn, inputs, inputOffset, fanIn);
                else z += VectorMath.Dot(parameters, parameterOffset + j * fanIn, units, previousOffset, fanIn);
                units[unitOffset + j] = hidden || output == SquaredError ? Activate(z, activation) : z;
            }
            parameterOffset = biasOffset + fanOut;
            previousOffset = unitOffset;
            unitOffset += fanOut;
        }

        int outputs = sizes[layers];
        if (output == SoftmaxCrossEntropy) return VectorMath.LogSumExp(units, previousOffset, outputs) - units[previousOffset + label];
        double squared = 0;
        for (int k = 0; k < outputs; k++)
        {
            double difference = targets[targetOffset + k] - units[previousOffset + k];
            squared += difference * difference;
        }
        return 0.5 * squared;
    }

    /// <summary>½ · l2 · Σw² over a perceptron's weights (not its biases): weight decay, added once per batch.</summary>
    /// <param name="parameters">All layers' weights and biases, laid out as <see cref="PerceptronSample"/> takes them.</param>
    /// <param name="sizes">The layer sizes, input and output included.</param>
    /// <param name="l2">The penalty's weight.</param>
    [Differentiable]
    public static double PerceptronPenalty(double[] parameters, int[] sizes, [NoDerivative] double l2)
    {
        double sum = 0;
        int offset = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            int weights = sizes[l] * sizes[l + 1];
            sum += VectorMath.Dot(parameters, offset, parameters, offset, weights);
            offset += weights + sizes[l + 1];
        }
        return 0.5 * l2 * sum;
    }

    /// <summary>An activation function by its code.</summary>
    [Differentiable]
    public static double Activate(double z, int activation)
    {
        if (activation == Sigmoid) return z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
        if (activation == Tanh) return Math.Tanh(z);
        if (activation == Relu) return z > 0 ? z : 0;
        if (activation == SymmetricSigmoid) return 1.7159 * Math.Tanh(2.0 / 3.0 * z);
        return z;
    }
}
