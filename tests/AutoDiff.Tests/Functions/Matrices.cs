using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>Rectangular matrices, T[,]: parameters, GetLength, local matrices.</summary>
public static partial class Matrices
{
    /// <summary>y = x·W (the tutorial's example): a vector times a matrix.</summary>
    [Differentiable]
    public static void VectorTimesMatrix(ReadOnlySpan<double> x, double[,] w, Span<double> y)
    {
        for (int j = 0; j < w.GetLength(1); j++)
        {
            double s = 0;
            for (int i = 0; i < w.GetLength(0); i++) s += x[i] * w[i, j];
            y[j] = s;
        }
    }

    /// <summary>The squared Frobenius norm of A·B, through a local matrix.</summary>
    [Differentiable]
    public static double ProductNorm(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = b.GetLength(1), k = a.GetLength(1);
        double[,] c = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int l = 0; l < k; l++) s += a[i, l] * b[l, j];
                c[i, j] = Math.Tanh(s);
            }
        }
        double f = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++) f += c[i, j] * c[i, j];
        }
        return f;
    }

    /// <summary>
    /// foreach over a matrix, row by row as C# walks it: elements past 5 stop the sum (break), those below −5 are
    /// skipped (continue), the rest add v²·sin(v).
    /// </summary>
    [Differentiable]
    public static double ElementSum(double[,] m)
    {
        double s = 0;
        foreach (double v in m)
        {
            if (v > 5) break;
            if (v < -5) continue;
            s += v * v * Math.Sin(v);
        }
        return s;
    }
}
