using System;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// Span locals (issue 18): views of parts of arrays and spans kept in locals, as numerical code written with spans keeps
/// them. First GradBench's bundle adjustment as its reference implementation (ba.h) is written, a camera's centre taken as
/// a view of the camera (<c>var c = cam.Slice(CIdx, 3)</c>), then smaller methods for the other forms.
/// </summary>
public static partial class SpanLocals
{
    private const int RotIdx = 0, CIdx = 3, FIdx = 6, X0Idx = 7, RadIdx = 9;

    [Differentiable]
    public static double SqSum(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return s;
    }

    [Differentiable]
    public static void Cross(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        result[0] = a[1] * b[2] - a[2] * b[1];
        result[1] = a[2] * b[0] - a[0] * b[2];
        result[2] = a[0] * b[1] - a[1] * b[0];
    }

    [Differentiable]
    public static void RodriguesRotatePoint(ReadOnlySpan<double> rot, ReadOnlySpan<double> pt, Span<double> rotatedPt)
    {
        double sqtheta = SqSum(rot);
        // The reference's own test: the other branch is the rotation's first-order expansion, exact in the limit.
#pragma warning disable ADIFF104
        if (sqtheta != 0)
#pragma warning restore ADIFF104
        {
            double theta = Math.Sqrt(sqtheta);
            double costheta = Math.Cos(theta);
            double sintheta = Math.Sin(theta);
            double thetaInverse = 1.0 / theta;
            var w = new double[3];
            for (int i = 0; i < 3; i++) w[i] = rot[i] * thetaInverse;
            var wCrossPt = new double[3];
            Cross(w, pt, wCrossPt);
            double tmp = (w[0] * pt[0] + w[1] * pt[1] + w[2] * pt[2]) * (1.0 - costheta);
            for (int i = 0; i < 3; i++) rotatedPt[i] = pt[i] * costheta + wCrossPt[i] * sintheta + w[i] * tmp;
        }
        else
        {
            var rotCrossPt = new double[3];
            Cross(rot, pt, rotCrossPt);
            for (int i = 0; i < 3; i++) rotatedPt[i] = pt[i] + rotCrossPt[i];
        }
    }

    [Differentiable]
    public static void RadialDistort(ReadOnlySpan<double> radParams, Span<double> proj)
    {
        double rsq = SqSum(proj);
        double l = 1 + radParams[0] * rsq + radParams[1] * rsq * rsq;
        proj[0] = proj[0] * l;
        proj[1] = proj[1] * l;
    }

    [Differentiable]
    public static void Project(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, Span<double> proj)
    {
        var c = cam.Slice(CIdx, 3);
        var xo = new double[3];
        var xcam = new double[3];
        xo[0] = x[0] - c[0];
        xo[1] = x[1] - c[1];
        xo[2] = x[2] - c[2];
        RodriguesRotatePoint(cam.Slice(RotIdx, 3), xo, xcam);
        proj[0] = xcam[0] / xcam[2];
        proj[1] = xcam[1] / xcam[2];
        RadialDistort(cam.Slice(RadIdx, 2), proj);
        proj[0] = proj[0] * cam[FIdx] + cam[X0Idx];
        proj[1] = proj[1] * cam[FIdx] + cam[X0Idx + 1];
    }

    [Differentiable]
    public static void ComputeReprojError(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w, [NoDerivative] ReadOnlySpan<double> feat, Span<double> err)
    {
        var proj = new double[2];
        Project(cam, x, proj);
        err[0] = w * (proj[0] - feat[0]);
        err[1] = w * (proj[1] - feat[1]);
    }

    [Differentiable]
    public static double ComputeZachWeightError(double w) => 1 - w * w;

    /// <summary>The objective: each observation's reprojection error, through views of the cameras, points and outputs.</summary>
    [Differentiable]
    public static void Objective(double[] cams, double[] x, double[] w, [NoDerivative] int[] obs, [NoDerivative] double[] feats,
        Span<double> reprojErr, Span<double> wErr)
    {
        int p = w.Length;
        for (int i = 0; i < p; i++)
        {
            int camIdx = obs[2 * i];
            int ptIdx = obs[2 * i + 1];
            var cam = cams.AsSpan(camIdx * 11, 11);
            var point = x.AsSpan(ptIdx * 3, 3);
            var err = reprojErr.Slice(2 * i, 2);
            ComputeReprojError(cam, point, w[i], feats.AsSpan(i * 2, 2), err);
        }
        for (int i = 0; i < p; i++) wErr[i] = ComputeZachWeightError(w[i]);
    }

    /// <summary>A view declared in a loop, its start from the loop's index: a row of a matrix kept row by row.</summary>
    [Differentiable]
    public static double RowTerms(double[] m, int n)
    {
        double s = 0;
        for (int r = 0; r * n < m.Length; r++)
        {
            ReadOnlySpan<double> row = m.AsSpan(r * n, n);
            s += Math.Sin(row[0]) * row[row.Length - 1] + SqSum(row);
        }
        return s;
    }

    /// <summary>The whole of an array as a span, a view of the view, their lengths, and foreach over a view.</summary>
    [Differentiable]
    public static double ViewOfAView(double[] x)
    {
        ReadOnlySpan<double> all = x;
        var tail = all.Slice(1);
        var middle = tail[..2];
        double product = 1;
        foreach (var v in middle) product *= v;
        return SqSum(tail) * all[0] + Math.Exp(middle[1]) * tail.Length + middle.Length + product;
    }

    /// <summary>Writes through views of a local array, then reads the array.</summary>
    [Differentiable]
    public static double WritesThroughViews(double[] x)
    {
        var buffer = new double[4];
        var low = buffer.AsSpan(0, 2);
        var high = buffer.AsSpan(2);
        low[0] = x[0] * x[1];
        low[1] = Math.Sin(x[2]);
        for (int i = 0; i < high.Length; i++) high[i] = low[i] * x[i + 1];
        return buffer[0] * buffer[3] + SqSum(high) - buffer[1];
    }

    /// <summary>Writes its results through views of its output: a vector-valued method.</summary>
    [Differentiable]
    public static void Halves(double[] x, Span<double> y)
    {
        var head = y.Slice(0, 2);
        var rest = y[2..];
        head[0] = x[0] * x[1];
        head[1] = Math.Exp(x[2]);
        for (int i = 0; i < rest.Length; i++) rest[i] = x[i] * head[0] + head[1];
    }

    /// <summary>Reads and writes the span it is given.</summary>
    [Differentiable]
    public static void Scale(double a, Span<double> o)
    {
        for (int i = 0; i < o.Length; i++) o[i] = a * o[i] + Math.Sin(a * (i + 1));
    }

    /// <summary>
    /// Writes <c>y</c> only through a slice passed to a helper that writes it and through a view, and <c>z</c> directly: its
    /// callers must see both as outputs. (They saw only <c>z</c>, and passed the adjoints in the wrong places.)
    /// </summary>
    [Differentiable]
    public static void FillBySlices(double a, Span<double> y, Span<double> z)
    {
        Scale(a, y.Slice(0, 2));
        var rest = y.Slice(2);
        rest[0] = a * a;
        z[0] = a * y[1];
    }

    [Differentiable]
    public static double CallsFillBySlices(double[] x)
    {
        var y = new double[3];
        var z = new double[1];
        y[0] = x[0];
        y[1] = x[1];
        FillBySlices(x[2], y, z);
        return y[0] * y[1] + y[2] * x[0] + z[0];
    }

    // GradBench's LSTM as its reference (lstm.h) is written: the gates as four views of one array, the state of each layer
    // as two disjoint slices of one array given to one call, and the input walked along the sequence (input = goal).

    [Differentiable]
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> vect)
    {
        double sum = 0.0;
        for (int i = 0; i < vect.Length; i++) sum += Math.Exp(vect[i]);
        sum += 2;
        return Math.Log(sum);
    }

    [Differentiable]
    public static void LstmModel(int hsize, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> hidden, Span<double> cell, ReadOnlySpan<double> input)
    {
        var gates = new double[4 * hsize];
        var forget = gates.AsSpan(0, hsize);
        var ingate = gates.AsSpan(hsize, hsize);
        var outgate = gates.AsSpan(2 * hsize, hsize);
        var change = gates.AsSpan(3 * hsize, hsize);
        for (int i = 0; i < hsize; i++)
        {
            forget[i] = Sigmoid(input[i] * weight[i] + bias[i]);
            ingate[i] = Sigmoid(hidden[i] * weight[hsize + i] + bias[hsize + i]);
            outgate[i] = Sigmoid(input[i] * weight[2 * hsize + i] + bias[2 * hsize + i]);
            change[i] = Math.Tanh(hidden[i] * weight[3 * hsize + i] + bias[3 * hsize + i]);
        }
        for (int i = 0; i < hsize; i++) cell[i] = cell[i] * forget[i] + ingate[i] * change[i];
        for (int i = 0; i < hsize; i++) hidden[i] = outgate[i] * Math.Tanh(cell[i]);
    }

    [Differentiable]
    public static void LstmPredict(int l, int b, ReadOnlySpan<double> w, ReadOnlySpan<double> w2, Span<double> s, ReadOnlySpan<double> x, Span<double> x2)
    {
        for (int i = 0; i < b; i++) x2[i] = x[i] * w2[i];
        var xp = new double[b];
        for (int i = 0; i < b; i++) xp[i] = x2[i];
        for (int i = 0; i <= 2 * l * b - 1; i += 2 * b)
        {
            LstmModel(b, w.Slice(i * 4, 4 * b), w.Slice((i + b) * 4, 4 * b), s.Slice(i, b), s.Slice(i + b, b), xp);
            for (int j = 0; j < b; j++) xp[j] = s[i + j];
        }
        for (int i = 0; i < b; i++) x2[i] = xp[i] * w2[b + i] + w2[2 * b + i];
    }

    [Differentiable]
    public static double LstmObjective(int l, int c, int b, double[] mainParams, double[] extraParams, [NoDerivative] double[] state, [NoDerivative] double[] sequence)
    {
        double total = 0.0;
        int count = 0;
        var s = new double[state.Length];
        for (int i = 0; i < state.Length; i++) s[i] = state[i];
        ReadOnlySpan<double> input = sequence.AsSpan(0, b);
        var ypred = new double[b];
        var ynorm = new double[b];
        for (int t = 0; t <= (c - 1) * b - 1; t += b)
        {
            LstmPredict(l, b, mainParams, extraParams, s, input, ypred);
            double lse = LogSumExp(ypred);
            for (int i = 0; i < b; i++) ynorm[i] = ypred[i] - lse;
            var goal = sequence.AsSpan(t + b, b);
            for (int i = 0; i < b; i++) total += goal[i] * ynorm[i];
            count += b;
            input = goal;
        }
        return -total / count;
    }
}
