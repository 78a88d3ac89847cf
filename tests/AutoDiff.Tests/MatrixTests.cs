// T[,]: gradients against finite differences, and the tutorial's Jacobian-vector and vector-Jacobian products.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

public class MatrixTests
{
    [Fact]
    public void TutorialProductsOfVectorTimesMatrix()
    {
        var x = new[] { 0.0, 1.0 };
        var w = new[,] { { 1.0, 1.0 }, { 1.0, 1.0 } };
        var y = new double[2];

        // Jacobian-vector product with respect to W along V = [[2, 2], [2, 2]]: x·V = [2, 2].
        var yTangent = new double[2];
        Matrices.VectorTimesMatrixTangent(x, w, y, new double[2], new[,] { { 2.0, 2.0 }, { 2.0, 2.0 } }, yTangent);
        Assert.Equal(new[] { 2.0, 2.0 }, yTangent);
        Assert.Equal(new[] { 1.0, 1.0 }, y);

        // Vector-Jacobian product with v = [2, 2]: ∂/∂W = xᵀ·v = [[0, 0], [2, 2]].
        var dX = new double[2];
        var dW = new double[2, 2];
        Matrices.VectorTimesMatrixBackward(x, w, y, new[] { 2.0, 2.0 }, dX, dW);
        Assert.Equal(new[,] { { 0.0, 0.0 }, { 2.0, 2.0 } }, dW);
        Assert.Equal(new[] { 4.0, 4.0 }, dX); // W·v
    }

    [Fact]
    public void JacobianOfVectorTimesMatrix()
    {
        var random = new Random(8);
        var x = new[] { 0.3, -1.2, 0.8 };
        var w = new double[3, 2];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) w[i, j] = random.NextDouble() * 2 - 1;
        var jacobian = Matrices.VectorTimesMatrixJacobian(x, w, new double[2]);
        Assert.Equal(2, jacobian.GetLength(0));
        Assert.Equal(3 + 6, jacobian.GetLength(1));
        for (int j = 0; j < 2; j++)
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(w[i, j], jacobian[j, i], 12);             // ∂y_j/∂x_i
                for (int c = 0; c < 2; c++)
                {
                    Assert.Equal(c == j ? x[i] : 0, jacobian[j, 3 + i * 2 + c], 12); // ∂y_j/∂W_ic, row-major
                }
            }
        }
    }

    [Fact]
    public void ProductNorm()
    {
        // A is 2×3 and B 3×2, flattened row-major into twelve coordinates.
        static (double[,] A, double[,] B) Split(double[] p)
        {
            var a = new double[2, 3];
            var b = new double[3, 2];
            for (int k = 0; k < 6; k++) a[k / 3, k % 3] = p[k];
            for (int k = 0; k < 6; k++) b[k / 2, k % 2] = p[6 + k];
            return (a, b);
        }
        GradientCheck.Double("Matrices.ProductNorm", string.Join(" ", Enumerable.Range(0, 12).Select(i => "p" + i)),
            p => { var (a, b) = Split(p); return Matrices.ProductNorm(a, b); },
            p =>
            {
                var (a, b) = Split(p);
                var g = Matrices.ProductNormGradient(a, b);
                return (g.Value, g.dA.Cast<double>().Concat(g.dB.Cast<double>()).ToArray());
            },
            (p, s, adjoints) =>
            {
                var (a, b) = Split(p);
                var dA = new double[2, 3];
                var dB = new double[3, 2];
                for (int k = 0; k < 6; k++) dA[k / 3, k % 3] = adjoints[k];
                for (int k = 0; k < 6; k++) dB[k / 2, k % 2] = adjoints[6 + k];
                double value = Matrices.ProductNormBackward(a, b, s, dA, dB);
                var flat = dA.Cast<double>().Concat(dB.Cast<double>()).ToArray();
                Array.Copy(flat, adjoints, 12);
                return value;
            },
            Domain.Box(-1, 1, 12));
    }

    /// <summary>A 2×3 matrix from six coordinates, row-major.</summary>
    private static double[,] Matrix(double[] p)
    {
        var m = new double[2, 3];
        for (int k = 0; k < 6; k++) m[k / 3, k % 3] = p[k];
        return m;
    }

    private static double[] Flat(double[,] m) => m.Cast<double>().ToArray();

    [Fact]
    public void ElementSumWalksTheMatrixRowByRow()
    {
        // 6 stops the walk at [1, 0]; −7 is skipped: 1²·sin 1 + 2²·sin 2.
        var m = new[,] { { 1.0, -7, 2 }, { 6, 3, 4 } };
        Assert.Equal(Math.Sin(1) + 4 * Math.Sin(2), Matrices.ElementSum(m), 12);
        var (value, dM) = Matrices.ElementSumGradient(m);
        Assert.Equal(Matrices.ElementSum(m), value);
        var expected = new[] { 2 * Math.Sin(1) + Math.Cos(1), 0, 4 * Math.Sin(2) + 4 * Math.Cos(2), 0, 0, 0 };
        var flat = Flat(dM);
        for (int k = 0; k < 6; k++) Assert.Equal(expected[k], flat[k], 12);
    }

    [Fact]
    public void ElementSum()
    {
        string names = string.Join(" ", Enumerable.Range(0, 6).Select(i => "m" + i));
        GradientCheck.Double("Matrices.ElementSum", names,
            p => Matrices.ElementSum(Matrix(p)),
            p => { var (value, dM) = Matrices.ElementSumGradient(Matrix(p)); return (value, Flat(dM)); },
            (p, s, adjoints) =>
            {
                var dM = Matrix(adjoints);
                double value = Matrices.ElementSumBackward(Matrix(p), s, dM);
                Array.Copy(Flat(dM), adjoints, 6);
                return value;
            },
            Domain.Box(-6, 6, 6));
        ModeCheck.Run("Matrices.ElementSum", names, new ModeFunctions(
            p => Matrices.ElementSum(Matrix(p)),
            p => Flat(Matrices.ElementSumGradient(Matrix(p)).dM),
            (p, v) => Matrices.ElementSumTangent(Matrix(p), Matrix(v)),
            (p, v) => Flat(Matrices.ElementSumHessianVector(Matrix(p), Matrix(v))),
            p => Matrices.ElementSumHessian(Matrix(p))), Domain.Box(-6, 6, 6));
    }

    [Fact]
    public void HessianOverMatricesIsSymmetricAndMatchesProducts()
    {
        var a = new[,] { { 0.3, -0.2 }, { 0.5, 0.1 } };
        var b = new[,] { { -0.4, 0.2 }, { 0.6, -0.1 } };
        var h = Matrices.ProductNormHessian(a, b);
        Assert.Equal(8, h.GetLength(0));
        for (int c = 0; c < 8; c++)
        {
            var va = new double[2, 2];
            var vb = new double[2, 2];
            if (c < 4) va[c / 2, c % 2] = 1; else vb[(c - 4) / 2, (c - 4) % 2] = 1;
            var (hA, hB) = Matrices.ProductNormHessianVector(a, b, va, vb);
            for (int r = 0; r < 4; r++) Assert.Equal(hA[r / 2, r % 2], h[r, c], 12);
            for (int r = 0; r < 4; r++) Assert.Equal(hB[r / 2, r % 2], h[4 + r, c], 12);
            for (int r = 0; r < 8; r++) Assert.Equal(h[r, c], h[c, r], 9);
        }
    }

    [Fact]
    public void ProductNormHessianVectorAgainstDifferencesOfTheGradient()
    {
        var random = new Random(9);
        var a = new double[2, 2];
        var b = new double[2, 2];
        var va = new double[2, 2];
        var vb = new double[2, 2];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                a[i, j] = random.NextDouble() - 0.5;
                b[i, j] = random.NextDouble() - 0.5;
                va[i, j] = random.NextDouble() - 0.5;
                vb[i, j] = random.NextDouble() - 0.5;
            }
        }
        var (hA, hB) = Matrices.ProductNormHessianVector(a, b, va, vb);
        const double h = 1e-5;
        double[,] Shift(double[,] m, double[,] v, double s)
        {
            var r = (double[,])m.Clone();
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) r[i, j] += s * v[i, j];
            return r;
        }
        var plus = Matrices.ProductNormGradient(Shift(a, va, h), Shift(b, vb, h));
        var minus = Matrices.ProductNormGradient(Shift(a, va, -h), Shift(b, vb, -h));
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal((plus.dA[i, j] - minus.dA[i, j]) / (2 * h), hA[i, j], 6);
                Assert.Equal((plus.dB[i, j] - minus.dB[i, j]) / (2 * h), hB[i, j], 6);
            }
        }
    }
}
