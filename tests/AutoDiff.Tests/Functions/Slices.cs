using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// Slices of parameter vectors passed to [Differentiable] helpers, as GradBench's bundle adjustment writes them: each
/// camera is 11 numbers of one array (rotation, centre, focal length, principal point, distortion), each point 3.
/// </summary>
public static partial class Slices
{
    /// <summary>GradBench ba's projection of a point by a camera (Rodrigues rotation, radial distortion).</summary>
    [Differentiable]
    public static void Project(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, Span<double> proj)
    {
        double px = x[0] - cam[3], py = x[1] - cam[4], pz = x[2] - cam[5];
        double w0 = cam[0], w1 = cam[1], w2 = cam[2];
        double sqtheta = w0 * w0 + w1 * w1 + w2 * w2;
        double rx, ry, rz;
        // GradBench tests theta != 0; an exact comparison of a differentiated value is refused (ADIFF104), so a tolerance.
        if (sqtheta > 1e-20)
        {
            double theta = Math.Sqrt(sqtheta);
            double c = Math.Cos(theta), s = Math.Sin(theta);
            double k0 = w0 / theta, k1 = w1 / theta, k2 = w2 / theta;
            double dot = k0 * px + k1 * py + k2 * pz;
            rx = px * c + (k1 * pz - k2 * py) * s + k0 * dot * (1 - c);
            ry = py * c + (k2 * px - k0 * pz) * s + k1 * dot * (1 - c);
            rz = pz * c + (k0 * py - k1 * px) * s + k2 * dot * (1 - c);
        }
        else
        {
            rx = px + (w1 * pz - w2 * py);
            ry = py + (w2 * px - w0 * pz);
            rz = pz + (w0 * py - w1 * px);
        }
        double u = rx / rz, v = ry / rz;
        double r2 = u * u + v * v;
        double distortion = 1 + cam[9] * r2 + cam[10] * r2 * r2;
        proj[0] = cam[6] * distortion * u + cam[7];
        proj[1] = cam[6] * distortion * v + cam[8];
    }

    /// <summary>The sum of squared reprojection errors over the observations (camera, point, feature).</summary>
    [Differentiable]
    public static double ReprojectionError(double[] cams, double[] points, int[] obsCam, int[] obsPoint, [NoDerivative] double[] features)
    {
        var proj = new double[2];
        double sum = 0;
        for (int k = 0; k < obsCam.Length; k++)
        {
            Project(cams.AsSpan(11 * obsCam[k], 11), points.AsSpan(3 * obsPoint[k], 3), proj);
            double ex = proj[0] - features[2 * k], ey = proj[1] - features[2 * k + 1];
            sum += ex * ex + ey * ey;
        }
        return sum;
    }

    /// <summary>GradBench ba's residual vector: two errors per observation, each pair written through a slice of the output.</summary>
    [Differentiable]
    public static void Residuals(double[] cams, double[] points, int[] obsCam, int[] obsPoint, [NoDerivative] double[] features, Span<double> err)
    {
        for (int k = 0; k < obsCam.Length; k++)
        {
            int c = obsCam[k];
            Project(cams.AsSpan(11 * c, 11), points[(3 * obsPoint[k])..(3 * obsPoint[k] + 3)], err.Slice(2 * k, 2));
            err[2 * k] -= features[2 * k];
            err[2 * k + 1] -= features[2 * k + 1];
        }
    }

    /// <summary>A dot product of two views.</summary>
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Scalar calls on slices: ranges counted from the end, Slice with and without a length, AsSpan(start).</summary>
    [Differentiable]
    public static double Windows(double[] x)
    {
        double s = Dot(x.AsSpan(0, 3), x.AsSpan(3, 3));
        s += Math.Sin(Dot(x[^3..], x[..3]));
        s += Dot(x.AsSpan(4), x.AsSpan(1, 2));
        return s;
    }

    /// <summary>The same views of a read-only span parameter: Slice with and without a length, and ranges.</summary>
    [Differentiable]
    public static double SpanWindows(ReadOnlySpan<double> x)
    {
        double s = Dot(x.Slice(0, 3), x.Slice(3, 3));
        s += Math.Sin(Dot(x[^3..], x[..3]));
        s += Dot(x.Slice(4), x[1..3]);
        return s;
    }
}
