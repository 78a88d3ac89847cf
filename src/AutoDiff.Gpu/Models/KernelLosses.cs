using System;

namespace AutoDiff.Gpu.Models;

/// <summary>
/// Per-sample losses written for kernels: plain loops and <c>Math</c> calls, no vector primitives, so that the generator
/// can emit ILGPU kernels of them (<c>[GpuKernel]</c>) besides their CPU derivatives. The parameter layout is that of
/// <see cref="AutoDiff.Models.LogisticRegression"/> for two classes: the d weights, then the bias.
/// </summary>
public static partial class KernelLosses
{
    /// <summary>
    /// The logistic loss of one sample, log(1 + e^z) − y·z with z = w·x + b, written so that it never overflows. Its mean
    /// over rows is <see cref="AutoDiff.Models.Losses.BinaryLogistic"/> without the penalty.
    /// </summary>
    /// <param name="x">The sample's d features.</param>
    /// <param name="y">The sample's label, 0 or 1.</param>
    /// <param name="w">The d weights, then the bias (d + 1 values).</param>
    [Differentiable, GpuKernel]
    public static double BinaryLogistic([PerSample] double[] x, [PerSample] double y, double[] w)
    {
        double dot = 0.0;
        for (int j = 0; j < x.Length; j++) dot += w[j] * x[j];
        // The sum is assigned once after the loop, so the reverse sweep reads z, never an overwritten value: no tape.
        double z = dot + w[x.Length];
        return Math.Max(z, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(z))) - y * z;
    }

    /// <summary>The logistic loss of one sample in single precision: <see cref="BinaryLogistic"/> in float.</summary>
    /// <param name="x">The sample's d features.</param>
    /// <param name="y">The sample's label, 0 or 1.</param>
    /// <param name="w">The d weights, then the bias (d + 1 values).</param>
    [Differentiable, GpuKernel]
    public static float BinaryLogisticSingle([PerSample] float[] x, [PerSample] float y, float[] w)
    {
        float dot = 0.0f;
        for (int j = 0; j < x.Length; j++) dot += w[j] * x[j];
        float z = dot + w[x.Length];
        return MathF.Max(z, 0.0f) + MathF.Log(1.0f + MathF.Exp(-MathF.Abs(z))) - y * z;
    }

    /// <summary>
    /// The softmax cross-entropy of one sample in single precision: <see cref="LossKernels.MultinomialLogistic"/> in float,
    /// written with loops (the runtime's vector primitives are double only). The logits are shifted by their largest
    /// value, found as a running maximum in a second local array without a derivative (the shift cancels in the
    /// gradient), so that no exponential overflows; every loop writes each element of its local arrays once, so the
    /// reverse sweep needs no tape.
    /// </summary>
    /// <param name="x">The sample's d features.</param>
    /// <param name="label">The sample's class, 0 to classes − 1.</param>
    /// <param name="w">The classes rows of d weights (row-major), then the classes biases.</param>
    /// <param name="classes">The number of classes.</param>
    [Differentiable, GpuKernel]
    public static float MultinomialLogisticSingle([PerSample] float[] x, [PerSample] int label, float[] w, int classes)
    {
        float[] logits = new float[classes];
        float[] runningMax = new float[classes];
        int columns = x.Length;
        for (int k = 0; k < classes; k++)
        {
            float z = w[classes * columns + k];
            for (int j = 0; j < columns; j++) z += w[k * columns + j] * x[j];
            logits[k] = z;
            float value = Ad.WithoutDerivative(z);
            runningMax[k] = k == 0 ? value : MathF.Max(runningMax[k - 1], value);
        }
        float shift = runningMax[classes - 1];
        // The shifted exponentials are kept one per class, so that the reverse sweep reads each where it was written.
        float[] exponentials = new float[classes];
        float sum = 0.0f;
        for (int k = 0; k < classes; k++)
        {
            exponentials[k] = MathF.Exp(logits[k] - shift);
            sum += exponentials[k];
        }
        return shift + MathF.Log(sum) - logits[label];
    }

    /// <summary>
    /// <see cref="AutoDiff.Models.Losses.Activate"/> in float, for the float kernels of <see cref="GpuPerceptron"/>, which
    /// call it and its generated pullback <c>ActivateSingleBackward</c> as device functions. The codes are those of
    /// <see cref="AutoDiff.Models.Activation"/>: 1 sigmoid, 2 tanh, 3 ReLU, 4 symmetric sigmoid, anything else identity.
    /// </summary>
    /// <param name="z">The unit's input.</param>
    /// <param name="activation">The activation's code.</param>
    [Differentiable]
    public static float ActivateSingle(float z, int activation)
    {
        if (activation == 1) return z >= 0 ? 1 / (1 + MathF.Exp(-z)) : MathF.Exp(z) / (1 + MathF.Exp(z));
        if (activation == 2) return MathF.Tanh(z);
        if (activation == 3) return z > 0 ? z : 0;
        if (activation == 4) return 1.7159f * MathF.Tanh(2.0f / 3.0f * z);
        return z;
    }
}
