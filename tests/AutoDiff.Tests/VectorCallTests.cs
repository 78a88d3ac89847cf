// Calls of vector-valued helpers from [Differentiable] methods (issue 18): values against plain C# written without
// helpers, gradients against central differences, every mode against each other, the helpers' Jacobians against
// central differences, and the in-place pullback that callers use against central differences of the helper run on
// given output contents.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;
using static AutoDiff.Tests.VectorHelperCheck;

namespace AutoDiff.Tests;

public class VectorCallTests
{
    /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
    public static readonly string[] Checked =
    {
        nameof(VectorCalls.OdeFun), nameof(VectorCalls.RungeKutta), nameof(VectorCalls.OdeLast), nameof(VectorCalls.OdeWeighted),
        nameof(VectorCalls.LstmModel), nameof(VectorCalls.LstmLoss), nameof(VectorCalls.Dense), nameof(VectorCalls.TwoLayers),
        nameof(VectorCalls.ScaleEvens), nameof(VectorCalls.PassThrough), nameof(VectorCalls.OdeState), nameof(VectorCalls.Euler),
        nameof(VectorCalls.Cosines), nameof(VectorCalls.OverwrittenByConstants), nameof(VectorCalls.Branches), nameof(VectorCalls.FilledThenScaled),
        nameof(VectorCalls.FloatLayer), nameof(VectorCalls.FloatLoss), nameof(VectorCalls.NormalizedDot), nameof(VectorCalls.WaveTerms), nameof(VectorCalls.Wave), nameof(VectorCalls.CallsWaveTerms),
    };

    /// <summary>The user-style pendulum program's methods, checked here too.</summary>
    public static readonly string[] CheckedPendulums = { nameof(Pendulums.Rates), nameof(Pendulums.PickNext), nameof(Pendulums.Loss) };

    /// <summary>GradBench ode as one method, without helpers: the reference the generated code's values are held to.</summary>
    private static double[] RungeKuttaByHand(double[] x, double tf, int s, double[] start)
    {
        int n = start.Length;
        var y = (double[])start.Clone();
        double h = tf / s;
        double[] F(double[] v)
        {
            var z = new double[n];
            z[0] = x[0];
            for (int i = 1; i < n; i++) z[i] = x[i] * v[i - 1];
            return z;
        }
        for (int step = 0; step < s; step++)
        {
            var k1 = F(y);
            var k2 = F(y.Select((v, i) => v + h / 2 * k1[i]).ToArray());
            var k3 = F(y.Select((v, i) => v + h / 2 * k2[i]).ToArray());
            var k4 = F(y.Select((v, i) => v + h * k3[i]).ToArray());
            y = y.Select((v, i) => v + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i])).ToArray();
        }
        return y;
    }

    [Fact]
    public void OdeLast()
    {
        double[] x = { 0.3, -0.2, 0.5, 0.1 };
        Assert.Equal(RungeKuttaByHand(x, 2.0, 3, new double[4])[3], VectorCalls.OdeLast(x, 3), 12);
        CheckArrayFunction("VectorCalls.OdeLast", 4, p => VectorCalls.OdeLast(p, 3),
            p => VectorCalls.OdeLastGradient(p, 3), (p, s, a) => VectorCalls.OdeLastBackward(p, 3, s, a),
            (p, v) => VectorCalls.OdeLastTangent(p, 3, v), (p, v) => VectorCalls.OdeLastHessianVector(p, 3, v),
            p => VectorCalls.OdeLastHessian(p, 3), Domain.Box(-1, 1, 4));
    }

    [Fact]
    public void Euler()
    {
        double[] x = { 0.3, -0.2, 0.5 };
        // By hand: y ← y + 0.1·f(x, y), four times.
        var y = new double[3];
        for (int s = 0; s < 4; s++)
        {
            var slope = new[] { x[0], x[1] * y[0], x[2] * y[1] };
            for (int i = 0; i < 3; i++) y[i] += 0.1 * slope[i];
        }
        Assert.Equal(y[2], VectorCalls.Euler(x, 4), 14);
        CheckArrayFunction("VectorCalls.Euler", 3, p => VectorCalls.Euler(p, 4),
            p => VectorCalls.EulerGradient(p, 4), (p, s, a) => VectorCalls.EulerBackward(p, 4, s, a),
            (p, v) => VectorCalls.EulerTangent(p, 4, v), (p, v) => VectorCalls.EulerHessianVector(p, 4, v),
            p => VectorCalls.EulerHessian(p, 4), Domain.Box(-1, 1, 3));
    }

    [Fact]
    public void PendulumLoss()
    {
        double[] targets = { 0.3, 0.1, -0.2 };
        CheckArrayFunction("Pendulums.Loss", 7, p => Pendulums.Loss(p, 3, 20, targets), p => Pendulums.LossGradient(p, 3, 20, targets),
            (p, s, a) => Pendulums.LossBackward(p, 3, 20, targets, s, a), (p, v) => Pendulums.LossTangent(p, 3, 20, targets, v),
            (p, v) => Pendulums.LossHessianVector(p, 3, 20, targets, v), p => Pendulums.LossHessian(p, 3, 20, targets),
            Domain.Box((0.8, 1.2), (1.1, 1.5), (0.6, 1.0), (0.05, 0.2), (0.1, 0.3), (0.1, 0.2), (9.0, 10.0)));
    }

    [Fact]
    public void NormalizedDot()
    {
        double[] x = { 0.3, -0.7, 1.1 }, w = { 0.5, 0.25, -1.0 };
        double norm = Math.Sqrt(x.Sum(e => e * e));
        double dot = x.Select((e, i) => 2 * e / norm * w[i]).Sum();
        Assert.Equal(dot * dot, VectorCalls.NormalizedDot(x, w), 14);
        CheckArrayFunction("VectorCalls.NormalizedDot", 6, p => VectorCalls.NormalizedDot(p[..3], p[3..]),
            p => { var g = VectorCalls.NormalizedDotGradient(p[..3], p[3..]); return (g.Value, g.dX.Concat(g.dW).ToArray()); },
            (p, s, a) =>
            {
                var dX = a[..3];
                var dW = a[3..];
                var value = VectorCalls.NormalizedDotBackward(p[..3], p[3..], s, dX, dW);
                dX.Concat(dW).ToArray().CopyTo(a, 0);
                return value;
            },
            (p, v) => VectorCalls.NormalizedDotTangent(p[..3], p[3..], v[..3], v[3..]),
            (p, v) => { var hv = VectorCalls.NormalizedDotHessianVector(p[..3], p[3..], v[..3], v[3..]); return hv.dX.Concat(hv.dW).ToArray(); },
            p => VectorCalls.NormalizedDotHessian(p[..3], p[3..]), Domain.Box(-1, 1, 6).Where(p => Math.Abs(p[0]) + Math.Abs(p[1]) + Math.Abs(p[2]) > 0.3));
    }

    /// <summary>A caller of a method that holds an array a callee made (its split pullback could not keep it: a crash).</summary>
    [Fact]
    public void CallsWaveTerms()
    {
        double Inner(double a, double b)
        {
            double s = Math.Tanh(b);
            return Math.Tanh(Math.Sin(s) + s) * a + Math.Exp(Math.Sin(3 * s) + s) * 0.5;
        }
        Assert.Equal(Inner(0.8, -0.3) * 0.8 - 0.3, VectorCalls.CallsWaveTerms(0.8, -0.3), 14);
        foreach (var (name, f, gradient, tangent, hessianVector, hessian) in new (string, Func<double, double, double>, Func<double, double, (double, double, double)>,
            Func<double, double, double, double, (double, double)>, Func<double, double, double, double, (double, double)>, Func<double, double, double[,]>)[]
        {
            ("VectorCalls.WaveTerms", VectorCalls.WaveTerms, VectorCalls.WaveTermsGradient, VectorCalls.WaveTermsTangent, VectorCalls.WaveTermsHessianVector, VectorCalls.WaveTermsHessian),
            ("VectorCalls.CallsWaveTerms", VectorCalls.CallsWaveTerms, VectorCalls.CallsWaveTermsGradient, VectorCalls.CallsWaveTermsTangent, VectorCalls.CallsWaveTermsHessianVector, VectorCalls.CallsWaveTermsHessian),
        })
        {
            CheckArrayFunction(name, 2, p => f(p[0], p[1]), p => { var g = gradient(p[0], p[1]); return (g.Item1, new[] { g.Item2, g.Item3 }); },
                (p, s, a) => { var g = gradient(p[0], p[1]); a[0] += s * g.Item2; a[1] += s * g.Item3; return g.Item1; },
                (p, v) => tangent(p[0], p[1], v[0], v[1]), (p, v) => { var hv = hessianVector(p[0], p[1], v[0], v[1]); return new[] { hv.Item1, hv.Item2 }; },
                p => hessian(p[0], p[1]), Domain.Box(-1, 1, 2));
        }
        // The pullback itself, which calls WaveTermsForward/WaveTermsReverse.
        double dA = 0, dB = 0;
        VectorCalls.CallsWaveTermsBackward(0.8, -0.3, 1.0, ref dA, ref dB);
        var expected = VectorCalls.CallsWaveTermsGradient(0.8, -0.3);
        Assert.Equal(expected.dA, dA, 14);
        Assert.Equal(expected.dB, dB, 14);
    }

    [Fact]
    public void OverwrittenByConstants()
    {
        double[] x = { 0.3, -0.7, 1.1 };
        // kept = x1², v = (2, 2cos 1, 2cos 2) after the call: f = x1² + 2·x0 + 2cos 2, ∇f = (2, 2·x1, 0).
        Assert.Equal(x[1] * x[1] + 2 * x[0] + 2 * Math.Cos(2), VectorCalls.OverwrittenByConstants(x), 14);
        var (_, gradient) = VectorCalls.OverwrittenByConstantsGradient(x);
        Assert.Equal(new[] { 2.0, 2 * x[1], 0.0 }, gradient);
        CheckArrayFunction("VectorCalls.OverwrittenByConstants", 3, VectorCalls.OverwrittenByConstants, VectorCalls.OverwrittenByConstantsGradient,
            (p, s, a) => VectorCalls.OverwrittenByConstantsBackward(p, s, a), (p, v) => VectorCalls.OverwrittenByConstantsTangent(p, v),
            (p, v) => VectorCalls.OverwrittenByConstantsHessianVector(p, v), VectorCalls.OverwrittenByConstantsHessian, Domain.Box(-1, 1, 3));
    }

    [Fact]
    public void FilledThenScaled()
    {
        double[] x = { 0.3, -0.7, 1.1 };
        // v = x0·(1, cos 1, cos 2); f = x0·cos 1·x1 + x0·x2·(1 + cos 2).
        Assert.Equal(x[0] * Math.Cos(1) * x[1] + x[0] * x[2] * (1 + Math.Cos(2)), VectorCalls.FilledThenScaled(x), 14);
        var (_, gradient) = VectorCalls.FilledThenScaledGradient(x);
        Assert.Equal(Math.Cos(1) * x[1] + x[2] * (1 + Math.Cos(2)), gradient[0], 14);
        Assert.Equal(x[0] * Math.Cos(1), gradient[1], 14);
        Assert.Equal(x[0] * (1 + Math.Cos(2)), gradient[2], 14);
        CheckArrayFunction("VectorCalls.FilledThenScaled", 3, VectorCalls.FilledThenScaled, VectorCalls.FilledThenScaledGradient,
            (p, s, a) => VectorCalls.FilledThenScaledBackward(p, s, a), (p, v) => VectorCalls.FilledThenScaledTangent(p, v),
            (p, v) => VectorCalls.FilledThenScaledHessianVector(p, v), VectorCalls.FilledThenScaledHessian, Domain.Box(-1, 1, 3));
    }

    private static double BranchesByHand(double[] x)
    {
        var v = (double[])x.Clone();
        void ScaleEvens(double factor) { for (int i = 0; i < 4; i += 2) v[i] = factor * v[i] * v[i]; }
        void Cosines(double a) { for (int i = 0; i < 4; i++) v[i] = a * Math.Cos(i); }
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            if (v[k] > 0) ScaleEvens(x[k]);
            else Cosines(x[3 - k]);
            s += v[k] * v[k + 1];
            if (s > 50) break;
        }
        if (x[0] > 0.9) return s;
        ScaleEvens(0.5);
        return s + v[0] + v[3];
    }

    [Fact]
    public void Branches()
    {
        var random = new Random(9);
        for (int k = 0; k < 20; k++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2.4 - 1.2).ToArray();
            Assert.Equal(BranchesByHand(x), VectorCalls.Branches(x), 12);
        }
        CheckArrayFunction("VectorCalls.Branches", 4, VectorCalls.Branches, VectorCalls.BranchesGradient,
            (p, s, a) => VectorCalls.BranchesBackward(p, s, a), (p, v) => VectorCalls.BranchesTangent(p, v),
            (p, v) => VectorCalls.BranchesHessianVector(p, v), VectorCalls.BranchesHessian,
            Domain.Box(-1.2, 1.2, 4).Where(p => p.All(e => Math.Abs(e) > 0.05) && Math.Abs(p[0] - 0.9) > 0.05));
    }

    private static readonly float[] FloatSample = { 0.5f, -1.0f, 0.25f };

    [Fact]
    public void FloatLoss()
    {
        var w = new[] { 0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f };
        float o0 = MathF.Tanh(0.1f * 0.5f + 0.2f * 1.0f + 0.3f * 0.25f), o1 = MathF.Tanh(0.4f * 0.5f - 0.5f * 1.0f - 0.6f * 0.25f);
        Assert.Equal(o0 * o0 + 0.5f * o1, VectorCalls.FloatLoss(w, FloatSample), 5);
        GradientCheck.Float("VectorCalls.FloatLoss", Names("w", 6), p => VectorCalls.FloatLoss(p, FloatSample),
            p => VectorCalls.FloatLossGradient(p, FloatSample), (p, s, a) => VectorCalls.FloatLossBackward(p, FloatSample, s, a), Domain.Box(-1, 1, 6));
        ModeCheck.Run("VectorCalls.FloatLoss", Names("w", 6), new ModeFunctions(
            p => VectorCalls.FloatLoss(p.Select(e => (float)e).ToArray(), FloatSample),
            p => VectorCalls.FloatLossGradient(p.Select(e => (float)e).ToArray(), FloatSample).dW.Select(e => (double)e).ToArray(),
            (p, v) => { var (value, t) = VectorCalls.FloatLossTangent(p.Select(e => (float)e).ToArray(), FloatSample, v.Select(e => (float)e).ToArray()); return (value, t); },
            (p, v) => VectorCalls.FloatLossHessianVector(p.Select(e => (float)e).ToArray(), FloatSample, v.Select(e => (float)e).ToArray()).Select(e => (double)e).ToArray(),
            p => { var h = VectorCalls.FloatLossHessian(p.Select(e => (float)e).ToArray(), FloatSample); var d = new double[6, 6]; for (int r = 0; r < 6; r++) for (int c = 0; c < 6; c++) d[r, c] = h[r, c]; return d; }),
            Domain.Box(-1, 1, 6), ModeOptions.Float);
    }

    [Fact]
    public void CosinesAndFloatLayerHelpers()
    {
        CheckHelper("Cosines", 1, 4,
            (p, entry) => { var o = (double[])entry.Clone(); VectorCalls.Cosines(p[0], o); return o; },
            p => VectorCalls.CosinesJacobian(p[0], new double[4]),
            (p, o, seed, adjoints) => { double dA = 0; VectorCalls.CosinesBackwardInPlace(p[0], o, seed, ref dA); adjoints[0] = dA; });
        var w = new[] { 0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f };
        var output = new[] { 9f, 9f };
        var seed = new[] { 1f, 2f };
        var dW = new float[6];
        var dInput = new float[3];
        VectorCalls.FloatLayerBackwardInPlace(w, FloatSample, output, seed, dW, dInput);
        Assert.Equal(new[] { 9f, 9f }, output);
        Assert.Equal(new[] { 0f, 0f }, seed);
        var jacobian = VectorCalls.FloatLayerJacobian(w, FloatSample, new float[2]);
        for (int c = 0; c < 6; c++) Assert.Equal(jacobian[0, c] + 2 * jacobian[1, c], dW[c], 5);
    }

    [Fact]
    public void OdeWeighted()
    {
        double[] x = { 0.3, -0.2, 0.5 };
        var end = RungeKuttaByHand(x, 1.5 * 0.5, 3, new[] { 0.1, 0.2, 0.3 });
        Assert.Equal(end.Select((v, i) => (i + 1) * v).Sum(), VectorCalls.OdeWeighted(x, 1.5), 12);
        CheckArrayFunction("VectorCalls.OdeWeighted", 4, p => VectorCalls.OdeWeighted(p[..3], p[3]),
            p => { var g = VectorCalls.OdeWeightedGradient(p[..3], p[3]); return (g.Value, g.dX.Append(g.dTf).ToArray()); },
            (p, s, a) =>
            {
                var dX = a[..3];
                double dTf = a[3];
                var value = VectorCalls.OdeWeightedBackward(p[..3], p[3], s, dX, ref dTf);
                dX.CopyTo(a, 0);
                a[3] = dTf;
                return value;
            },
            (p, v) => VectorCalls.OdeWeightedTangent(p[..3], p[3], v[..3], v[3]),
            (p, v) => { var hv = VectorCalls.OdeWeightedHessianVector(p[..3], p[3], v[..3], v[3]); return hv.dX.Append(hv.dTf).ToArray(); },
            p => VectorCalls.OdeWeightedHessian(p[..3], p[3]), Domain.Box((-1, 1), (-1, 1), (-1, 1), (0.5, 2)));
    }

    private const int B = 3;

    /// <summary>Four characters of three one-hot-like scores each.</summary>
    private static readonly double[] Sequence = { 1, 0, 0, 0, 1, 0, 0, 0.5, 0.5, 1, 0, 0 };

    private static double LstmLossByHand(double[] weight, double[] bias, double[] extra)
    {
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        var hidden = new double[B];
        var cell = new double[B];
        double total = 0;
        for (int t = 0; t < 3; t++)
        {
            for (int i = 0; i < B; i++)
            {
                double input = Sequence[t * B + i] * extra[i];
                double forget = Sigmoid(input * weight[i] + bias[i]);
                double ingate = Sigmoid(hidden[i] * weight[B + i] + bias[B + i]);
                double outgate = Sigmoid(input * weight[2 * B + i] + bias[2 * B + i]);
                double change = Math.Tanh(hidden[i] * weight[3 * B + i] + bias[3 * B + i]);
                cell[i] = cell[i] * forget + ingate * change;
                hidden[i] = outgate * Math.Tanh(cell[i]);
            }
            var scores = Enumerable.Range(0, B).Select(i => hidden[i] * extra[B + i] + extra[2 * B + i]).ToArray();
            double logSum = Math.Log(scores.Sum(Math.Exp));
            for (int i = 0; i < B; i++) total += Sequence[(t + 1) * B + i] * (scores[i] - logSum);
        }
        return -total / 3;
    }

    [Fact]
    public void LstmLoss()
    {
        const int n = 4 * B + 4 * B + 3 * B;
        static (double[] W, double[] Bias, double[] Extra) Split(double[] p) => (p[..(4 * B)], p[(4 * B)..(8 * B)], p[(8 * B)..]);
        var point = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1)).ToArray();
        var (w0, b0, e0) = Split(point);
        Assert.Equal(LstmLossByHand(w0, b0, e0), VectorCalls.LstmLoss(w0, b0, e0, Sequence, B), 12);
        CheckArrayFunction("VectorCalls.LstmLoss", n,
            p => { var (w, b, e) = Split(p); return VectorCalls.LstmLoss(w, b, e, Sequence, B); },
            p => { var (w, b, e) = Split(p); var g = VectorCalls.LstmLossGradient(w, b, e, Sequence, B); return (g.Value, g.dWeight.Concat(g.dBias).Concat(g.dExtra).ToArray()); },
            (p, s, a) =>
            {
                var (w, b, e) = Split(p);
                var (dw, db, de) = Split(a);
                var value = VectorCalls.LstmLossBackward(w, b, e, Sequence, B, s, dw, db, de);
                dw.Concat(db).Concat(de).ToArray().CopyTo(a, 0);
                return value;
            },
            (p, v) => { var (w, b, e) = Split(p); var (vw, vb, ve) = Split(v); return VectorCalls.LstmLossTangent(w, b, e, Sequence, B, vw, vb, ve); },
            (p, v) =>
            {
                var (w, b, e) = Split(p);
                var (vw, vb, ve) = Split(v);
                var hv = VectorCalls.LstmLossHessianVector(w, b, e, Sequence, B, vw, vb, ve);
                return hv.dWeight.Concat(hv.dBias).Concat(hv.dExtra).ToArray();
            },
            p => { var (w, b, e) = Split(p); return VectorCalls.LstmLossHessian(w, b, e, Sequence, B); },
            Domain.Box(-1, 1, n));
    }

    private static readonly double[] Sample = { 0.5, -1.0, 0.25 };
    private static readonly double[] Target = { 0.2, -0.3 };

    [Fact]
    public void TwoLayers()
    {
        // 3 inputs, 2 hidden units, 2 outputs: w1 (6), b1 (2), w2 (4), b2 (2).
        const int n = 14;
        static (double[], double[], double[], double[]) Split(double[] p) => (p[..6], p[6..8], p[8..12], p[12..]);
        var point = Enumerable.Range(0, n).Select(i => 0.3 * Math.Cos(i)).ToArray();
        var (w1, b1, w2, b2) = Split(point);
        var hidden = Enumerable.Range(0, 2).Select(r => Math.Tanh(b1[r] + Enumerable.Range(0, 3).Sum(c => w1[r * 3 + c] * Sample[c]))).ToArray();
        var output = Enumerable.Range(0, 2).Select(r => Math.Tanh(b2[r] + Enumerable.Range(0, 2).Sum(c => w2[r * 2 + c] * hidden[c]))).ToArray();
        Assert.Equal(output.Select((o, i) => (o - Target[i]) * (o - Target[i])).Sum(), VectorCalls.TwoLayers(w1, b1, w2, b2, Sample, Target), 12);
        CheckArrayFunction("VectorCalls.TwoLayers", n,
            p => { var (a, b, c, d) = Split(p); return VectorCalls.TwoLayers(a, b, c, d, Sample, Target); },
            p =>
            {
                var (a, b, c, d) = Split(p);
                var g = VectorCalls.TwoLayersGradient(a, b, c, d, Sample, Target);
                return (g.Value, g.dW1.Concat(g.dB1).Concat(g.dW2).Concat(g.dB2).ToArray());
            },
            (p, s, adjoints) =>
            {
                var (a, b, c, d) = Split(p);
                var (da, db, dc, dd) = Split(adjoints);
                var value = VectorCalls.TwoLayersBackward(a, b, c, d, Sample, Target, s, da, db, dc, dd);
                da.Concat(db).Concat(dc).Concat(dd).ToArray().CopyTo(adjoints, 0);
                return value;
            },
            (p, v) => { var (a, b, c, d) = Split(p); var (va, vb, vc, vd) = Split(v); return VectorCalls.TwoLayersTangent(a, b, c, d, Sample, Target, va, vb, vc, vd); },
            (p, v) =>
            {
                var (a, b, c, d) = Split(p);
                var (va, vb, vc, vd) = Split(v);
                var hv = VectorCalls.TwoLayersHessianVector(a, b, c, d, Sample, Target, va, vb, vc, vd);
                return hv.dW1.Concat(hv.dB1).Concat(hv.dW2).Concat(hv.dB2).ToArray();
            },
            p => { var (a, b, c, d) = Split(p); return VectorCalls.TwoLayersHessian(a, b, c, d, Sample, Target); },
            Domain.Box(-1, 1, n));
    }

    [Fact]
    public void PassThrough()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.4, -0.2 };
        var v = x.Select(Math.Sin).ToArray();
        for (int i = 0; i < 5; i += 2) v[i] = x[0] * v[i] * v[i];
        double between = v[0] * v[1];
        for (int i = 0; i < 5; i += 2) v[i] = 0.5 * v[i] * v[i];
        Assert.Equal(between + v.Select((e, i) => e * (i + 1)).Sum(), VectorCalls.PassThrough(x), 12);
        CheckArrayFunction("VectorCalls.PassThrough", 5, VectorCalls.PassThrough, VectorCalls.PassThroughGradient,
            (p, s, a) => VectorCalls.PassThroughBackward(p, s, a), (p, v) => VectorCalls.PassThroughTangent(p, v), (p, v) => VectorCalls.PassThroughHessianVector(p, v),
            VectorCalls.PassThroughHessian, Domain.Box(-1.5, 1.5, 5));
    }

    [Fact]
    public void OdeFunHelper() => CheckHelper("OdeFun", 8, 4,
        (p, entry) => { var z = (double[])entry.Clone(); VectorCalls.OdeFun(p[..4], p[4..], z); return z; },
        p => VectorCalls.OdeFunJacobian(p[..4], p[4..], new double[4]),
        (p, z, seed, adjoints) =>
        {
            var dX = new double[4];
            var dY = new double[4];
            VectorCalls.OdeFunBackwardInPlace(p[..4], p[4..], z, seed, dX, dY);
            dX.Concat(dY).ToArray().CopyTo(adjoints, 0);
        });

    [Fact]
    public void RungeKuttaHelper() => CheckHelper("RungeKutta", 4, 3,
        (p, entry) => { var y = (double[])entry.Clone(); VectorCalls.RungeKutta(p[..3], p[3], 4, y); return y; },
        p => VectorCalls.RungeKuttaJacobian(p[..3], p[3], 4, new double[3]),
        (p, y, seed, adjoints) =>
        {
            var dX = new double[3];
            double dTf = 0;
            VectorCalls.RungeKuttaBackwardInPlace(p[..3], p[3], 4, y, seed, dX, ref dTf);
            dX.Append(dTf).ToArray().CopyTo(adjoints, 0);
        });

    [Fact]
    public void LstmModelHelper() => CheckHelper("LstmModel", 4 * B + 4 * B + B, 2 * B,
        (p, entry) =>
        {
            var hidden = entry[..B];
            var cell = entry[B..];
            VectorCalls.LstmModel(p[..(4 * B)], p[(4 * B)..(8 * B)], hidden, cell, p[(8 * B)..]);
            return hidden.Concat(cell).ToArray();
        },
        p => VectorCalls.LstmModelJacobian(p[..(4 * B)], p[(4 * B)..(8 * B)], new double[B], new double[B], p[(8 * B)..]),
        (p, state, seed, adjoints) =>
        {
            var hidden = state[..B];
            var cell = state[B..];
            var dHidden = seed[..B];
            var dCell = seed[B..];
            var dW = new double[4 * B];
            var dB = new double[4 * B];
            var dInput = new double[B];
            VectorCalls.LstmModelBackwardInPlace(p[..(4 * B)], p[(4 * B)..(8 * B)], hidden, cell, p[(8 * B)..], dHidden, dCell, dW, dB, dInput);
            hidden.Concat(cell).ToArray().CopyTo(state, 0);
            dHidden.Concat(dCell).ToArray().CopyTo(seed, 0);
            dW.Concat(dB).Concat(dInput).ToArray().CopyTo(adjoints, 0);
        });

    [Fact]
    public void DenseHelper() => CheckHelper("Dense", 6 + 2 + 3, 2,
        (p, entry) => { var o = (double[])entry.Clone(); VectorCalls.Dense(p[..6], p[6..8], p[8..], o); return o; },
        p => VectorCalls.DenseJacobian(p[..6], p[6..8], p[8..], new double[2]),
        (p, o, seed, adjoints) =>
        {
            var dW = new double[6];
            var dB = new double[2];
            var dInput = new double[3];
            VectorCalls.DenseBackwardInPlace(p[..6], p[6..8], p[8..], o, seed, dW, dB, dInput);
            dW.Concat(dB).Concat(dInput).ToArray().CopyTo(adjoints, 0);
        });

    [Fact]
    public void ScaleEvensHelper() => CheckHelper("ScaleEvens", 1, 5,
        (p, entry) => { var v = (double[])entry.Clone(); VectorCalls.ScaleEvens(p[0], v); return v; },
        p => VectorCalls.ScaleEvensJacobian(p[0], new double[5]),
        (p, v, seed, adjoints) =>
        {
            double dFactor = 0;
            VectorCalls.ScaleEvensBackwardInPlace(p[0], v, seed, ref dFactor);
            adjoints[0] = dFactor;
        });

    [Fact]
    public void OdeStateHelper() => CheckHelper("OdeState", 3, 3,
        (p, entry) => { var y = (double[])entry.Clone(); VectorCalls.OdeState(p, y); return y; },
        p => VectorCalls.OdeStateJacobian(p, new double[3]),
        (p, y, seed, adjoints) => VectorCalls.OdeStateBackwardInPlace(p, y, seed, adjoints));

    [Fact]
    public void OdeStateIsTheIntegratorFromZeros()
    {
        double[] x = { 0.4, -0.3, 0.8 };
        var y = new[] { 5.0, 6.0, 7.0 };
        VectorCalls.OdeState(x, y);
        var expected = RungeKuttaByHand(x, 1.0, 2, new double[3]);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], y[i], 12);
    }

    [Fact]
    public void TangentsAndPullbacksOfHelpersAgreeWithTheirJacobians()
    {
        // RungeKutta: J·v from FTangent and uᵀJ from FBackward against FJacobian (x and tf as columns).
        var random = new Random(3);
        for (int k = 0; k < 10; k++)
        {
            var x = Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            double tf = 0.5 + random.NextDouble();
            var v = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var u = Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var j = VectorCalls.RungeKuttaJacobian(x, tf, 4, new double[3]);
            var y = new double[3];
            var yTangent = new double[3];
            VectorCalls.RungeKuttaTangent(x, tf, 4, y, v[..3], v[3], yTangent);
            var dX = new double[3];
            double dTf = 0;
            VectorCalls.RungeKuttaBackward(x, tf, 4, new double[3], u, dX, ref dTf);
            var pullback = dX.Append(dTf).ToArray();
            for (int r = 0; r < 3; r++) Assert.Equal(Enumerable.Range(0, 4).Sum(c => j[r, c] * v[c]), yTangent[r], 10);
            for (int c = 0; c < 4; c++) Assert.Equal(Enumerable.Range(0, 3).Sum(r => u[r] * j[r, c]), pullback[c], 10);
        }
    }
}
