using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// Loops over data whose pullbacks run each iteration's reverse statements inside the loop (a sum followed by code
/// linear in it), and neighbours that must not be fused: each takes five parameters and six data values.
/// </summary>
public static partial class FusedLoops
{
    /// <summary>Mean squared error of a quadratic model: fused, and p[0], p[1] accumulate in locals.</summary>
    [Differentiable]
    public static double MeanSquaredError(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double r = p[0] * data[i] + p[1] - 0.5 * p[2] * data[i] * data[i];
            sum += r * r;
        }
        return sum / data.Length;
    }

    /// <summary>A sum scaled by a parameter, plus a penalty computed after the loop.</summary>
    [Differentiable]
    public static double ScaledSumPlusPenalty(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum += Math.Sin(p[0] * data[i]) * p[1];
        }
        double penalty = p[4] * p[4];
        double scaled = 0.5 * sum * p[3];
        return scaled - sum + penalty;
    }

    /// <summary>Mean, then the variance around it: the second loop is fused, the first (read by the second) is not.</summary>
    [Differentiable]
    public static double Variance(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++) sum += p[0] * data[i] + p[1];
        double mean = sum / data.Length;
        double squares = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double d = p[0] * data[i] + p[1] * p[2] - mean;
            squares += d * d;
        }
        return squares / data.Length;
    }

    /// <summary>The log of a sum: not linear after the loop, so not fused.</summary>
    [Differentiable]
    public static double LogOfSum(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++) sum += p[0] * data[i] * p[3] + p[1];
        return Math.Log(1 + sum * sum);
    }

    /// <summary>A branch on the data in every iteration, with exp on one side: branch records stay within the iteration.</summary>
    [Differentiable]
    public static double BranchyExpSum(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double t;
            if (data[i] > 0) t = Math.Exp(p[0] * data[i]);
            else t = p[1] * data[i] * data[i];
            sum += t * p[2];
        }
        return sum - p[3];
    }

    /// <summary>An inner loop that accumulates a local the outer iteration resets, and tanh of it.</summary>
    [Differentiable]
    public static double NestedInnerSums(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double z = p[4];
            for (int j = 0; j < 3; j++) z += p[j] * data[(i + j) % data.Length];
            sum += Math.Tanh(z);
        }
        return 2 * sum;
    }

    /// <summary>A generated callee in the loop (its split pullback keeps values on the tape within the iteration).</summary>
    [Differentiable]
    public static double CallsInLoop(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++) sum += SoftPlusProduct(p[0] * data[i], p[1]) + p[2] * data[i];
        return sum;
    }

    /// <summary>log(1 + exp(a·b)).</summary>
    [Differentiable]
    public static double SoftPlusProduct(double a, double b)
    {
        double e = Math.Exp(a * b);
        return Math.Log(1 + e);
    }

    /// <summary>A generated callee taking the parameter array, which it only reads: the loop is still fused.</summary>
    [Differentiable]
    public static double CallsWithArrays(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++) sum += Quadratic(p, data[i]) * Quadratic(p, -data[i]);
        return sum - p[4];
    }

    /// <summary>p[0] + p[1]·t + p[2]·t².</summary>
    [Differentiable]
    public static double Quadratic(double[] p, double t) => p[0] + p[1] * t + p[2] * t * t;

    /// <summary>continue in the loop: the flag is a local of the iteration.</summary>
    [Differentiable]
    public static double SkipsNegatives(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] < -0.5) continue;
            sum += p[0] * data[i] * p[1] + p[3] * p[3];
        }
        return sum;
    }

    /// <summary>A value carried from one iteration to the next: not fused.</summary>
    [Differentiable]
    public static double CarriedValue(double[] p, [NoDerivative] double[] data)
    {
        double sum = 0;
        double previous = p[4];
        for (int i = 0; i < data.Length; i++)
        {
            sum += previous * data[i];
            previous = p[0] * previous + p[1];
        }
        return sum;
    }
}
