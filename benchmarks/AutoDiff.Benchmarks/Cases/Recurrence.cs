using System.Buffers;
using AutoDiff;

namespace AutoDiff.Benchmarks.Cases;

/// <summary>
/// A long recurrence whose every step overwrites its state and takes a branch that depends on the state and the data:
/// the tape's worst case (each step pushes the old state and the branch taken; nothing can be recomputed cheaply by
/// the generator).
/// </summary>
public static partial class Recurrence
{
    [Differentiable]
    public static double Value(double[] p, [NoDerivative] double[] data, int steps)
    {
        double x = p[0];
        double y = p[1];
        for (int t = 0; t < steps; t++)
        {
            double u = data[t];
            if (x > u)
            {
                x = Math.Sin(p[2] * x + y);
            }
            else
            {
                x = p[3] * Math.Tanh(x) - 0.5 * Math.Tanh(y - u);
            }
            y = 0.9 * y + 0.1 * Math.Cos(x * u);
        }
        return x * x + y;
    }

    /// <summary>
    /// Hand-written reverse mode: keeps the states (pooled arrays, 2·(steps + 1) doubles), recomputes the branch from them,
    /// and sweeps back. Writes (does not accumulate) the four derivatives into <paramref name="gradient"/>.
    /// </summary>
    public static double HandGradient(double[] p, double[] data, int steps, Span<double> gradient)
    {
        var pool = ArrayPool<double>.Shared;
        double[] xs = pool.Rent(steps + 1), ys = pool.Rent(steps + 1);
        double x = p[0], y = p[1], p2 = p[2], p3 = p[3];
        xs[0] = x;
        ys[0] = y;
        for (int t = 0; t < steps; t++)
        {
            double u = data[t];
            x = x > u ? Math.Sin(p2 * x + y) : p3 * Math.Tanh(x) - 0.5 * Math.Tanh(y - u);
            y = 0.9 * y + 0.1 * Math.Cos(x * u);
            xs[t + 1] = x;
            ys[t + 1] = y;
        }
        double value = x * x + y;

        double dx = 2 * x, dy = 1, dP2 = 0, dP3 = 0;
        for (int t = steps - 1; t >= 0; t--)
        {
            double u = data[t], xOld = xs[t], yOld = ys[t], xNew = xs[t + 1];
            // y' = 0.9 y + 0.1 cos(x' u)
            dx -= 0.1 * dy * Math.Sin(xNew * u) * u;
            double dyOld = 0.9 * dy;
            if (xOld > u)
            {
                double g = dx * Math.Cos(p2 * xOld + yOld);
                dP2 += g * xOld;
                dyOld += g;
                dx = g * p2;
            }
            else
            {
                double th = Math.Tanh(xOld), ty = Math.Tanh(yOld - u);
                dP3 += dx * th;
                dyOld -= 0.5 * dx * (1 - ty * ty);
                dx = dx * p3 * (1 - th * th);
            }
            dy = dyOld;
        }
        gradient[0] = dx;
        gradient[1] = dy;
        gradient[2] = dP2;
        gradient[3] = dP3;
        pool.Return(xs);
        pool.Return(ys);
        return value;
    }

    public static (double[] P, double[] Data) Create(int steps, int seed = 11)
    {
        var random = new Random(seed);
        var data = new double[steps];
        for (int i = 0; i < steps; i++) data[i] = 2 * random.NextDouble() - 1;
        return (new[] { 0.3, -0.2, 1.1, 0.8 }, data);
    }
}
