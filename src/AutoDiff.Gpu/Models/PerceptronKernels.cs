using System;
using AutoDiff.Models;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// The layer kernels of <see cref="GpuPerceptron"/> in double: a batch goes through the network one layer at a time, with
/// one thread per (sample, unit) forwards, one per (sample, output) for the loss, one per parameter for the weight gradient
/// (a sum over the batch in sample order: no atomics) and one per (sample, input unit) for the adjoint of the layer below.
/// The activations and their derivatives are not written here: the kernels call <see cref="Losses.Activate"/> and its
/// generated pullback <c>Losses.ActivateBackward</c>, the CPU trainer's own code, compiled by ILGPU as device functions.
/// </summary>
/// <remarks>
/// <see cref="PerceptronKernelsSingle"/> is this file in float (the same text with double → float, Math → MathF, and the
/// activation from <see cref="KernelLosses.ActivateSingle"/>). Parameters are laid out as the runtime's
/// <see cref="MultilayerPerceptron"/> keeps them: layer by layer, fanOut rows of fanIn weights, then fanOut biases.
/// </remarks>
internal static class PerceptronKernelsDouble
{
    /// <summary>
    /// One layer forwards: thread t computes unit j = t mod fanOut of batch sample b = t / fanOut from row
    /// <paramref name="rows"/>[b] of <paramref name="input"/>: z = bias + weights·input, a = activation(z)
    /// (a = z when <paramref name="activation"/> is negative, for softmax logits).
    /// </summary>
    public static void Forward(Index1D index, ArrayView<int> rows, ArrayView2D<double, Stride2D.DenseY> input, ArrayView<double> parameters,
        int weightOffset, int fanIn, int fanOut, int activation, ArrayView2D<double, Stride2D.DenseY> z, ArrayView2D<double, Stride2D.DenseY> a)
    {
        int t = index;
        int b = t / fanOut;
        int j = t - b * fanOut;
        int row = rows[b];
        int w = weightOffset + j * fanIn;
        double dot = 0.0;
        for (int i = 0; i < fanIn; i++) dot += parameters[w + i] * input[row, i];
        double value = parameters[weightOffset + fanOut * fanIn + j] + dot;
        z[b, j] = value;
        a[b, j] = activation < 0 ? value : Losses.Activate(value, activation);
    }

    /// <summary>
    /// The loss of sample b (one thread each): softmax cross-entropy of the logits <paramref name="a"/> against the label, or
    /// ½‖t − a‖² against the one-hot target; writes the value, <paramref name="seed"/> × ∂loss/∂z of the output layer, and the
    /// predicted class (the first largest output).
    /// </summary>
    public static void Loss(Index1D index, ArrayView<int> rows, ArrayView<int> labels, ArrayView2D<double, Stride2D.DenseY> z,
        ArrayView2D<double, Stride2D.DenseY> a, int outputs, int squaredError, int activation, double seed, ArrayView<double> values,
        ArrayView2D<double, Stride2D.DenseY> dZ, ArrayView<int> predicted)
    {
        int b = index;
        int label = labels[rows[b]];
        int best = 0;
        double largest = a[b, 0];
        for (int k = 1; k < outputs; k++)
        {
            if (a[b, k] > largest)
            {
                largest = a[b, k];
                best = k;
            }
        }
        predicted[b] = best;
        if (squaredError == 0)
        {
            double sum = 0.0;
            for (int k = 0; k < outputs; k++) sum += Math.Exp(a[b, k] - largest);
            values[b] = largest + Math.Log(sum) - a[b, label];
            for (int k = 0; k < outputs; k++) dZ[b, k] = seed * (Math.Exp(a[b, k] - largest) / sum - (k == label ? 1.0 : 0.0));
        }
        else
        {
            double squared = 0.0;
            for (int k = 0; k < outputs; k++)
            {
                double difference = (k == label ? 1.0 : 0.0) - a[b, k];
                squared += difference * difference;
                double dz = 0.0;
                Losses.ActivateBackward(z[b, k], activation, -seed * difference, ref dz);
                dZ[b, k] = dz;
            }
            values[b] = 0.5 * squared;
        }
    }

    /// <summary>
    /// The gradient of one layer's parameters, one thread per parameter: thread t takes unit j = t / (fanIn + 1) and input
    /// i = t mod (fanIn + 1), where i = fanIn stands for the bias, and sums dZ[b, j] × input[rows[b], i] over the
    /// <paramref name="count"/> samples in order.
    /// </summary>
    public static void WeightGradient(Index1D index, int count, ArrayView<int> rows, ArrayView2D<double, Stride2D.DenseY> input,
        ArrayView2D<double, Stride2D.DenseY> dZ, int weightOffset, int fanIn, int fanOut, ArrayView<double> gradient)
    {
        int t = index;
        int j = t / (fanIn + 1);
        int i = t - j * (fanIn + 1);
        double sum = 0.0;
        if (i == fanIn)
        {
            for (int b = 0; b < count; b++) sum += dZ[b, j];
            gradient[weightOffset + fanOut * fanIn + j] = sum;
        }
        else
        {
            for (int b = 0; b < count; b++) sum += dZ[b, j] * input[rows[b], i];
            gradient[weightOffset + j * fanIn + i] = sum;
        }
    }

    /// <summary>
    /// The adjoint of the layer below, one thread per (sample b = t / fanIn, unit i): dA = Σⱼ W[j, i] · dZ[b, j], then
    /// dZ below = dA · activation′(z below), through the generated pullback of the activation.
    /// </summary>
    public static void InputGradient(Index1D index, ArrayView<double> parameters, int weightOffset, int fanIn, int fanOut,
        ArrayView2D<double, Stride2D.DenseY> dZ, ArrayView2D<double, Stride2D.DenseY> zBelow, int activation, ArrayView2D<double, Stride2D.DenseY> dZBelow)
    {
        int t = index;
        int b = t / fanIn;
        int i = t - b * fanIn;
        double dA = 0.0;
        for (int j = 0; j < fanOut; j++) dA += parameters[weightOffset + j * fanIn + i] * dZ[b, j];
        double dz = 0.0;
        Losses.ActivateBackward(zBelow[b, i], activation, dA, ref dz);
        dZBelow[b, i] = dz;
    }
}

/// <summary>
/// <see cref="PerceptronKernelsDouble"/> in float: the same kernels (keep the two in step), with the activation and its
/// generated pullback from <see cref="KernelLosses.ActivateSingle"/>.
/// </summary>
internal static class PerceptronKernelsSingle
{
    /// <summary>
    /// One layer forwards: thread t computes unit j = t mod fanOut of batch sample b = t / fanOut from row
    /// <paramref name="rows"/>[b] of <paramref name="input"/>: z = bias + weights·input, a = activation(z)
    /// (a = z when <paramref name="activation"/> is negative, for softmax logits).
    /// </summary>
    public static void Forward(Index1D index, ArrayView<int> rows, ArrayView2D<float, Stride2D.DenseY> input, ArrayView<float> parameters,
        int weightOffset, int fanIn, int fanOut, int activation, ArrayView2D<float, Stride2D.DenseY> z, ArrayView2D<float, Stride2D.DenseY> a)
    {
        int t = index;
        int b = t / fanOut;
        int j = t - b * fanOut;
        int row = rows[b];
        int w = weightOffset + j * fanIn;
        float dot = 0.0f;
        for (int i = 0; i < fanIn; i++) dot += parameters[w + i] * input[row, i];
        float value = parameters[weightOffset + fanOut * fanIn + j] + dot;
        z[b, j] = value;
        a[b, j] = activation < 0 ? value : KernelLosses.ActivateSingle(value, activation);
    }

    /// <summary>
    /// The loss of sample b (one thread each): softmax cross-entropy of the logits <paramref name="a"/> against the label, or
    /// ½‖t − a‖² against the one-hot target; writes the value, <paramref name="seed"/> × ∂loss/∂z of the output layer, and the
    /// predicted class (the first largest output).
    /// </summary>
    public static void Loss(Index1D index, ArrayView<int> rows, ArrayView<int> labels, ArrayView2D<float, Stride2D.DenseY> z,
        ArrayView2D<float, Stride2D.DenseY> a, int outputs, int squaredError, int activation, float seed, ArrayView<float> values,
        ArrayView2D<float, Stride2D.DenseY> dZ, ArrayView<int> predicted)
    {
        int b = index;
        int label = labels[rows[b]];
        int best = 0;
        float largest = a[b, 0];
        for (int k = 1; k < outputs; k++)
        {
            if (a[b, k] > largest)
            {
                largest = a[b, k];
                best = k;
            }
        }
        predicted[b] = best;
        if (squaredError == 0)
        {
            float sum = 0.0f;
            for (int k = 0; k < outputs; k++) sum += MathF.Exp(a[b, k] - largest);
            values[b] = largest + MathF.Log(sum) - a[b, label];
            for (int k = 0; k < outputs; k++) dZ[b, k] = seed * (MathF.Exp(a[b, k] - largest) / sum - (k == label ? 1.0f : 0.0f));
        }
        else
        {
            float squared = 0.0f;
            for (int k = 0; k < outputs; k++)
            {
                float difference = (k == label ? 1.0f : 0.0f) - a[b, k];
                squared += difference * difference;
                float dz = 0.0f;
                KernelLosses.ActivateSingleBackward(z[b, k], activation, -seed * difference, ref dz);
                dZ[b, k] = dz;
            }
            values[b] = 0.5f * squared;
        }
    }

    /// <summary>
    /// The gradient of one layer's parameters, one thread per parameter: thread t takes unit j = t / (fanIn + 1) and input
    /// i = t mod (fanIn + 1), where i = fanIn stands for the bias, and sums dZ[b, j] × input[rows[b], i] over the
    /// <paramref name="count"/> samples in order.
    /// </summary>
    public static void WeightGradient(Index1D index, int count, ArrayView<int> rows, ArrayView2D<float, Stride2D.DenseY> input,
        ArrayView2D<float, Stride2D.DenseY> dZ, int weightOffset, int fanIn, int fanOut, ArrayView<float> gradient)
    {
        int t = index;
        int j = t / (fanIn + 1);
        int i = t - j * (fanIn + 1);
        float sum = 0.0f;
        if (i == fanIn)
        {
            for (int b = 0; b < count; b++) sum += dZ[b, j];
            gradient[weightOffset + fanOut * fanIn + j] = sum;
        }
        else
        {
            for (int b = 0; b < count; b++) sum += dZ[b, j] * input[rows[b], i];
            gradient[weightOffset + j * fanIn + i] = sum;
        }
    }

    /// <summary>
    /// The adjoint of the layer below, one thread per (sample b = t / fanIn, unit i): dA = Σⱼ W[j, i] · dZ[b, j], then
    /// dZ below = dA · activation′(z below), through the generated pullback of the activation.
    /// </summary>
    public static void InputGradient(Index1D index, ArrayView<float> parameters, int weightOffset, int fanIn, int fanOut,
        ArrayView2D<float, Stride2D.DenseY> dZ, ArrayView2D<float, Stride2D.DenseY> zBelow, int activation, ArrayView2D<float, Stride2D.DenseY> dZBelow)
    {
        int t = index;
        int b = t / fanIn;
        int i = t - b * fanIn;
        float dA = 0.0f;
        for (int j = 0; j < fanOut; j++) dA += parameters[weightOffset + j * fanIn + i] * dZ[b, j];
        float dz = 0.0f;
        KernelLosses.ActivateSingleBackward(zBelow[b, i], activation, dA, ref dz);
        dZBelow[b, i] = dz;
    }
}
