using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// Integers the reverse sweep must read as they were at a write: counters advanced in branches that index writes into
/// local arrays, an index read from the array it writes, and the determinant by minors written two ways (a copied
/// minor, and CppAD's index lists built by recursion).
/// </summary>
public static partial class IndexedWrites
{
    /// <summary>a0² + a0·a1 + a2² (issue 16): the counter k moves after the write idx[k] = j.</summary>
    [Differentiable]
    public static double CounterIndexedWrite(double[] a)
    {
        var idx = new int[3];
        int k = 0;
        double s = 0;
        for (int j = 0; j < 3; j++)
        {
            if (j != 1) { idx[k] = j; k++; }
            s += a[idx[1]] * a[j];
        }
        return s;
    }

    /// <summary>a0·(a0 + a1 + a2): before the fix, the reverse sweep restored idx[2] and threw.</summary>
    [Differentiable]
    public static double CounterIndexedWriteAtTheEnd(double[] a)
    {
        var idx = new int[2];
        int k = 0;
        double s = 0;
        for (int j = 0; j < 3; j++)
        {
            if (j != 1) { idx[k] = j; k++; }
            s += a[idx[0]] * a[j];
        }
        return s;
    }

    /// <summary>Values written at positions a counter picks, the counter advanced only when a value is positive.</summary>
    [Differentiable]
    public static double CompactPositives(double[] x)
    {
        var kept = new double[x.Length];
        int count = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0) { kept[count] = x[i] * x[i]; count++; }
        }
        double s = 0;
        for (int i = 0; i < count; i++) s += kept[i] * (i + 1);
        return s;
    }

    /// <summary>
    /// A write whose index reads the array it writes: order[order[0]] = 2 changes order[0] when order[0] is 0, so the
    /// element the reverse sweep restores must be the one the forward sweep wrote.
    /// </summary>
    [Differentiable]
    public static double SelfIndexedWrite(double[] x)
    {
        var order = new int[3];
        var values = new double[3];
        values[order[0]] = x[0] * x[1];
        order[order[0]] = 2;
        values[order[0]] = values[0] * x[2];
        values[order[1]] = Math.Sin(values[2]);
        return values[0] + values[1] + 2 * values[2];
    }

    /// <summary>
    /// An insertion sort of the indices by value, and after each insertion the prefix's smallest value weighted by
    /// w[i]. The restore of order[j] reads j, which moves after the write: before the fix, the gradient was silently
    /// wrong (at x = (0.5, 3, -1, 2, -2) it gave ∂/∂x2 = 0 instead of 0.3).
    /// </summary>
    [Differentiable]
    public static double RunningMinimum(double[] x, double[] w)
    {
        var order = new int[x.Length];
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            int j = i;
            while (j > 0 && x[order[j - 1]] > x[i])
            {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
            s += w[i] * x[order[0]];
        }
        return s;
    }

    /// <summary>The determinant by expansion along the first row, copying each minor: the counter k writes the minor.</summary>
    [Differentiable]
    public static double DetByCopiedMinors(double[] m, int n)
    {
        if (n == 1) return m[0];
        var minor = new double[(n - 1) * (n - 1)];
        double det = 0;
        double sign = 1;
        for (int col = 0; col < n; col++)
        {
            int k = 0;
            for (int i = 1; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (j != col) { minor[k] = m[i * n + j]; k++; }
                }
            }
            det += sign * m[col] * DetByCopiedMinors(minor, n - 1);
            sign = -sign;
        }
        return det;
    }

    /// <summary>The determinant by minors over index lists (as CppAD's det_by_minor): no matrix is copied.</summary>
    [Differentiable]
    public static double DetByIndexLists(double[] a, int n)
    {
        var columns = new int[n];
        for (int i = 0; i < n; i++) columns[i] = i;
        return DetOfMinor(a, n, 0, columns, n);
    }

    /// <summary>The determinant of the minor of rows row.. and the first count entries of columns.</summary>
    [Differentiable]
    public static double DetOfMinor(double[] a, int n, int row, int[] columns, int count)
    {
        if (count == 1) return a[row * n + columns[0]];
        double det = 0, sign = 1;
        var rest = new int[count - 1];
        for (int skip = 0; skip < count; skip++)
        {
            int k = 0;
            for (int j = 0; j < count; j++)
            {
                if (j != skip) { rest[k] = columns[j]; k++; }
            }
            det += sign * a[row * n + columns[skip]] * DetOfMinor(a, n, row + 1, rest, count - 1);
            sign = -sign;
        }
        return det;
    }
}
