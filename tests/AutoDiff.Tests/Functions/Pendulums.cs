using System;
using AutoDiff;

namespace AutoDiff.Tests.Functions;

// A program written as a user would, mixing this work's forms: a chain of damped pendulums whose parameters are packed
// in one array [lengths..., damping..., gravity] and passed to the right-hand side as slices, a midpoint integrator
// calling the span-writing right-hand side twice a step, and the order the pendulums are visited in kept in a bool[]
// that a scalar helper writes.
public static partial class Pendulums
{
    [Differentiable]
    public static void Rates(ReadOnlySpan<double> lengths, ReadOnlySpan<double> damping, double gravity,
        ReadOnlySpan<double> state, Span<double> rates)
    {
        int n = lengths.Length;
        for (int i = 0; i < n; i++)
        {
            double coupling = i > 0 ? 0.3 * (state[i - 1] - state[i]) : 0;
            rates[i] = state[n + i];
            rates[n + i] = -gravity / lengths[i] * Math.Sin(state[i]) - damping[i] * state[n + i] + coupling;
        }
    }

    [Differentiable]
    public static double PickNext(double[] state, bool[] visited)
    {
        int best = 0;
        while (visited[best]) best++;
        for (int i = best + 1; i < visited.Length; i++)
            if (!visited[i] && Math.Abs(state[i]) > Math.Abs(state[best])) best = i;
        visited[best] = true;
        return state[best];
    }

    [Differentiable]
    public static double Loss(double[] parameters, int n, int steps, [NoDerivative] double[] targets)
    {
        var state = new double[2 * n];
        for (int i = 0; i < n; i++) state[i] = 0.5;
        var k1 = new double[2 * n];
        var mid = new double[2 * n];
        var k2 = new double[2 * n];
        double h = 0.05;
        for (int s = 0; s < steps; s++)
        {
            Rates(parameters.AsSpan(0, n), parameters.AsSpan(n, n), parameters[2 * n], state, k1);
            for (int i = 0; i < 2 * n; i++) mid[i] = state[i] + h / 2 * k1[i];
            Rates(parameters.AsSpan(0, n), parameters.AsSpan(n, n), parameters[2 * n], mid, k2);
            for (int i = 0; i < 2 * n; i++) state[i] += h * k2[i];
        }
        var visited = new bool[n];
        double loss = 0;
        for (int k = 0; k < n; k++)
        {
            double angle = PickNext(state, visited);
            loss += (k + 1) * (angle - targets[k]) * (angle - targets[k]);
        }
        return loss;
    }
}
