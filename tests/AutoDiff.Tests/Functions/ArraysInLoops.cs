using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// Scratch arrays declared where they are used, inside loops and branches, as ADBench's GMM and k-means write them:
/// a fresh (zeroed) array for each data point.
/// </summary>
public static partial class ArraysInLoops
{
    /// <summary>Σ over points of log(1 + |x_i − μ|²), with the centred point in an array made per point.</summary>
    [Differentiable]
    public static double LogDistances(double[] means, [NoDerivative] double[] points)
    {
        int d = means.Length;
        double total = 0;
        for (int i = 0; i < points.Length / d; i++)
        {
            var centred = new double[d];
            for (int j = 0; j < d; j++) centred[j] = points[i * d + j] - means[j];
            double squared = 0;
            for (int j = 0; j < d; j++) squared += centred[j] * centred[j];
            total += Math.Log(1 + squared);
        }
        return total;
    }

    /// <summary>
    /// The k-means objective as GradBench states it: for each point, the squared distance to its nearest centroid,
    /// summed. Written as a user would: a distance array per point, a difference array per centroid, the squares
    /// summed with foreach.
    /// </summary>
    [Differentiable]
    public static double KMeansCost(double[,] centroids, [NoDerivative] double[,] points)
    {
        int k = centroids.GetLength(0), d = centroids.GetLength(1);
        double cost = 0;
        for (int i = 0; i < points.GetLength(0); i++)
        {
            var distances = new double[k];
            for (int c = 0; c < k; c++)
            {
                var diff = new double[d];
                for (int j = 0; j < d; j++) diff[j] = points[i, j] - centroids[c, j];
                foreach (double v in diff) distances[c] += v * v;
            }
            double best = distances[0];
            for (int c = 1; c < k; c++)
            {
                if (distances[c] < best) best = distances[c];
            }
            cost += best;
        }
        return cost;
    }

    /// <summary>
    /// A running sum kept in an array made per row: only some of its elements are written, so the zeros of a new
    /// array matter; and a 2×2 matrix made in a branch.
    /// </summary>
    [Differentiable]
    public static double PartialWrites(double[] x)
    {
        double s = 0;
        for (int row = 0; row < 3; row++)
        {
            var acc = new double[x.Length];
            for (int j = row; j < x.Length; j += 2) acc[j] = x[j] * (row + 1);
            for (int j = 0; j < x.Length; j++) s += Math.Sin(acc[j]) * x[j];
            if (s > 0)
            {
                var m = new double[2, 2];
                m[0, 1] = s * x[0];
                s += m[0, 0] + m[0, 1] * m[1, 0] + 0.5 * m[0, 1];
            }
        }
        return s;
    }
}
