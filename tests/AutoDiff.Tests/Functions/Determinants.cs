using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// GradBench's det, written as its reference implementation (CppAD's det_of_minor) is: the rows and columns still in
/// the minor are linked lists in int[] parameters, which each level unlinks, recurses on and links back.
/// </summary>
public static partial class Determinants
{
    /// <summary>
    /// The determinant of the minor of the m×m matrix <paramref name="a"/> (row-major) given by the lists: r[m] is the
    /// first row left and r[i] the one after row i, c likewise for columns; n rows and columns are left.
    /// </summary>
    [Differentiable]
    public static double DetOfMinor(double[] a, int m, int n, int[] r, int[] c)
    {
        int R0 = r[m];
        int Cj = c[m];
        int Cj1 = m;
        if (n == 1) return a[R0 * m + Cj];
        double detM = 0;
        int sign = 1;
        // Remove row R0 from the list.
        r[m] = r[R0];
        for (int j = 0; j < n; j++)
        {
            int M0j = R0 * m + Cj;
            // Remove column Cj, take the minor's determinant, put the column back.
            c[Cj1] = c[Cj];
            double detS = DetOfMinor(a, m, n - 1, r, c);
            c[Cj1] = Cj;
            if (sign > 0) detM += a[M0j] * detS;
            else detM -= a[M0j] * detS;
            sign = -sign;
            Cj1 = Cj;
            Cj = c[Cj];
        }
        // Put row R0 back.
        r[m] = R0;
        return detM;
    }

    /// <summary>GradBench det's primal: the determinant of an m×m matrix by expansion in minors.</summary>
    [Differentiable]
    public static double Det(double[] a, int m)
    {
        var r = new int[m + 1];
        var c = new int[m + 1];
        for (int i = 0; i < m; i++)
        {
            r[i] = i + 1;
            c[i] = i + 1;
        }
        r[m] = 0;
        c[m] = 0;
        return DetOfMinor(a, m, m, r, c);
    }

    /// <summary>Marks the largest of the unmarked entries and returns it (an index array written and not put back).</summary>
    [Differentiable]
    public static double TakeLargest(double[] x, bool[] taken)
    {
        int best = -1;
        for (int i = 0; i < x.Length; i++)
        {
            if (!taken[i] && (best < 0 || x[i] > x[best])) best = i;
        }
        taken[best] = true;
        return x[best];
    }

    /// <summary>A weighted sum of the entries, largest first, through the helper that marks them.</summary>
    [Differentiable]
    public static double SortedWeights(double[] x)
    {
        var taken = new bool[x.Length];
        double s = 0;
        for (int k = 0; k < x.Length; k++)
        {
            double largest = TakeLargest(x, taken);
            s += (k + 1) * largest * largest;
        }
        return s;
    }

    /// <summary>The example of an input updated in place: a running smoothing of v, then a weighted sum of squares.</summary>
    [Differentiable]
    public static double SmoothInPlace(double[] v, double scale)
    {
        for (int i = 1; i < v.Length; i++) v[i] += 0.5 * v[i - 1];
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += scale * v[i] * v[i];
        return s;
    }

    /// <summary>An input normalised in place, overwritten element by element from values read before.</summary>
    [Differentiable]
    public static double NormaliseInPlace(double[] x)
    {
        double norm = 0;
        for (int i = 0; i < x.Length; i++) norm += x[i] * x[i];
        norm = Math.Sqrt(norm);
        for (int i = 0; i < x.Length; i++) x[i] = x[i] / norm;
        return x[0] * Math.Exp(x[1]);
    }

    /// <summary>
    /// A user's recursion over an index list that ping-pongs between two buffers: each level reads the pairs (i, i + 1) of
    /// <paramref name="current"/>, writes the next order into <paramref name="next"/>, and recurses with the buffers swapped,
    /// so <paramref name="current"/> is written only by the recursive call (as its <c>next</c>).
    /// </summary>
    [Differentiable]
    public static double PingPong(double[] x, int[] current, int[] next, int depth)
    {
        int n = current.Length;
        double s = 0;
        for (int i = 0; i < n; i++) s += x[current[i]] * x[current[(i + 1) % n]] * (depth + 1);
        if (depth == 0) return s;
        for (int i = 0; i < n; i++) next[i] = current[(2 * i + 1) % n];
        // A statement of its own, as ADIFF002 asks of calls that write arrays they are given.
        double rest = PingPong(x, next, current, depth - 1);
        return s + rest;
    }

    /// <summary>Calls <see cref="PingPong"/> on buffers of its own, reading them before and after the call.</summary>
    [Differentiable]
    public static double PingPongTotal(double[] x)
    {
        int n = x.Length;
        var order = new int[n];
        var scratch = new int[n];
        for (int i = 0; i < n; i++) order[i] = n - 1 - i;
        double before = x[order[1]] * x[order[1]];
        double total = PingPong(x, order, scratch, 3);
        return before + total + x[order[0]] * x[scratch[1]];
    }
}
