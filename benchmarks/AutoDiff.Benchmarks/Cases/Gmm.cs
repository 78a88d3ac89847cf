using System.Buffers;
using AutoDiff;

namespace AutoDiff.Benchmarks.Cases;

/// <summary>
/// The Gaussian mixture model objective of ADBench (Srajer, Kukelova and Fitzgibbon, "A benchmark of selected algorithmic
/// differentiation tools on some problems in computer vision and machine learning", 2018), in its form: the log-sum-exp
/// likelihood terms of n points in d dimensions under K Gaussians whose inverse covariances are given by Cholesky-like
/// factors Q = diag(exp(q)) + L (L strictly lower triangular), the weights' log-sum-exp, and a Wishart prior on the Qs.
/// Parameters: alphas (K), means (K·d), icf (K blocks of d log-diagonal entries then d(d−1)/2 lower-triangle entries,
/// column by column).
/// </summary>
public static partial class Gmm
{
    /// <summary>The objective, written as plain [Differentiable] C#: loops, Math.Exp and Math.Log, local arrays at the top.</summary>
    [Differentiable]
    public static double Objective(double[] alphas, double[] means, double[] icf, [NoDerivative] double[] x, int n, int d, int k,
        [NoDerivative] double wishartGamma, int wishartM, [NoDerivative] double constant)
    {
        double[] qDiagonals = new double[k * d];
        double[] sumQs = new double[k];
        double[] xCentered = new double[d];
        double[] qxCentered = new double[d];
        double[] mainTerm = new double[k];
        int icfSize = d * (d + 1) / 2;

        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                sum += icf[c * icfSize + j];
                qDiagonals[c * d + j] = Math.Exp(icf[c * icfSize + j]);
            }
            sumQs[c] = sum;
        }

        double sumLogSumExp = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    xCentered[j] = x[i * d + j] - means[c * d + j];
                }
                for (int j = 0; j < d; j++)
                {
                    qxCentered[j] = qDiagonals[c * d + j] * xCentered[j];
                }
                int index = c * icfSize + d;
                for (int column = 0; column < d; column++)
                {
                    for (int row = column + 1; row < d; row++)
                    {
                        qxCentered[row] += icf[index] * xCentered[column];
                        index++;
                    }
                }
                double squaredNorm = 0;
                for (int j = 0; j < d; j++)
                {
                    squaredNorm += qxCentered[j] * qxCentered[j];
                }
                mainTerm[c] = alphas[c] + sumQs[c] - 0.5 * squaredNorm;
            }
            double largest = mainTerm[0];
            for (int c = 1; c < k; c++)
            {
                if (mainTerm[c] > largest) largest = mainTerm[c];
            }
            double sumExp = 0;
            for (int c = 0; c < k; c++)
            {
                sumExp += Math.Exp(mainTerm[c] - largest);
            }
            sumLogSumExp += largest + Math.Log(sumExp);
        }

        double largestAlpha = alphas[0];
        for (int c = 1; c < k; c++)
        {
            if (alphas[c] > largestAlpha) largestAlpha = alphas[c];
        }
        double sumExpAlphas = 0;
        for (int c = 0; c < k; c++)
        {
            sumExpAlphas += Math.Exp(alphas[c] - largestAlpha);
        }
        double logSumExpAlphas = largestAlpha + Math.Log(sumExpAlphas);

        double prior = 0;
        for (int c = 0; c < k; c++)
        {
            double frobenius = 0;
            for (int j = 0; j < d; j++)
            {
                frobenius += qDiagonals[c * d + j] * qDiagonals[c * d + j];
            }
            for (int j = d; j < icfSize; j++)
            {
                frobenius += icf[c * icfSize + j] * icf[c * icfSize + j];
            }
            prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[c];
        }
        return constant + sumLogSumExp - n * logSumExpAlphas + prior;
    }

    /// <summary>
    /// Hand-written gradient: the objective's value; writes (does not accumulate) ∂/∂alphas, ∂/∂means and ∂/∂icf.
    /// Per point, each component's centred point and Q·(x − μ) are kept (K·d values, pooled), the softmax weights
    /// of the log-sum-exp formed once, and the adjoints of means, diagonals and triangle accumulated in one pass.
    /// </summary>
    public static double HandGradient(double[] alphas, double[] means, double[] icf, double[] x, int n, int d, int k,
        double wishartGamma, int wishartM, double constant, Span<double> dAlphas, Span<double> dMeans, Span<double> dIcf)
    {
        int icfSize = d * (d + 1) / 2;
        var pool = ArrayPool<double>.Shared;
        double[] qDiagonals = pool.Rent(k * d), sumQs = pool.Rent(k), xc = pool.Rent(k * d), qxc = pool.Rent(k * d), main = pool.Rent(k),
            weightSums = pool.Rent(k);
        dAlphas.Slice(0, k).Clear();
        dMeans.Slice(0, k * d).Clear();
        dIcf.Slice(0, k * icfSize).Clear();
        Array.Clear(weightSums, 0, k);
        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                sum += icf[c * icfSize + j];
                qDiagonals[c * d + j] = Math.Exp(icf[c * icfSize + j]);
            }
            sumQs[c] = sum;
        }

        double sumLogSumExp = 0;
        for (int i = 0; i < n; i++)
        {
            double largest = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                int o = c * d;
                for (int j = 0; j < d; j++)
                {
                    double v = x[i * d + j] - means[o + j];
                    xc[o + j] = v;
                    qxc[o + j] = qDiagonals[o + j] * v;
                }
                int index = c * icfSize + d;
                for (int column = 0; column < d; column++)
                {
                    double v = xc[o + column];
                    for (int row = column + 1; row < d; row++) qxc[o + row] += icf[index++] * v;
                }
                double squaredNorm = 0;
                for (int j = 0; j < d; j++) squaredNorm += qxc[o + j] * qxc[o + j];
                double m = alphas[c] + sumQs[c] - 0.5 * squaredNorm;
                main[c] = m;
                if (m > largest) largest = m;
            }
            double sumExp = 0;
            for (int c = 0; c < k; c++) sumExp += Math.Exp(main[c] - largest);
            double lse = largest + Math.Log(sumExp);
            sumLogSumExp += lse;

            // ∂lse/∂main[c] = w_c; ∂main/∂(Qxc) = −Qxc; through Q: the diagonal (exp q), the triangle, and x − μ.
            for (int c = 0; c < k; c++)
            {
                double w = Math.Exp(main[c] - lse);
                weightSums[c] += w;
                int o = c * d, block = c * icfSize;
                for (int j = 0; j < d; j++)
                {
                    double g = w * qxc[o + j];                         // −∂/∂Qxc_j, weighted
                    dIcf[block + j] -= g * qDiagonals[o + j] * xc[o + j];
                    dMeans[o + j] += g * qDiagonals[o + j];
                }
                int index = block + d;
                for (int column = 0; column < d; column++)
                {
                    double v = xc[o + column], back = 0;
                    for (int row = column + 1; row < d; row++)
                    {
                        double g = w * qxc[o + row];
                        dIcf[index] -= g * v;
                        back += g * icf[index];
                        index++;
                    }
                    dMeans[o + column] += back;
                }
            }
        }

        double largestAlpha = double.NegativeInfinity;
        for (int c = 0; c < k; c++) largestAlpha = Math.Max(largestAlpha, alphas[c]);
        double sumExpAlphas = 0;
        for (int c = 0; c < k; c++) sumExpAlphas += Math.Exp(alphas[c] - largestAlpha);
        double logSumExpAlphas = largestAlpha + Math.Log(sumExpAlphas);

        double prior = 0, gamma2 = wishartGamma * wishartGamma;
        for (int c = 0; c < k; c++)
        {
            dAlphas[c] = weightSums[c] - n * Math.Exp(alphas[c] - logSumExpAlphas);
            int block = c * icfSize;
            double frobenius = 0;
            for (int j = 0; j < d; j++)
            {
                double q = qDiagonals[c * d + j];
                frobenius += q * q;
                // From main (Σq), from the prior's ½γ²·exp(2q) and −m·q.
                dIcf[block + j] += weightSums[c] + gamma2 * q * q - wishartM;
            }
            for (int j = d; j < icfSize; j++)
            {
                double l = icf[block + j];
                frobenius += l * l;
                dIcf[block + j] += gamma2 * l;
            }
            prior += 0.5 * gamma2 * frobenius - wishartM * sumQs[c];
        }
        pool.Return(qDiagonals);
        pool.Return(sumQs);
        pool.Return(xc);
        pool.Return(qxc);
        pool.Return(main);
        pool.Return(weightSums);
        return constant + sumLogSumExp - n * logSumExpAlphas + prior;
    }

    /// <summary>A seeded problem in ADBench's shape: points, alphas and means uniform, icf small, γ = 1, m = 0.</summary>
    public sealed record Problem(int N, int D, int K, double[] Alphas, double[] Means, double[] Icf, double[] X, double WishartGamma, int WishartM, double Constant)
    {
        public int IcfSize => D * (D + 1) / 2;

        public static Problem Create(int n, int d, int k, int seed = 2018)
        {
            var random = new Random(seed);
            double Uniform(double low, double high) => low + (high - low) * random.NextDouble();
            var alphas = new double[k];
            var means = new double[k * d];
            var icf = new double[k * d * (d + 1) / 2];
            var x = new double[n * d];
            for (int i = 0; i < alphas.Length; i++) alphas[i] = Uniform(-1, 1);
            for (int i = 0; i < means.Length; i++) means[i] = Uniform(0, 1);
            for (int i = 0; i < icf.Length; i++) icf[i] = Uniform(-0.5, 0.5);
            for (int i = 0; i < x.Length; i++) x[i] = Uniform(0, 1);
            const double gamma = 1.0;
            const int m = 0;
            return new Problem(n, d, k, alphas, means, icf, x, gamma, m, ConstantTerms(n, d, k, gamma, m));
        }

        /// <summary>ADBench's constant terms: −n·d/2·log 2π and the Wishart prior's normaliser, −K·C.</summary>
        private static double ConstantTerms(int n, int d, int k, double gamma, int m)
        {
            int degrees = d + m + 1;
            double c = degrees * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - LogMultivariateGamma(0.5 * degrees, d);
            return -n * d * 0.5 * Math.Log(2 * Math.PI) - k * c;
        }

        private static double LogMultivariateGamma(double a, int p)
        {
            double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
            for (int j = 1; j <= p; j++) result += LogGamma(a + 0.5 * (1 - j));
            return result;
        }

        /// <summary>log Γ(z) for z &gt; 0 (Lanczos, g = 7, 9 terms; about 15 digits).</summary>
        private static double LogGamma(double z)
        {
            if (z < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * z))) - LogGamma(1 - z);
            ReadOnlySpan<double> g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
            z -= 1;
            double sum = g[0];
            for (int i = 1; i < 9; i++) sum += g[i] / (z + i);
            double t = z + 7.5;
            return 0.5 * Math.Log(2 * Math.PI) + (z + 0.5) * Math.Log(t) - t + Math.Log(sum);
        }

        public double Value() => Objective(Alphas, Means, Icf, X, N, D, K, WishartGamma, WishartM, Constant);
    }
}
