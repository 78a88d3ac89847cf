using System;
using AutoDiff.Optimization;

namespace AutoDiff.Runtime.Tests.Optimization;

/// <summary>Objectives with known minimisers for the optimiser tests.</summary>
internal static class TestProblems
{
    /// <summary>f(x, y) = 100 (y − x²)² + (1 − x)²; minimum 0 at (1, 1).</summary>
    public static double Rosenbrock(ReadOnlySpan<double> x, Span<double> g)
    {
        double a = x[1] - x[0] * x[0], b = 1 - x[0];
        g[0] = -400 * x[0] * a - 2 * b;
        g[1] = 200 * a;
        return 100 * a * a + b * b;
    }

    /// <summary>The exact Hessian of <see cref="Rosenbrock"/> times v.</summary>
    public static void RosenbrockHv(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> hv)
    {
        double h00 = 1200 * x[0] * x[0] - 400 * x[1] + 2, h01 = -400 * x[0], h11 = 200;
        hv[0] = h00 * v[0] + h01 * v[1];
        hv[1] = h01 * v[0] + h11 * v[1];
    }

    /// <summary>
    /// f(x) = ½ xᵀA x − bᵀx with A symmetric positive definite (tridiagonal: 4 + i on the diagonal, 1 beside it)
    /// and b = A·x*, so the minimiser is x*: x*ᵢ = (−1)ⁱ (i + 1) / n.
    /// </summary>
    public sealed class Quadratic
    {
        private readonly double[] _b;

        private readonly double _offset;

        /// <summary>The quadratic of size <paramref name="n"/>, plus a constant <paramref name="offset"/>.</summary>
        public Quadratic(int n, double offset = 0)
        {
            _offset = offset;
            N = n;
            Minimizer = new double[n];
            for (int i = 0; i < n; i++)
                Minimizer[i] = (i % 2 == 0 ? 1 : -1) * (i + 1.0) / n;
            _b = new double[n];
            Multiply(Minimizer, _b);
        }

        public int N { get; }

        public double[] Minimizer { get; }

        public void Multiply(ReadOnlySpan<double> v, Span<double> av)
        {
            for (int i = 0; i < N; i++)
            {
                double s = (4 + i) * v[i];
                if (i > 0) s += v[i - 1];
                if (i < N - 1) s += v[i + 1];
                av[i] = s;
            }
        }

        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            Multiply(x, g);
            double f = _offset;
            for (int i = 0; i < N; i++)
            {
                f += 0.5 * x[i] * g[i] - _b[i] * x[i];
                g[i] -= _b[i];
            }
            return f;
        }

        public void Hv(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> hv) => Multiply(v, hv);
    }

    /// <summary>
    /// The ill-conditioned separable quadratic f(x) = ½ Σ λᵢ (xᵢ − cᵢ)² with λ = (1, 10, 100) (condition number 100)
    /// and c = (1, −2, 3): the gradient λᵢ (xᵢ − cᵢ).
    /// </summary>
    public static class IllConditioned
    {
        public static readonly double[] Curvatures = { 1, 10, 100 };
        public static readonly double[] Minimizer = { 1, -2, 3 };

        public static double[] Start() => new double[] { -3, 4, -1 };

        public static void Gradient(ReadOnlySpan<double> x, Span<double> g)
        {
            for (int i = 0; i < x.Length; i++)
                g[i] = Curvatures[i] * (x[i] - Minimizer[i]);
        }

        public static double MaxError(ReadOnlySpan<double> x)
        {
            double e = 0;
            for (int i = 0; i < x.Length; i++)
                e = Math.Max(e, Math.Abs(x[i] - Minimizer[i]));
            return e;
        }
    }

    /// <summary>
    /// L2-regularised logistic regression, LIBLINEAR's primal: f(w) = ½‖w‖² + C Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)), on a
    /// small seeded data set that is not separable.
    /// </summary>
    public sealed class LogisticRegression
    {
        private readonly double[,] _x;
        private readonly double[] _y;
        private readonly double _c;
        private readonly double[] _z;
        private readonly double[] _d;

        public LogisticRegression(int samples, int features, double c, int seed)
        {
            var random = new Random(seed);
            _x = new double[samples, features];
            _y = new double[samples];
            _c = c;
            _z = new double[samples];
            _d = new double[samples];
            for (int i = 0; i < samples; i++)
            {
                double score = 0;
                for (int j = 0; j < features; j++)
                {
                    _x[i, j] = 2 * random.NextDouble() - 1;
                    score += (j + 1) * _x[i, j] * (j % 2 == 0 ? 1 : -1);
                }
                // Labels follow the score, with 15% flipped so the data are not separable.
                _y[i] = (score > 0) == (random.NextDouble() > 0.15) ? 1 : -1;
            }
            Features = features;
        }

        public int Features { get; }

        public double ValueAndGradient(ReadOnlySpan<double> w, Span<double> g)
        {
            int m = _y.Length, n = Features;
            double f = 0;
            for (int j = 0; j < n; j++)
            {
                f += 0.5 * w[j] * w[j];
                g[j] = w[j];
            }
            for (int i = 0; i < m; i++)
            {
                double z = 0;
                for (int j = 0; j < n; j++)
                    z += w[j] * _x[i, j];
                double yz = _y[i] * z;
                // log(1 + exp(−yz)) without overflow; σ(yz) for the gradient.
                f += _c * (yz >= 0 ? Math.Log(1 + Math.Exp(-yz)) : -yz + Math.Log(1 + Math.Exp(yz)));
                double sigma = 1 / (1 + Math.Exp(-yz));
                _z[i] = sigma;
                double coefficient = _c * (sigma - 1) * _y[i];
                for (int j = 0; j < n; j++)
                    g[j] += coefficient * _x[i, j];
            }
            return f;
        }

        /// <summary>H·v = v + C Xᵀ D X v with D = σ(1 − σ) computed at w.</summary>
        public void Hv(ReadOnlySpan<double> w, ReadOnlySpan<double> v, Span<double> hv)
        {
            int m = _y.Length, n = Features;
            for (int i = 0; i < m; i++)
            {
                double z = 0;
                for (int j = 0; j < n; j++)
                    z += w[j] * _x[i, j];
                double sigma = 1 / (1 + Math.Exp(-_y[i] * z));
                _d[i] = sigma * (1 - sigma);
            }
            for (int j = 0; j < n; j++)
                hv[j] = v[j];
            for (int i = 0; i < m; i++)
            {
                double xv = 0;
                for (int j = 0; j < n; j++)
                    xv += _x[i, j] * v[j];
                double coefficient = _c * _d[i] * xv;
                for (int j = 0; j < n; j++)
                    hv[j] += coefficient * _x[i, j];
            }
        }
    }
}
