// Span locals (issue 18): GradBench's bundle adjustment as its reference implementation is written, with a camera's centre
// kept as a view, and smaller methods for the other forms of span locals, checked against plain C#, central differences
// and across modes.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;
using static AutoDiff.Tests.VectorHelperCheck;

namespace AutoDiff.Tests;

public class SpanLocalTests
{
    /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
    public static readonly string[] Checked =
    {
        nameof(SpanLocals.SqSum), nameof(SpanLocals.Cross), nameof(SpanLocals.RodriguesRotatePoint), nameof(SpanLocals.RadialDistort),
        nameof(SpanLocals.Project), nameof(SpanLocals.ComputeReprojError), nameof(SpanLocals.ComputeZachWeightError), nameof(SpanLocals.Objective),
        nameof(SpanLocals.RowTerms), nameof(SpanLocals.ViewOfAView), nameof(SpanLocals.WritesThroughViews), nameof(SpanLocals.Halves),
        nameof(SpanLocals.Scale), nameof(SpanLocals.FillBySlices), nameof(SpanLocals.CallsFillBySlices),
        nameof(SpanLocals.Sigmoid), nameof(SpanLocals.LogSumExp), nameof(SpanLocals.LstmModel), nameof(SpanLocals.LstmPredict), nameof(SpanLocals.LstmObjective),
    };

    /// <summary>A camera's 11 numbers and a point's 3, where the projection is smooth (the point in front of the camera).</summary>
    private static readonly (double, double)[] CameraAndPoint =
    {
        (-0.3, 0.3), (-0.3, 0.3), (-0.3, 0.3), (-0.5, 0.5), (-0.5, 0.5), (-0.5, 0.5), (0.8, 1.2), (-0.1, 0.1), (-0.1, 0.1), (-0.05, 0.05), (-0.05, 0.05),
        (-1, 1), (-1, 1), (4, 6),
    };

    /// <summary>The projection written by hand from the reference's formulas, on arrays.</summary>
    private static (double, double) ProjectByHand(double[] cam, double[] x)
    {
        var p = new[] { x[0] - cam[3], x[1] - cam[4], x[2] - cam[5] };
        var w = cam[..3];
        double theta = Math.Sqrt(w.Sum(e => e * e));
        var k = w.Select(e => e / theta).ToArray();
        double dot = k[0] * p[0] + k[1] * p[1] + k[2] * p[2];
        var cross = new[] { k[1] * p[2] - k[2] * p[1], k[2] * p[0] - k[0] * p[2], k[0] * p[1] - k[1] * p[0] };
        var r = Enumerable.Range(0, 3).Select(i => p[i] * Math.Cos(theta) + cross[i] * Math.Sin(theta) + k[i] * dot * (1 - Math.Cos(theta))).ToArray();
        double u = r[0] / r[2], v = r[1] / r[2];
        double r2 = u * u + v * v;
        double distortion = 1 + cam[9] * r2 + cam[10] * r2 * r2;
        return (cam[6] * distortion * u + cam[7], cam[6] * distortion * v + cam[8]);
    }

    [Fact]
    public void ProjectAgreesWithTheFormulasByHand()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 5; trial++)
        {
            var p = Domain.Box(CameraAndPoint)(random);
            var proj = new double[2];
            SpanLocals.Project(p[..11], p[11..], proj);
            var (u, v) = ProjectByHand(p[..11], p[11..]);
            Assert.Equal(u, proj[0], 12);
            Assert.Equal(v, proj[1], 12);
        }
    }

    [Fact]
    public void ProjectHelper() => CheckHelper("Project", 14, 2,
        (p, entry) => { var proj = (double[])entry.Clone(); SpanLocals.Project(p[..11], p[11..], proj); return proj; },
        p => SpanLocals.ProjectJacobian(p[..11], p[11..], new double[2]),
        (p, proj, seed, adjoints) =>
        {
            var dCam = new double[11];
            var dX = new double[3];
            SpanLocals.ProjectBackwardInPlace(p[..11], p[11..], proj, seed, dCam, dX);
            dCam.Concat(dX).ToArray().CopyTo(adjoints, 0);
        },
        Domain.Box(CameraAndPoint));

    [Fact]
    public void ReprojectionErrorHelper()
    {
        double[] feat = { 0.1, -0.05 };
        CheckHelper("ComputeReprojError", 15, 2,
            (p, entry) => { var err = (double[])entry.Clone(); SpanLocals.ComputeReprojError(p[..11], p[11..14], p[14], feat, err); return err; },
            p => SpanLocals.ComputeReprojErrorJacobian(p[..11], p[11..14], p[14], feat, new double[2]),
            (p, err, seed, adjoints) =>
            {
                var dCam = new double[11];
                var dX = new double[3];
                double dW = 0;
                SpanLocals.ComputeReprojErrorBackwardInPlace(p[..11], p[11..14], p[14], feat, err, seed, dCam, dX, ref dW);
                dCam.Concat(dX).Append(dW).ToArray().CopyTo(adjoints, 0);
            },
            Domain.Box(CameraAndPoint.Append((0.5, 1.5)).ToArray()));
    }

    /// <summary>Rodrigues' rotation at a rotation of exactly zero takes the reference's other branch (its expansion).</summary>
    [Fact]
    public void RotationByZeroTakesTheExpansion()
    {
        double[] pt = { 0.3, -0.4, 2.0 };
        var rotated = new double[3];
        SpanLocals.RodriguesRotatePoint(new double[3], pt, rotated);
        Assert.Equal(pt, rotated);
        // At zero the Jacobian with respect to the rotation is that of the expansion: rot × pt, so d/d rot = −[pt]×.
        var jacobian = SpanLocals.RodriguesRotatePointJacobian(new double[3], pt, new double[3]);
        Assert.Equal(-pt[2], jacobian[1, 0], 14);
        Assert.Equal(pt[1], jacobian[2, 0], 14);
        Assert.Equal(pt[2], jacobian[0, 1], 14);
    }

    private static readonly int[] Observations = { 0, 0, 1, 0, 0, 1, 1, 2, 1, 1 };
    private static readonly double[] Features = { 0.1, -0.2, 0.3, 0.05, -0.1, 0.2, 0.0, 0.15, 0.25, -0.3 };
    private const int Cameras = 2, Points = 3, Observed = 5;

    [Fact]
    public void ObjectiveJacobianAgreesWithCentralDifferencesAndTheTangent()
    {
        var ranges = Enumerable.Repeat(CameraAndPoint[..11], Cameras).SelectMany(r => r)
            .Concat(Enumerable.Repeat(CameraAndPoint[11..], Points).SelectMany(r => r))
            .Concat(Enumerable.Repeat((0.5, 1.5), Observed)).ToArray();
        var random = new Random(8);
        for (int trial = 0; trial < 3; trial++)
        {
            var p = Domain.Box(ranges)(random);
            (double[] Cams, double[] X, double[] W) Split(double[] q) => (q[..(11 * Cameras)], q[(11 * Cameras)..(11 * Cameras + 3 * Points)], q[(11 * Cameras + 3 * Points)..]);
            double[] Run(double[] q)
            {
                var (c, x, w) = Split(q);
                var reproj = new double[2 * Observed];
                var wErr = new double[Observed];
                SpanLocals.Objective(c, x, w, Observations, Features, reproj, wErr);
                return reproj.Concat(wErr).ToArray();
            }
            var values = Run(p);
            var (cams, points, weights) = Split(p);
            for (int k = 0; k < Observed; k++)
            {
                var (u, v) = ProjectByHand(cams[(11 * Observations[2 * k])..(11 * Observations[2 * k] + 11)], points[(3 * Observations[2 * k + 1])..(3 * Observations[2 * k + 1] + 3)]);
                Assert.Equal(weights[k] * (u - Features[2 * k]), values[2 * k], 12);
                Assert.Equal(weights[k] * (v - Features[2 * k + 1]), values[2 * k + 1], 12);
                Assert.Equal(1 - weights[k] * weights[k], values[2 * Observed + k], 14);
            }
            var jacobian = SpanLocals.ObjectiveJacobian(cams, points, weights, Observations, Features, new double[2 * Observed], new double[Observed]);
            AssertClose("ObjectiveJacobian", CentralJacobian(Run, p), jacobian);
            var direction = Enumerable.Range(0, p.Length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var (vc, vx, vw) = Split(direction);
            var reprojTangent = new double[2 * Observed];
            var wErrTangent = new double[Observed];
            SpanLocals.ObjectiveTangent(cams, points, weights, Observations, Features, new double[2 * Observed], new double[Observed], vc, vx, vw, reprojTangent, wErrTangent);
            var tangent = reprojTangent.Concat(wErrTangent).ToArray();
            for (int r = 0; r < values.Length; r++)
            {
                double jv = Enumerable.Range(0, p.Length).Sum(c => jacobian[r, c] * direction[c]);
                Assert.Equal(jv, tangent[r], 10);
            }
        }
    }

    [Fact]
    public void RowTerms()
    {
        double[] m = { 0.3, -0.7, 1.1, 0.4, -0.2, 0.9 };
        double expected = 0;
        for (int r = 0; r < 2; r++) expected += Math.Sin(m[3 * r]) * m[3 * r + 2] + m.Skip(3 * r).Take(3).Sum(e => e * e);
        Assert.Equal(expected, SpanLocals.RowTerms(m, 3), 14);
        CheckArrayFunction("SpanLocals.RowTerms", 6, p => SpanLocals.RowTerms(p, 3), p => SpanLocals.RowTermsGradient(p, 3),
            (p, s, a) => SpanLocals.RowTermsBackward(p, 3, s, a), (p, v) => SpanLocals.RowTermsTangent(p, 3, v),
            (p, v) => SpanLocals.RowTermsHessianVector(p, 3, v), p => SpanLocals.RowTermsHessian(p, 3), Domain.Box(-1, 1, 6));
    }

    [Fact]
    public void ViewOfAView()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.4 };
        double expected = (0.49 + 1.21 + 0.16) * 0.3 + Math.Exp(1.1) * 3 + 2 + -0.7 * 1.1;
        Assert.Equal(expected, SpanLocals.ViewOfAView(x), 13);
        CheckArrayFunction("SpanLocals.ViewOfAView", 4, SpanLocals.ViewOfAView, SpanLocals.ViewOfAViewGradient, (p, s, a) => SpanLocals.ViewOfAViewBackward(p, s, a),
            (p, v) => SpanLocals.ViewOfAViewTangent(p, v), (p, v) => SpanLocals.ViewOfAViewHessianVector(p, v), SpanLocals.ViewOfAViewHessian, Domain.Box(-1, 1, 4));
    }

    [Fact]
    public void WritesThroughViews()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.4 };
        double b0 = x[0] * x[1], b1 = Math.Sin(x[2]), b2 = b0 * x[1], b3 = b1 * x[2];
        Assert.Equal(b0 * b3 + b2 * b2 + b3 * b3 - b1, SpanLocals.WritesThroughViews(x), 14);
        CheckArrayFunction("SpanLocals.WritesThroughViews", 4, SpanLocals.WritesThroughViews, SpanLocals.WritesThroughViewsGradient,
            (p, s, a) => SpanLocals.WritesThroughViewsBackward(p, s, a), (p, v) => SpanLocals.WritesThroughViewsTangent(p, v),
            (p, v) => SpanLocals.WritesThroughViewsHessianVector(p, v), SpanLocals.WritesThroughViewsHessian, Domain.Box(-1, 1, 4));
    }

    [Fact]
    public void Halves()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.4, -0.2 };
        double[] Run(double[] p)
        {
            var y = new double[5];
            SpanLocals.Halves(p, y);
            return y;
        }
        double h0 = x[0] * x[1], h1 = Math.Exp(x[2]);
        Assert.Equal(new[] { h0, h1, x[0] * h0 + h1, x[1] * h0 + h1, x[2] * h0 + h1 }, Run(x));
        var random = new Random(5);
        for (int trial = 0; trial < 3; trial++)
        {
            var p = Domain.Box(-1, 1, 5)(random);
            var jacobian = SpanLocals.HalvesJacobian(p, new double[5]);
            AssertClose("HalvesJacobian", CentralJacobian(Run, p), jacobian);
            // The pullback (a vector-Jacobian product) against the Jacobian.
            var seed = Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var dX = new double[5];
            SpanLocals.HalvesBackward(p, new double[5], seed, dX);
            for (int c = 0; c < 5; c++) Assert.Equal(Enumerable.Range(0, 5).Sum(r => seed[r] * jacobian[r, c]), dX[c], 10);
        }
    }

    /// <summary>
    /// A caller of a method that writes a span only through a slice passed on and through a view: the caller must treat it as
    /// an output. It treated it as an input, and passed the callee's adjoints out of order (an exception, or a wrong gradient).
    /// </summary>
    [Fact]
    public void ACallersSeesOutputsWrittenThroughSlicesAndViews()
    {
        double[] x = { 0.3, -0.7, 1.1 };
        double a = x[2];
        double y0 = a * x[0] + Math.Sin(a), y1 = a * x[1] + Math.Sin(2 * a), y2 = a * a, z0 = a * y1;
        Assert.Equal(y0 * y1 + y2 * x[0] + z0, SpanLocals.CallsFillBySlices(x), 14);
        CheckArrayFunction("SpanLocals.CallsFillBySlices", 3, SpanLocals.CallsFillBySlices, SpanLocals.CallsFillBySlicesGradient,
            (p, s, d) => SpanLocals.CallsFillBySlicesBackward(p, s, d), (p, v) => SpanLocals.CallsFillBySlicesTangent(p, v),
            (p, v) => SpanLocals.CallsFillBySlicesHessianVector(p, v), SpanLocals.CallsFillBySlicesHessian, Domain.Box(-1, 1, 3));
        CheckHelper("FillBySlices", 1, 4,
            (p, entry) => { var y = entry[..3]; var z = entry[3..]; SpanLocals.FillBySlices(p[0], y, z); return y.Concat(z).ToArray(); },
            p => SpanLocals.FillBySlicesJacobian(p[0], new double[3], new double[1]),
            (p, output, seed, adjoints) =>
            {
                var y = output[..3];
                var z = output[3..];
                var dY = seed[..3];
                var dZ = seed[3..];
                double dA = 0;
                SpanLocals.FillBySlicesBackwardInPlace(p[0], y, z, dY, dZ, ref dA);
                y.Concat(z).ToArray().CopyTo(output, 0);
                dY.Concat(dZ).ToArray().CopyTo(seed, 0);
                adjoints[0] = dA;
            });
    }

    /// <summary>The LSTM by hand, without views or helpers, from the same formulas.</summary>
    private static double LstmByHand(int l, int c, int b, double[] w, double[] w2, double[] state, double[] sequence)
    {
        double Sig(double v) => 1 / (1 + Math.Exp(-v));
        var s = (double[])state.Clone();
        double total = 0;
        var input = sequence[..b];
        for (int t = 0; t + b < c * b; t += b)
        {
            var xp = Enumerable.Range(0, b).Select(i => input[i] * w2[i]).ToArray();
            for (int layer = 0; layer < l; layer++)
            {
                int o = 2 * b * layer;
                var hidden = s[o..(o + b)];
                var cell = s[(o + b)..(o + 2 * b)];
                for (int i = 0; i < b; i++)
                {
                    double f = Sig(xp[i] * w[8 * b * layer + i] + w[8 * b * layer + 4 * b + i]);
                    double ig = Sig(hidden[i] * w[8 * b * layer + b + i] + w[8 * b * layer + 5 * b + i]);
                    double og = Sig(xp[i] * w[8 * b * layer + 2 * b + i] + w[8 * b * layer + 6 * b + i]);
                    double ch = Math.Tanh(hidden[i] * w[8 * b * layer + 3 * b + i] + w[8 * b * layer + 7 * b + i]);
                    s[o + b + i] = cell[i] * f + ig * ch;
                    s[o + i] = og * Math.Tanh(s[o + b + i]);
                }
                xp = s[o..(o + b)];
            }
            var ypred = Enumerable.Range(0, b).Select(i => xp[i] * w2[b + i] + w2[2 * b + i]).ToArray();
            double lse = Math.Log(ypred.Sum(Math.Exp) + 2);
            var goal = sequence[(t + b)..(t + 2 * b)];
            for (int i = 0; i < b; i++) total += goal[i] * (ypred[i] - lse);
            input = goal;
        }
        return -total / ((c - 1) * b);
    }

    [Fact]
    public void LstmAsItsReferenceIsWritten()
    {
        const int L = 2, C = 3, B = 2;
        var random = new Random(11);
        double[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var state = Draw(2 * L * B);
        var sequence = Draw(C * B);
        int mains = 2 * L * 4 * B, extras = 3 * B;
        var p0 = Draw(mains + extras);
        Assert.Equal(LstmByHand(L, C, B, p0[..mains], p0[mains..], state, sequence), SpanLocals.LstmObjective(L, C, B, p0[..mains], p0[mains..], state, sequence), 12);
        CheckArrayFunction("SpanLocals.LstmObjective", mains + extras,
            p => SpanLocals.LstmObjective(L, C, B, p[..mains], p[mains..], state, sequence),
            p => { var g = SpanLocals.LstmObjectiveGradient(L, C, B, p[..mains], p[mains..], state, sequence); return (g.Value, g.dMainParams.Concat(g.dExtraParams).ToArray()); },
            (p, seed, adjoints) =>
            {
                var dMain = adjoints[..mains];
                var dExtra = adjoints[mains..];
                var value = SpanLocals.LstmObjectiveBackward(L, C, B, p[..mains], p[mains..], state, sequence, seed, dMain, dExtra);
                dMain.Concat(dExtra).ToArray().CopyTo(adjoints, 0);
                return value;
            },
            (p, v) => SpanLocals.LstmObjectiveTangent(L, C, B, p[..mains], p[mains..], state, sequence, v[..mains], v[mains..]),
            (p, v) => { var hv = SpanLocals.LstmObjectiveHessianVector(L, C, B, p[..mains], p[mains..], state, sequence, v[..mains], v[mains..]); return hv.dMainParams.Concat(hv.dExtraParams).ToArray(); },
            p => SpanLocals.LstmObjectiveHessian(L, C, B, p[..mains], p[mains..], state, sequence),
            Domain.Box(-1, 1, mains + extras));
    }
}
