// Vector-valued methods: FJacobian against finite differences, and FTangent (J·v) and FBackward (uᵀJ) against it.
using System;
using System.Linq;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

public class VectorFunctionTests
{
    /// <summary>The outputs of a function of the flattened inputs, and the generated Jacobian.</summary>
    private delegate double[] Outputs(double[] inputs);

    private static void CheckJacobian(string name, Outputs f, Func<double[], double[,]> jacobian, double[] x)
    {
        var j = jacobian(x);
        int m = f(x).Length;
        Assert.Equal(m, j.GetLength(0));
        Assert.Equal(x.Length, j.GetLength(1));
        for (int c = 0; c < x.Length; c++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(x[c]));
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[c] += h;
            minus[c] -= h;
            var fp = f(plus);
            var fm = f(minus);
            for (int r = 0; r < m; r++)
            {
                double fd = (fp[r] - fm[r]) / (2 * h);
                Assert.True(Math.Abs(j[r, c] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)),
                    $"{name}Jacobian[{r}, {c}] at ({string.Join(", ", x)}) is {j[r, c]:R}; central difference {fd:R}");
            }
        }
    }

    [Fact]
    public void TutorialJacobianOfTheSquare()
    {
        var jacobian = VectorFunctions.SquareJacobian(new[] { 4.0, 4.0 }, new double[2]);
        Assert.Equal(new[,] { { 8.0, 0.0 }, { 0.0, 8.0 } }, jacobian);
    }

    [Fact]
    public void Square() => CheckAtRandomPoints("Square", 3, x =>
    {
        var y = new double[3];
        VectorFunctions.Square(x, y);
        return y;
    }, x => VectorFunctions.SquareJacobian(x, new double[3]));

    [Fact]
    public void Polar() => CheckAtRandomPoints("Polar", 2, x =>
    {
        var xy = new double[2];
        VectorFunctions.Polar(x[0], x[1], xy);
        return xy;
    }, x => VectorFunctions.PolarJacobian(x[0], x[1], new double[2]));

    [Fact]
    public void Harmonics() => CheckAtRandomPoints("Harmonics", 1, x =>
    {
        var y = new double[6];
        VectorFunctions.Harmonics(x[0], y);
        return y;
    }, x => VectorFunctions.HarmonicsJacobian(x[0], new double[6]));

    [Fact]
    public void Softmax() => CheckAtRandomPoints("Softmax", 4, x =>
    {
        var p = new double[4];
        VectorFunctions.Softmax(x, p);
        return p;
    }, x => VectorFunctions.SoftmaxJacobian(x, new double[4]));

    [Fact]
    public void Cumulative() => CheckAtRandomPoints("Cumulative", 5, x =>
    {
        var y = new double[4];
        VectorFunctions.Cumulative(x[..4], x[4], y);
        return y;
    }, x => VectorFunctions.CumulativeJacobian(x[..4], x[4], new double[4]));

    private static void CheckAtRandomPoints(string name, int n, Outputs f, Func<double[], double[,]> jacobian)
    {
        var random = new Random(11);
        for (int k = 0; k < 30; k++)
        {
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            if (name == "Softmax" && x.OrderByDescending(v => v).Take(2).Aggregate((a, b) => a - b) < 0.01) continue;
            CheckJacobian(name, f, jacobian, x);
        }
    }

    [Fact]
    public void ReturnedArray() => CheckAtRandomPoints("Normalize", 4, x => VectorFunctions.Normalize(x[..3], x[3]),
        x => VectorFunctions.NormalizeJacobian(x[..3], x[3]));

    [Fact]
    public void ReturnedArrayPullbackAndTangent()
    {
        var x = new[] { 3.0, 0.0, 4.0 };
        var dX = new double[3];
        double dScale = 0;
        var value = VectorFunctions.NormalizeBackward(x, 2.0, new[] { 1.0, 0.0, 0.0 }, dX, ref dScale);
        Assert.Equal(new[] { 1.2, 0.0, 1.6 }, value);
        // ∂y0/∂x = scale·(e0/n − x0·x/n³): [2·(1/5 − 9/125), 0, 2·(−12/125)]
        Assert.Equal(2 * (1 / 5.0 - 9 / 125.0), dX[0], 12);
        Assert.Equal(0.0, dX[1], 12);
        Assert.Equal(2 * (-12 / 125.0), dX[2], 12);
        Assert.Equal(0.6, dScale, 12);
        var (tangentValue, tangent) = VectorFunctions.NormalizeTangent(x, 2.0, new[] { 0.0, 0.0, 0.0 }, 1.0);
        Assert.Equal(value, tangentValue);
        Assert.Equal(new[] { 0.6, 0.0, 0.8 }, tangent);
    }

    [Fact]
    public void TangentIsTheJacobianTimesTheDirection()
    {
        var random = new Random(5);
        for (int k = 0; k < 20; k++)
        {
            var z = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var v = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var p = new double[4];
            var pTangent = new double[4];
            VectorFunctions.SoftmaxTangent(z, p, v, pTangent);
            var j = VectorFunctions.SoftmaxJacobian(z, new double[4]);
            for (int r = 0; r < 4; r++)
            {
                double jv = Enumerable.Range(0, 4).Sum(c => j[r, c] * v[c]);
                Assert.Equal(jv, pTangent[r], 12);
            }
            var expected = new double[4];
            VectorFunctions.Softmax(z, expected);
            Assert.Equal(expected, p);
        }
    }

    [Fact]
    public void PullbackRowsMatchTheForwardModeJacobian()
    {
        // Harmonics has one input and six outputs, so its Jacobian comes from forward mode.
        var jacobian = VectorFunctions.HarmonicsJacobian(0.7, new double[6]);
        for (int r = 0; r < 6; r++)
        {
            var seed = new double[6];
            seed[r] = 1;
            double dT = 0;
            VectorFunctions.HarmonicsBackward(0.7, new double[6], seed, ref dT);
            Assert.Equal(jacobian[r, 0], dT, 12);
            Assert.Equal(Math.Cos(0.7 * (r + 1)), dT, 12);
        }
    }

    [Fact]
    public void PullbackIsTheSeedTimesTheJacobianAndKeepsTheOutputs()
    {
        var random = new Random(6);
        for (int k = 0; k < 20; k++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            double scale = random.NextDouble() * 2 - 1;
            var u = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var y = new double[4];
            var dX = new double[4];
            double dScale = 0;
            VectorFunctions.CumulativeBackward(x, scale, y, u, dX, ref dScale);
            var j = VectorFunctions.CumulativeJacobian(x, scale, new double[4]);
            for (int c = 0; c < 4; c++) Assert.Equal(Enumerable.Range(0, 4).Sum(r => u[r] * j[r, c]), dX[c], 12);
            Assert.Equal(Enumerable.Range(0, 4).Sum(r => u[r] * j[r, 4]), dScale, 12);
            var expected = new double[4];
            VectorFunctions.Cumulative(x, scale, expected);
            Assert.Equal(expected, y);
        }
    }
}
