// Slices of arrays and spans passed to [Differentiable] helpers (issue 18): GradBench's bundle adjustment written as its
// reference implementation is (cameras and points as sub-vectors of two parameter arrays, residuals written through slices
// of the output), checked against plain C# without slices, central differences, and across modes.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;
using static AutoDiff.Tests.VectorHelperCheck;

namespace AutoDiff.Tests;

public class SliceTests
{
    /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
    public static readonly string[] Checked =
    {
        nameof(Slices.Project), nameof(Slices.ReprojectionError), nameof(Slices.Residuals), nameof(Slices.Dot),
        nameof(Slices.Windows), nameof(Slices.SpanWindows),
    };

    private const int Cameras = 2, Points = 3;
    private static readonly int[] ObsCam = { 0, 1, 0, 1, 1 };
    private static readonly int[] ObsPoint = { 0, 0, 1, 2, 1 };
    private static readonly double[] Features = { 0.1, -0.2, 0.3, 0.05, -0.1, 0.2, 0.0, 0.15, 0.25, -0.3 };

    /// <summary>Each camera's 11 numbers and each point's 3, in ranges where the projection is smooth.</summary>
    private static readonly (double, double)[] CameraRanges =
    {
        (-0.3, 0.3), (-0.3, 0.3), (-0.3, 0.3), (-0.5, 0.5), (-0.5, 0.5), (-0.5, 0.5), (0.8, 1.2), (-0.1, 0.1), (-0.1, 0.1), (-0.05, 0.05), (-0.05, 0.05),
    };

    private static readonly (double, double)[] PointRanges = { (-1, 1), (-1, 1), (4, 6) };

    private static readonly Func<Random, double[]> ProblemDomain = Domain.Box(
        Enumerable.Repeat(CameraRanges, Cameras).SelectMany(r => r).Concat(Enumerable.Repeat(PointRanges, Points).SelectMany(r => r)).ToArray());

    /// <summary>GradBench ba's projection, by hand, on arrays.</summary>
    private static (double, double) ProjectByHand(double[] cam, double[] x)
    {
        var p = new[] { x[0] - cam[3], x[1] - cam[4], x[2] - cam[5] };
        var w = cam[..3];
        double theta = Math.Sqrt(w.Sum(e => e * e));
        double[] r;
        if (theta * theta > 1e-20)
        {
            var k = w.Select(e => e / theta).ToArray();
            double dot = k[0] * p[0] + k[1] * p[1] + k[2] * p[2];
            var cross = new[] { k[1] * p[2] - k[2] * p[1], k[2] * p[0] - k[0] * p[2], k[0] * p[1] - k[1] * p[0] };
            r = Enumerable.Range(0, 3).Select(i => p[i] * Math.Cos(theta) + cross[i] * Math.Sin(theta) + k[i] * dot * (1 - Math.Cos(theta))).ToArray();
        }
        else
        {
            r = new[] { p[0] + w[1] * p[2] - w[2] * p[1], p[1] + w[2] * p[0] - w[0] * p[2], p[2] + w[0] * p[1] - w[1] * p[0] };
        }
        double u = r[0] / r[2], v = r[1] / r[2];
        double r2 = u * u + v * v;
        double distortion = 1 + cam[9] * r2 + cam[10] * r2 * r2;
        return (cam[6] * distortion * u + cam[7], cam[6] * distortion * v + cam[8]);
    }

    private static (double[] Cams, double[] Points) Split(double[] p) => (p[..(11 * Cameras)], p[(11 * Cameras)..]);

    [Fact]
    public void ReprojectionError()
    {
        var point = ProblemDomain(new Random(1));
        var (cams, points) = Split(point);
        double expected = 0;
        for (int k = 0; k < ObsCam.Length; k++)
        {
            var (u, v) = ProjectByHand(cams[(11 * ObsCam[k])..(11 * ObsCam[k] + 11)], points[(3 * ObsPoint[k])..(3 * ObsPoint[k] + 3)]);
            expected += Math.Pow(u - Features[2 * k], 2) + Math.Pow(v - Features[2 * k + 1], 2);
        }
        Assert.Equal(expected, Slices.ReprojectionError(cams, points, ObsCam, ObsPoint, Features), 12);

        int n = 11 * Cameras + 3 * Points;
        CheckArrayFunction("Slices.ReprojectionError", n,
            p => { var (c, x) = Split(p); return Slices.ReprojectionError(c, x, ObsCam, ObsPoint, Features); },
            p => { var (c, x) = Split(p); var g = Slices.ReprojectionErrorGradient(c, x, ObsCam, ObsPoint, Features); return (g.Value, g.dCams.Concat(g.dPoints).ToArray()); },
            (p, s, a) =>
            {
                var (c, x) = Split(p);
                var (dc, dx) = Split(a);
                var value = Slices.ReprojectionErrorBackward(c, x, ObsCam, ObsPoint, Features, s, dc, dx);
                dc.Concat(dx).ToArray().CopyTo(a, 0);
                return value;
            },
            (p, v) => { var (c, x) = Split(p); var (vc, vx) = Split(v); return Slices.ReprojectionErrorTangent(c, x, ObsCam, ObsPoint, Features, vc, vx); },
            (p, v) =>
            {
                var (c, x) = Split(p);
                var (vc, vx) = Split(v);
                var hv = Slices.ReprojectionErrorHessianVector(c, x, ObsCam, ObsPoint, Features, vc, vx);
                return hv.dCams.Concat(hv.dPoints).ToArray();
            },
            p => { var (c, x) = Split(p); return Slices.ReprojectionErrorHessian(c, x, ObsCam, ObsPoint, Features); },
            ProblemDomain);
    }

    [Fact]
    public void ResidualsJacobianAgreesWithCentralDifferencesAndTheirModes()
    {
        var random = new Random(4);
        for (int trial = 0; trial < 5; trial++)
        {
            var point = ProblemDomain(random);
            double[] Run(double[] p)
            {
                var (c, x) = Split(p);
                var err = new double[2 * ObsCam.Length];
                Slices.Residuals(c, x, ObsCam, ObsPoint, Features, err);
                return err;
            }
            var values = Run(point);
            var (cams, points) = Split(point);
            for (int k = 0; k < ObsCam.Length; k++)
            {
                var (u, v) = ProjectByHand(cams[(11 * ObsCam[k])..(11 * ObsCam[k] + 11)], points[(3 * ObsPoint[k])..(3 * ObsPoint[k] + 3)]);
                Assert.Equal(u - Features[2 * k], values[2 * k], 12);
                Assert.Equal(v - Features[2 * k + 1], values[2 * k + 1], 12);
            }
            var jacobian = Slices.ResidualsJacobian(cams, points, ObsCam, ObsPoint, Features, new double[2 * ObsCam.Length]);
            AssertClose("ResidualsJacobian", CentralJacobian(Run, point), jacobian);
            // FTangent (J·v) against the Jacobian.
            var direction = Enumerable.Range(0, point.Length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var (vc, vx) = Split(direction);
            var errors = new double[2 * ObsCam.Length];
            var errorsTangent = new double[2 * ObsCam.Length];
            Slices.ResidualsTangent(cams, points, ObsCam, ObsPoint, Features, errors, vc, vx, errorsTangent);
            for (int r = 0; r < values.Length; r++)
            {
                double jv = Enumerable.Range(0, point.Length).Sum(c => jacobian[r, c] * direction[c]);
                Assert.Equal(jv, errorsTangent[r], 10);
            }
        }
    }

    [Fact]
    public void Windows()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.4, -0.2, 0.9 };
        double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
        double expected = Dot(x[..3], x[3..6]) + Math.Sin(Dot(x[3..], x[..3])) + Dot(x[4..], x[1..3]);
        Assert.Equal(expected, Slices.Windows(x), 14);
        Assert.Equal(expected, Slices.SpanWindows(x), 14);
        CheckArrayFunction("Slices.Windows", 6, Slices.Windows, Slices.WindowsGradient, (p, s, a) => Slices.WindowsBackward(p, s, a),
            (p, v) => Slices.WindowsTangent(p, v), (p, v) => Slices.WindowsHessianVector(p, v), Slices.WindowsHessian, Domain.Box(-1, 1, 6));
        CheckArrayFunction("Slices.SpanWindows", 6, p => Slices.SpanWindows(p), p => Slices.SpanWindowsGradient(p),
            (p, s, a) => Slices.SpanWindowsBackward(p, s, a), (p, v) => Slices.SpanWindowsTangent(p, v),
            (p, v) => Slices.SpanWindowsHessianVector(p, v), p => Slices.SpanWindowsHessian(p), Domain.Box(-1, 1, 6));
    }

    [Fact]
    public void ProjectHelper() => CheckHelper("Project", 14, 2,
        (p, entry) => { var proj = (double[])entry.Clone(); Slices.Project(p[..11], p[11..], proj); return proj; },
        p => Slices.ProjectJacobian(p[..11], p[11..], new double[2]),
        (p, proj, seed, adjoints) =>
        {
            var dCam = new double[11];
            var dX = new double[3];
            Slices.ProjectBackwardInPlace(p[..11], p[11..], proj, seed, dCam, dX);
            dCam.Concat(dX).ToArray().CopyTo(adjoints, 0);
        },
        Domain.Box(CameraRanges.Concat(PointRanges).ToArray()));

    [Fact]
    public void DotOfViews()
    {
        double[] a = { 1, 2, 3, 4, 5 };
        Assert.Equal(1 * 4 + 2 * 5, Slices.Dot(a.AsSpan(0, 2), a.AsSpan(3, 2)));
        var (value, dA, dB) = Slices.DotGradient(new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 });
        Assert.Equal(11.0, value);
        Assert.Equal(new[] { 3.0, 4.0 }, dA);
        Assert.Equal(new[] { 1.0, 2.0 }, dB);
    }
}
