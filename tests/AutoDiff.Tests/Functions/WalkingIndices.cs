using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// The C idiom for walking a parameter vector, as ADBench's and GradBench's reference programs write it: an integer
/// advanced inside the expression that reads (or writes) the element, <c>camera[k++]</c>, <c>packed[k++] = …</c>.
/// </summary>
public static partial class WalkingIndices
{
    /// <summary>
    /// A camera (small-angle rotation, translation, focal length) unpacked from one parameter vector, a point
    /// projected by it, and the squared reprojection error against an observation: bundle adjustment's residual.
    /// </summary>
    [Differentiable]
    public static double ReprojectionError(double[] camera, double[] point, [NoDerivative] double[] observed)
    {
        int k = 0;
        double rx = camera[k++], ry = camera[k++], rz = camera[k++];
        double tx = camera[k++], ty = camera[k++], tz = camera[k++];
        double focal = camera[k++];
        double px = point[0] + ry * point[2] - rz * point[1] + tx;
        double py = point[1] + rz * point[0] - rx * point[2] + ty;
        double pz = point[2] + rx * point[1] - ry * point[0] + tz;
        double u = focal * px / pz - observed[0];
        double v = focal * py / pz - observed[1];
        return u * u + v * v;
    }

    /// <summary>A one-hidden-layer network whose weights are read one after another from a flat vector.</summary>
    [Differentiable]
    public static double FlatNetwork(double[] theta, [NoDerivative] double[] x)
    {
        int p = 0;
        double output = theta[p++];
        for (int j = 0; j < 3; j++)
        {
            double h = theta[p++];
            for (int i = 0; i < x.Length; i++) h += theta[p++] * x[i];
            output += theta[p++] * Math.Tanh(h);
        }
        return output;
    }

    /// <summary>Values packed into a local array with <c>packed[k++] = …</c>, then read back in pairs.</summary>
    [Differentiable]
    public static double PackedPairs(double[] a)
    {
        var packed = new double[2 * a.Length];
        int k = 0;
        for (int i = 0; i < a.Length; i++)
        {
            packed[k++] = a[i] * a[i];
            packed[k++] = Math.Sin(a[i]);
        }
        double s = 0;
        for (int i = 0; i + 1 < packed.Length; i += 2) s += packed[i] * packed[i + 1];
        return s;
    }

    /// <summary>An index formula, marked [Differentiable] as a user might: integers only, so a plain helper.</summary>
    [Differentiable]
    public static int At(int row, int column, int columns) => row * columns + column;

    /// <summary>A 2×2 determinant read from a row-major flat array through <see cref="At"/>.</summary>
    [Differentiable]
    public static double Determinant2(double[] m) => m[At(0, 0, 2)] * m[At(1, 1, 2)] - m[At(0, 1, 2)] * m[At(1, 0, 2)];

    /// <summary>From the end, two at a time (prefix decrements), and every second element (a compound assignment).</summary>
    [Differentiable]
    public static double FromTheEnd(double[] a)
    {
        int k = a.Length;
        double s = 0;
        while (k >= 2)
        {
            double last = a[--k];
            s += last * a[--k];
        }
        int m = -1;
        while (m + 2 < a.Length) s += Math.Cos(a[m += 2]);
        return s;
    }
}
