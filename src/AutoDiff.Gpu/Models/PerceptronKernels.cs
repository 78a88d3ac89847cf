using System;
using System.Numerics;
using AutoDiff.Models;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// The layer kernels of <see cref="GpuPerceptron"/>, for double and float (element type <c>T</c>, with
/// <see cref="DoubleKernelMath"/> or <see cref="SingleKernelMath"/>): a batch goes through the network one layer at a time, with
/// one thread per (sample, unit) forwards, one per (sample, output) for the loss, one per parameter for the weight gradient
/// (a sum over the batch in sample order: no atomics) and one per (sample, input unit) for the adjoint of the layer below.
/// The activations and their derivatives are not written here: the kernels call <see cref="Losses.Activate"/> and its
/// generated pullback <c>Losses.ActivateBackward</c>, the CPU trainer's own code, compiled by ILGPU as device functions.
/// </summary>
/// <remarks>
/// ILGPU compiles a generic kernel for each instantiation, and calls through the struct <c>TMath</c> are direct.
/// Parameters are laid out as the runtime's
/// <see cref="MultilayerPerceptron"/> keeps them: layer by layer, fanOut rows of fanIn weights, then fanOut biases.
/// </remarks>
internal static class PerceptronKernels
{
    /// <summary>
    /// One layer forwards: thread t computes unit j = t mod fanOut of batch sample b = t / fanOut from row
    /// <paramref name="rows"/>[b] of <paramref name="input"/>: z = bias + weights·input, a = activation(z)
    /// (a = z when <paramref name="activation"/> is negative, for softmax logits).
    /// </summary>
    public static void Forward<T, TMath>(Index1D index, ArrayView<int> rows, ArrayView2D<T, Stride2D.DenseY> input, ArrayView<T> parameters,
        int weightOffset, int fanIn, int fanOut, int activation, ArrayView2D<T, Stride2D.DenseY> z, ArrayView2D<T, Stride2D.DenseY> a)
        where T : unmanaged, INumber<T>
        where TMath : struct, IKernelMath<T>
    {
        int t = index;
        int b = t / fanOut;
        int j = t - b * fanOut;
        int row = rows[b];
        int w = weightOffset + j * fanIn;
        T dot = T.Zero;
        for (int i = 0; i < fanIn; i++) dot += parameters[w + i] * input[row, i];
        T value = parameters[weightOffset + fanOut * fanIn + j] + dot;
        z[b, j] = value;
        a[b, j] = activation < 0 ? value : default(TMath).Activate(value, activation);
    }

    /// <summary>
    /// The loss of sample b (one thread each): softmax cross-entropy of the logits <paramref name="a"/> against the label, or
    /// ½‖t − a‖² against the one-hot target; writes the value, <paramref name="seed"/> × ∂loss/∂z of the output layer, and the
    /// predicted class (the first largest output).
    /// </summary>
    public static void Loss<T, TMath>(Index1D index, ArrayView<int> rows, ArrayView<int> labels, ArrayView2D<T, Stride2D.DenseY> z,
        ArrayView2D<T, Stride2D.DenseY> a, int outputs, int squaredError, int activation, T seed, ArrayView<T> values,
        ArrayView2D<T, Stride2D.DenseY> dZ, ArrayView<int> predicted)
        where T : unmanaged, INumber<T>
        where TMath : struct, IKernelMath<T>
    {
        int b = index;
        int label = labels[rows[b]];
        int best = 0;
        T largest = a[b, 0];
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
            T sum = T.Zero;
            for (int k = 0; k < outputs; k++) sum += default(TMath).Exp(a[b, k] - largest);
            values[b] = largest + default(TMath).Log(sum) - a[b, label];
            for (int k = 0; k < outputs; k++) dZ[b, k] = seed * (default(TMath).Exp(a[b, k] - largest) / sum - (k == label ? T.One : T.Zero));
        }
        else
        {
            T squared = T.Zero;
            for (int k = 0; k < outputs; k++)
            {
                T difference = (k == label ? T.One : T.Zero) - a[b, k];
                squared += difference * difference;
                T dz = T.Zero;
                default(TMath).ActivateBackward(z[b, k], activation, -seed * difference, ref dz);
                dZ[b, k] = dz;
            }
            values[b] = squared / (T.One + T.One);
        }
    }

    /// <summary>
    /// The gradient of one layer's parameters, one thread per parameter: thread t takes unit j = t / (fanIn + 1) and input
    /// i = t mod (fanIn + 1), where i = fanIn stands for the bias, and sums dZ[b, j] × input[rows[b], i] over the
    /// <paramref name="count"/> samples in order.
    /// </summary>
    public static void WeightGradient<T, TMath>(Index1D index, int count, ArrayView<int> rows, ArrayView2D<T, Stride2D.DenseY> input,
        ArrayView2D<T, Stride2D.DenseY> dZ, int weightOffset, int fanIn, int fanOut, ArrayView<T> gradient)
        where T : unmanaged, INumber<T>
        where TMath : struct, IKernelMath<T>
    {
        int t = index;
        int j = t / (fanIn + 1);
        int i = t - j * (fanIn + 1);
        T sum = T.Zero;
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
    public static void InputGradient<T, TMath>(Index1D index, ArrayView<T> parameters, int weightOffset, int fanIn, int fanOut,
        ArrayView2D<T, Stride2D.DenseY> dZ, ArrayView2D<T, Stride2D.DenseY> zBelow, int activation, ArrayView2D<T, Stride2D.DenseY> dZBelow)
        where T : unmanaged, INumber<T>
        where TMath : struct, IKernelMath<T>
    {
        int t = index;
        int b = t / fanIn;
        int i = t - b * fanIn;
        T dA = T.Zero;
        for (int j = 0; j < fanOut; j++) dA += parameters[weightOffset + j * fanIn + i] * dZ[b, j];
        T dz = T.Zero;
        default(TMath).ActivateBackward(zBelow[b, i], activation, dA, ref dz);
        dZBelow[b, i] = dz;
    }
}

/// <summary>The floating-point operations the layer kernels need, for one element type (a struct, so ILGPU inlines them).</summary>
internal interface IKernelMath<T>
    where T : unmanaged
{
    T Exp(T x);

    T Log(T x);

    /// <summary>The runtime's activation (<see cref="Losses.Activate"/>, or its float twin).</summary>
    T Activate(T z, int activation);

    /// <summary>The activation's generated pullback: adds <paramref name="seed"/> × activation′(z) into <paramref name="dZ"/>.</summary>
    void ActivateBackward(T z, int activation, T seed, ref T dZ);
}

/// <summary>double: <see cref="Math"/>, and the runtime's own <see cref="Losses.Activate"/> with its generated pullback.</summary>
internal readonly struct DoubleKernelMath : IKernelMath<double>
{
    public double Exp(double x) => Math.Exp(x);

    public double Log(double x) => Math.Log(x);

    public double Activate(double z, int activation) => Losses.Activate(z, activation);

    public void ActivateBackward(double z, int activation, double seed, ref double dZ) => Losses.ActivateBackward(z, activation, seed, ref dZ);
}

/// <summary>float: <see cref="MathF"/>, and <see cref="KernelLosses.ActivateSingle"/> with its generated pullback.</summary>
internal readonly struct SingleKernelMath : IKernelMath<float>
{
    public float Exp(float x) => MathF.Exp(x);

    public float Log(float x) => MathF.Log(x);

    public float Activate(float z, int activation) => KernelLosses.ActivateSingle(z, activation);

    public void ActivateBackward(float z, int activation, float seed, ref float dZ) => KernelLosses.ActivateSingleBackward(z, activation, seed, ref dZ);
}
