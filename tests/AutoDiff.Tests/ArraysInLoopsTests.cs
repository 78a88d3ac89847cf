// Local arrays declared inside loops and branches (issue 18): the value written out, the gradient against central
// differences and every mode against each other.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests
{
    public class ArraysInLoopsTests
    {
        /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
        public static readonly string[] Checked = { nameof(ArraysInLoops.LogDistances), nameof(ArraysInLoops.PartialWrites) };

        private static string Names(string prefix, int n) => string.Join(" ", Enumerable.Range(0, n).Select(i => $"{prefix}{i}"));

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
}
