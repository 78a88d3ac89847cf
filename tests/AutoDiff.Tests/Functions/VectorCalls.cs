using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// Calls of vector-valued helpers (methods that write their results into spans) from other [Differentiable] methods,
/// written as the reference programs of the field write them (GradBench's ode and lstm, a dense layer).
/// </summary>
public static partial class VectorCalls
{
    /// <summary>GradBench ode's right-hand side: z₀ = x₀, zᵢ = xᵢ·yᵢ₋₁.</summary>
    [Differentiable]
    public static void OdeFun(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        z[0] = x[0];
        for (int i = 1; i < y.Length; i++) z[i] = x[i] * y[i - 1];
    }

    /// <summary>
    /// GradBench ode's integrator: <paramref name="s"/> classical Runge–Kutta steps from 0 to <paramref name="tf"/>,
    /// starting from the contents of <paramref name="y"/> and leaving the end state there.
    /// </summary>
    [Differentiable]
    public static void RungeKutta(ReadOnlySpan<double> x, double tf, int s, Span<double> y)
    {
        int n = y.Length;
        double h = tf / s;
        var k1 = new double[n];
        var k2 = new double[n];
        var k3 = new double[n];
        var k4 = new double[n];
        var tmp = new double[n];
        for (int step = 0; step < s; step++)
        {
            OdeFun(x, y, k1);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h / 2 * k1[i];
            OdeFun(x, tmp, k2);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h / 2 * k2[i];
            OdeFun(x, tmp, k3);
            for (int i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
            OdeFun(x, tmp, k4);
            for (int i = 0; i < n; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /// <summary>The README's example: explicit Euler steps through the same right-hand side.</summary>
    [Differentiable]
    public static double Euler(double[] x, int steps)
    {
        var y = new double[x.Length];
        var slope = new double[x.Length];
        for (int s = 0; s < steps; s++)
        {
            OdeFun(x, y, slope);
            for (int i = 0; i < y.Length; i++) y[i] += 0.1 * slope[i];
        }
        return y[y.Length - 1];
    }

    /// <summary>GradBench ode's objective: the last element of the end state from zeros at time 2.</summary>
    [Differentiable]
    public static double OdeLast(double[] x, int s)
    {
        var y = new double[x.Length];
        RungeKutta(x, 2.0, s, y);
        return y[y.Length - 1];
    }

    /// <summary>Every element of the end state, weighted, with the time span a parameter too (a scalar argument).</summary>
    [Differentiable]
    public static double OdeWeighted(double[] x, double tf)
    {
        var y = new double[x.Length];
        for (int i = 0; i < y.Length; i++) y[i] = 0.1 * (i + 1);
        RungeKutta(x, tf * 0.5, 3, y);
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (i + 1) * y[i];
        return sum;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>GradBench lstm's cell: updates one layer's <paramref name="hidden"/> and <paramref name="cell"/> in place.</summary>
    [Differentiable]
    public static void LstmModel(ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> hidden, Span<double> cell, ReadOnlySpan<double> input)
    {
        int h = hidden.Length;
        for (int i = 0; i < h; i++)
        {
            double forget = 1 / (1 + Math.Exp(-(input[i] * weight[i] + bias[i])));
            double ingate = 1 / (1 + Math.Exp(-(hidden[i] * weight[h + i] + bias[h + i])));
            double outgate = 1 / (1 + Math.Exp(-(input[i] * weight[2 * h + i] + bias[2 * h + i])));
            double change = Math.Tanh(hidden[i] * weight[3 * h + i] + bias[3 * h + i]);
            cell[i] = cell[i] * forget + ingate * change;
            hidden[i] = outgate * Math.Tanh(cell[i]);
        }
    }

    /// <summary>
    /// A one-layer version of GradBench lstm's objective: the state runs through the sequence, each step predicting the
    /// next character's scores from the hidden state; the loss is the mean negative log-likelihood of the sequence.
    /// </summary>
    [Differentiable]
    public static double LstmLoss(double[] weight, double[] bias, double[] extra, [NoDerivative] double[] sequence, int b)
    {
        int count = sequence.Length / b;
        var hidden = new double[b];
        var cell = new double[b];
        var input = new double[b];
        var scores = new double[b];
        double total = 0;
        for (int t = 0; t < count - 1; t++)
        {
            for (int i = 0; i < b; i++) input[i] = sequence[t * b + i] * extra[i];
            LstmModel(weight, bias, hidden, cell, input);
            double sumExp = 0;
            for (int i = 0; i < b; i++)
            {
                scores[i] = hidden[i] * extra[b + i] + extra[2 * b + i];
                sumExp += Math.Exp(scores[i]);
            }
            double logSum = Math.Log(sumExp);
            for (int i = 0; i < b; i++) total += sequence[(t + 1) * b + i] * (scores[i] - logSum);
        }
        return -total / (count - 1);
    }

    /// <summary>A dense layer, output = tanh(W·input + bias), W row-major.</summary>
    [Differentiable]
    public static void Dense(double[] w, ReadOnlySpan<double> bias, ReadOnlySpan<double> input, Span<double> output)
    {
        for (int r = 0; r < output.Length; r++)
        {
            double s = bias[r];
            for (int c = 0; c < input.Length; c++) s += w[r * input.Length + c] * input[c];
            output[r] = Math.Tanh(s);
        }
    }

    /// <summary>A two-layer perceptron's squared error on one sample, through two calls of the same layer.</summary>
    [Differentiable]
    public static double TwoLayers(double[] w1, double[] b1, double[] w2, double[] b2, [NoDerivative] double[] x, [NoDerivative] double[] target)
    {
        var hiddenLayer = new double[b1.Length];
        var output = new double[b2.Length];
        Dense(w1, b1, x, hiddenLayer);
        Dense(w2, b2, hiddenLayer, output);
        double loss = 0;
        for (int i = 0; i < output.Length; i++) loss += (output[i] - target[i]) * (output[i] - target[i]);
        return loss;
    }

    /// <summary>A helper that writes only some of its output and reads it first: the rest passes through the call.</summary>
    [Differentiable]
    public static void ScaleEvens(double factor, Span<double> v)
    {
        for (int i = 0; i < v.Length; i += 2) v[i] = factor * v[i] * v[i];
    }

    /// <summary>The same output written by two calls and a loop, and read between them.</summary>
    [Differentiable]
    public static double PassThrough(double[] x)
    {
        var v = new double[x.Length];
        for (int i = 0; i < v.Length; i++) v[i] = Math.Sin(x[i]);
        ScaleEvens(x[0], v);
        double between = v[0] * v[1];
        ScaleEvens(0.5, v);
        double sum = between;
        for (int i = 0; i < v.Length; i++) sum += v[i] * (i + 1);
        return sum;
    }

    /// <summary>A vector-valued method calling another one on its own output.</summary>
    [Differentiable]
    public static void OdeState(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = 0;
        RungeKutta(x, 1.0, 2, y);
    }

    /// <summary>An array made by a helper that returns it (VectorFunctions.Normalize), then read.</summary>
    [Differentiable]
    public static double NormalizedDot(double[] x, double[] w)
    {
        var u = VectorFunctions.Normalize(x, 2.0);
        double s = 0;
        for (int i = 0; i < u.Length; i++) s += u[i] * w[i];
        return s * s;
    }

    /// <summary>
    /// Holds an array a callee made, whose elements its reverse sweep does not read (only their copies in temporaries):
    /// its split pullback's reverse half declared the array empty and sized its adjoint by it, so every gradient of a
    /// caller (<see cref="CallsWaveTerms"/>) threw IndexOutOfRangeException. Such a method is not split now.
    /// </summary>
    [Differentiable]
    public static double WaveTerms(double a, double b)
    {
        double[] wave = Wave(Math.Tanh(b));
        return Math.Tanh(wave[0]) * a + Math.Exp(wave[2]) * 0.5;
    }

    /// <summary>An array made from a scalar and returned.</summary>
    [Differentiable]
    public static double[] Wave(double s)
    {
        var r = new double[3];
        for (int i = 0; i < 3; i++) r[i] = Math.Sin(s * (i + 1)) + s;
        return r;
    }

    [Differentiable]
    public static double CallsWaveTerms(double a, double b) => WaveTerms(a, b) * a + b;

    /// <summary>Writes every element from its scalar input alone, reading none.</summary>
    [Differentiable]
    public static void Cosines(double a, Span<double> o)
    {
        for (int i = 0; i < o.Length; i++) o[i] = a * Math.Cos(i);
    }

    /// <summary>An array that held derivatives overwritten by a call on constants: what it held before stops counting.</summary>
    [Differentiable]
    public static double OverwrittenByConstants(double[] x)
    {
        var v = new double[3];
        for (int i = 0; i < 3; i++) v[i] = x[i] * x[i];
        double kept = v[1];
        Cosines(2.0, v);
        return kept + v[0] * x[0] + v[2];
    }

    /// <summary>A new array filled by a call, read, then written once per element by a loop: its old values are the call's, not zeros.</summary>
    [Differentiable]
    public static double FilledThenScaled(double[] x)
    {
        var v = new double[3];
        Cosines(x[0], v);
        double s = v[1] * x[1];
        for (int i = 0; i < 3; i++) v[i] = v[i] * x[2];
        return s + v[0] + v[2];
    }

    /// <summary>Calls in branches, in a loop with a break, and an early return between them.</summary>
    [Differentiable]
    public static double Branches(double[] x)
    {
        var v = new double[4];
        for (int i = 0; i < 4; i++) v[i] = x[i];
        double s = 0;
        for (int k = 0; k < 3; k++)
        {
            if (v[k] > 0) ScaleEvens(x[k], v);
            else Cosines(x[3 - k], v);
            s += v[k] * v[k + 1];
            if (s > 50) break;
        }
        if (x[0] > 0.9) return s;
        ScaleEvens(0.5, v);
        return s + v[0] + v[3];
    }

    /// <summary>A float layer.</summary>
    [Differentiable]
    public static void FloatLayer(float[] w, ReadOnlySpan<float> input, Span<float> output)
    {
        for (int r = 0; r < output.Length; r++)
        {
            float s = 0;
            for (int c = 0; c < input.Length; c++) s += w[r * input.Length + c] * input[c];
            output[r] = MathF.Tanh(s);
        }
    }

    /// <summary>A float loss through the float layer.</summary>
    [Differentiable]
    public static float FloatLoss(float[] w, [NoDerivative] float[] x)
    {
        var output = new float[2];
        FloatLayer(w, x, output);
        return output[0] * output[0] + 0.5f * output[1];
    }
}
