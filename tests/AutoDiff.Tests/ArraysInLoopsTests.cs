// Local arrays declared inside loops and branches (issue 18): the value written out, the gradient against central
// differences and every mode against each other.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;

namespace AutoDiff.Tests;

public class ArraysInLoopsTests
{
    /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
    public static readonly string[] Checked = { nameof(ArraysInLoops.LogDistances), nameof(ArraysInLoops.PartialWrites), nameof(ArraysInLoops.KMeansCost) };

    private static readonly double[] Points = { 0.5, -1.0, 2.0, 0.3, -0.7, 1.1, 0.0, 0.4 };

    [Fact]
    public void LogDistances()
    {
        double[] means = { 0.2, -0.1 };
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += Math.Log(1 + Math.Pow(Points[2 * i] - 0.2, 2) + Math.Pow(Points[2 * i + 1] + 0.1, 2));
        Assert.Equal(expected, ArraysInLoops.LogDistances(means, Points), 12);

        GradientCheck.Double("ArraysInLoops.LogDistances", Names("m", 2), m => ArraysInLoops.LogDistances(m, Points),
            m => ArraysInLoops.LogDistancesGradient(m, Points),
            (m, s, a) => ArraysInLoops.LogDistancesBackward(m, Points, s, a), Domain.Box(-1, 1, 2));
        ModeCheck.Run("ArraysInLoops.LogDistances", Names("m", 2), new ModeFunctions(
            m => ArraysInLoops.LogDistances(m, Points),
            m => ArraysInLoops.LogDistancesGradient(m, Points).dMeans,
            (m, v) => ArraysInLoops.LogDistancesTangent(m, Points, v),
            (m, v) => ArraysInLoops.LogDistancesHessianVector(m, Points, v),
            m => ArraysInLoops.LogDistancesHessian(m, Points)), Domain.Box(-1, 1, 2));
    }

    private static readonly double[,] KMeansPoints = { { 0.1, 0.2 }, { 1.5, -0.4 }, { -0.8, 0.9 }, { 1.1, 1.3 }, { -1.2, -0.6 } };

    /// <summary>Three centroids of two coordinates, row-major.</summary>
    private static double[,] Centroids(double[] p)
    {
        var c = new double[3, 2];
        for (int n = 0; n < 6; n++) c[n / 2, n % 2] = p[n];
        return c;
    }

    private static double[] Flat(double[,] m) => m.Cast<double>().ToArray();

    [Fact]
    public void KMeansCost()
    {
        double[] p = { 0.0, 0.0, 1.0, 0.0, -1.0, 1.0 };
        // By hand: each point's nearest centroid, and that centroid's gradient 2·(c − x) for each point it serves.
        double expected = 0;
        var gradient = new double[6];
        for (int i = 0; i < 5; i++)
        {
            int nearest = Enumerable.Range(0, 3).OrderBy(c => Math.Pow(KMeansPoints[i, 0] - p[2 * c], 2) + Math.Pow(KMeansPoints[i, 1] - p[2 * c + 1], 2)).First();
            expected += Math.Pow(KMeansPoints[i, 0] - p[2 * nearest], 2) + Math.Pow(KMeansPoints[i, 1] - p[2 * nearest + 1], 2);
            gradient[2 * nearest] += 2 * (p[2 * nearest] - KMeansPoints[i, 0]);
            gradient[2 * nearest + 1] += 2 * (p[2 * nearest + 1] - KMeansPoints[i, 1]);
        }
        var (value, dCentroids) = ArraysInLoops.KMeansCostGradient(Centroids(p), KMeansPoints);
        Assert.Equal(expected, value, 12);
        var flat = Flat(dCentroids);
        for (int n = 0; n < 6; n++) Assert.Equal(gradient[n], flat[n], 12);

        GradientCheck.Double("ArraysInLoops.KMeansCost", Names("c", 6), q => ArraysInLoops.KMeansCost(Centroids(q), KMeansPoints),
            q => { var (v, d) = ArraysInLoops.KMeansCostGradient(Centroids(q), KMeansPoints); return (v, Flat(d)); },
            (q, s, a) =>
            {
                var d = Centroids(a);
                double v = ArraysInLoops.KMeansCostBackward(Centroids(q), KMeansPoints, s, d);
                Array.Copy(Flat(d), a, 6);
                return v;
            },
            Domain.Box(-1.5, 1.5, 6));
        ModeCheck.Run("ArraysInLoops.KMeansCost", Names("c", 6), new ModeFunctions(
            q => ArraysInLoops.KMeansCost(Centroids(q), KMeansPoints),
            q => Flat(ArraysInLoops.KMeansCostGradient(Centroids(q), KMeansPoints).dCentroids),
            (q, v) => ArraysInLoops.KMeansCostTangent(Centroids(q), KMeansPoints, Centroids(v)),
            (q, v) => Flat(ArraysInLoops.KMeansCostHessianVector(Centroids(q), KMeansPoints, Centroids(v))),
            q => ArraysInLoops.KMeansCostHessian(Centroids(q), KMeansPoints)), Domain.Box(-1.5, 1.5, 6));
    }

    private static double PartialWritesByHand(double[] x)
    {
        double s = 0;
        for (int row = 0; row < 3; row++)
        {
            for (int j = 0; j < x.Length; j++) s += Math.Sin(j >= row && (j - row) % 2 == 0 ? x[j] * (row + 1) : 0) * x[j];
            if (s > 0) s += 0.5 * s * x[0];
        }
        return s;
    }

    [Fact]
    public void PartialWrites()
    {
        double[] x = { 0.7, -0.4, 1.2, 0.9 };
        Assert.Equal(PartialWritesByHand(x), ArraysInLoops.PartialWrites(x), 12);
        GradientCheck.Double("ArraysInLoops.PartialWrites", Names("x", 4), ArraysInLoops.PartialWrites,
            x => ArraysInLoops.PartialWritesGradient(x),
            (x, s, a) => ArraysInLoops.PartialWritesBackward(x, s, a), Domain.Box(-1.5, 1.5, 4));
        ModeCheck.Run("ArraysInLoops.PartialWrites", Names("x", 4), new ModeFunctions(
            ArraysInLoops.PartialWrites,
            x => ArraysInLoops.PartialWritesGradient(x).dX,
            (x, v) => ArraysInLoops.PartialWritesTangent(x, v),
            (x, v) => ArraysInLoops.PartialWritesHessianVector(x, v),
            ArraysInLoops.PartialWritesHessian), Domain.Box(-1.5, 1.5, 4));
    }
}
