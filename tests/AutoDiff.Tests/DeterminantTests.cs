// Index arrays written in place by [Differentiable] methods (issue 18): GradBench's det by minors, whose row and column
// lists are int[] parameters unlinked and relinked at each level of the recursion, and a helper that marks entries of a
// bool[] it is given. Values against plain C#, gradients against central differences and the cofactor formula, every mode
// against each other, and the arrays left as the method leaves them.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;
using static AutoDiff.Tests.ArrayFunctionCheck;

namespace AutoDiff.Tests
{
    public class DeterminantTests
    {
        /// <summary>The methods these tests check across modes (ModeCoverageTests).</summary>
        public static readonly string[] Checked =
        {
            nameof(Determinants.DetOfMinor), nameof(Determinants.Det), nameof(Determinants.TakeLargest), nameof(Determinants.SortedWeights),
        };

        /// <summary>The determinant by Gaussian elimination with partial pivoting.</summary>
        private static double Gauss(double[] a, int m)
        {
            var u = (double[])a.Clone();
            double det = 1;
            for (int k = 0; k < m; k++)
            {
                int pivot = Enumerable.Range(k, m - k).OrderByDescending(i => Math.Abs(u[i * m + k])).First();
                if (pivot != k)
                {
                    for (int j = 0; j < m; j++) (u[k * m + j], u[pivot * m + j]) = (u[pivot * m + j], u[k * m + j]);
                    det = -det;
                }
                det *= u[k * m + k];
                for (int i = k + 1; i < m; i++)
                {
                    double f = u[i * m + k] / u[k * m + k];
                    for (int j = k; j < m; j++) u[i * m + j] -= f * u[k * m + j];
                }
            }
            return det;
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void Det(int m)
        {
            var random = new Random(m);
            var a = Enumerable.Range(0, m * m).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            Assert.Equal(Gauss(a, m), Determinants.Det(a, m), 12);
            // ∂det/∂a_ij is the cofactor C_ij: the determinant of a with row i replaced by e_j.
            var (_, gradient) = Determinants.DetGradient(a, m);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    var replaced = (double[])a.Clone();
                    for (int k = 0; k < m; k++) replaced[i * m + k] = k == j ? 1 : 0;
                    Assert.Equal(Gauss(replaced, m), gradient[i * m + j], 10);
                }
            }
            CheckArrayFunction($"Determinants.Det (m = {m})", m * m, p => Determinants.Det(p, m), p => Determinants.DetGradient(p, m),
                (p, s, adjoints) => Determinants.DetBackward(p, m, s, adjoints), (p, v) => Determinants.DetTangent(p, m, v),
                (p, v) => Determinants.DetHessianVector(p, m, v), p => Determinants.DetHessian(p, m), Domain.Box(-1, 1, m * m));
        }

        [Fact]
        public void DetOfMinorLeavesItsListsAsItFindsThem()
        {
            const int m = 3;
            double[] a = { 2, -1, 0.5, 1, 3, -2, 0, 1, 4 };
            // The minor without row 0 and column 1: rows 1, 2 and columns 0, 2 left.
            int[] r = { 0, 2, 0, 1 };
            int[] c = { 2, 0, 0, 0 };
            var (rBefore, cBefore) = ((int[])r.Clone(), (int[])c.Clone());
            double expected = 1 * 4 - (-2) * 0;
            Assert.Equal(expected, Determinants.DetOfMinor(a, m, 2, r, c), 14);
            var (value, dA) = Determinants.DetOfMinorGradient(a, m, 2, r, c);
            Assert.Equal(expected, value, 14);
            Assert.Equal(new double[] { 0, 0, 0, 4, 0, 0, 2, 0, 1 }, dA.Select(Math.Abs));
            var hessian = Determinants.DetOfMinorHessian(a, m, 2, r, c);
            Assert.Equal(1.0, hessian[3, 8], 14);
            Assert.Equal(0.0, hessian[4, 4], 14);
            Assert.Equal(rBefore, r);
            Assert.Equal(cBefore, c);
        }

        [Fact]
        public void AHelperThatMarksEntriesLeavesThemMarked()
        {
            double[] x = { 0.3, -0.7, 1.1 };
            var taken = new bool[3];
            var (value, dX) = Determinants.TakeLargestGradient(x, taken);
            Assert.Equal(1.1, value);
            Assert.Equal(new[] { 0.0, 0.0, 1.0 }, dX);
            // FGradient runs the method: the entry stays marked, as the method leaves it.
            Assert.Equal(new[] { false, false, true }, taken);
            Assert.Equal(0.3, Determinants.TakeLargestGradient(x, taken).Value);
            var (tangentValue, tangent) = Determinants.TakeLargestTangent(x, new bool[3], new[] { 0.5, 0.25, 2.0 });
            Assert.Equal(1.1, tangentValue);
            Assert.Equal(2.0, tangent);
        }

        [Fact]
        public void SortedWeights()
        {
            double[] x = { 0.3, -0.7, 1.1, 0.4 };
            var sorted = x.OrderByDescending(v => v).ToArray();
            Assert.Equal(sorted.Select((v, k) => (k + 1) * v * v).Sum(), Determinants.SortedWeights(x), 14);
            CheckArrayFunction("Determinants.SortedWeights", 4, Determinants.SortedWeights, Determinants.SortedWeightsGradient,
                (p, s, a) => Determinants.SortedWeightsBackward(p, s, a), (p, v) => Determinants.SortedWeightsTangent(p, v),
                (p, v) => Determinants.SortedWeightsHessianVector(p, v), Determinants.SortedWeightsHessian,
                Domain.Box(-1, 1, 4).Where(p => p.SelectMany(u => p, (u, v) => u == v ? 1 : Math.Abs(u - v)).Min() > 0.05));
        }
    }
}
