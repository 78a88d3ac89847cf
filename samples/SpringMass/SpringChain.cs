using System.Numerics;
using AutoDiff;

namespace Samples.SpringMass;

/// <summary>
/// A chain of point masses hanging from the origin, joined by springs, under gravity and linear damping, written with
/// System.Numerics.Vector3. The forces are gradients of the springs' energy (<see cref="SpringEnergy"/>'s generated
/// <c>SpringEnergyGradient</c>). <see cref="TrajectoryMisfit"/> runs the whole simulation and compares it with an observed
/// trajectory; AutoDiff differentiates it with respect to the stiffness and the damping through every time step, and
/// through the force gradients inside it (nested differentiation).
/// </summary>
public static partial class SpringChain
{
    /// <summary>Rest length of every spring.</summary>
    public const float RestLength = 1f;

    /// <summary>Gravity.</summary>
    public static readonly Vector3 Gravity = new(0, -9.81f, 0);

    /// <summary>The energy of a spring of stiffness <paramref name="k"/> between <paramref name="x"/> and <paramref name="y"/>: ½·k·(|x − y| − rest)².</summary>
    [Differentiable]
    public static double SpringEnergy(Vector3 x, Vector3 y, double k)
    {
        double stretch = Vector3.Distance(x, y) - RestLength;
        return 0.5 * k * stretch * stretch;
    }

    /// <summary>
    /// The force on a mass at <paramref name="position"/>: gravity, −∂U/∂x of the spring to the mass <paramref name="above"/>
    /// (the anchor for the first) and of the spring to the mass <paramref name="below"/> when <paramref name="hasBelow"/>, and
    /// damping. The spring forces are the generated gradients of <see cref="SpringEnergy"/>. It returns a struct in one
    /// expression, so <see cref="TrajectoryMisfit"/>'s derivatives inline it, and <see cref="Simulate"/> calls it as it is.
    /// </summary>
    public static Vector3 Force(Vector3 position, Vector3 above, Vector3 below, bool hasBelow, Vector3 velocity, double stiffness, float damping)
        => Gravity - SpringEnergyGradient(position, above, stiffness).dX - damping * velocity
           - (hasBelow ? SpringEnergyGradient(below, position, stiffness).dY : Vector3.Zero);

    /// <summary>
    /// Simulates <paramref name="steps"/> steps of semi-implicit Euler from rest at <paramref name="start"/>, and returns
    /// ½·Σ |position − observed|² over every step and mass (<paramref name="observed"/> holds step t's masses at t·n ... t·n + n − 1).
    /// </summary>
    [Differentiable]
    public static double TrajectoryMisfit(double stiffness, double damping, [NoDerivative] Vector3[] start, [NoDerivative] Vector3[] observed,
        [NoDerivative] double dt, int steps)
    {
        int n = start.Length;
        var position = new Vector3[n];
        var velocity = new Vector3[n];
        var force = new Vector3[n];
        for (int i = 0; i < n; i++) position[i] = start[i];
        float c = (float)damping;
        float h = (float)dt;
        double misfit = 0;
        for (int t = 0; t < steps; t++)
        {
            // Forces from the positions at the start of the step.
            for (int i = 0; i < n; i++)
            {
                force[i] = Force(position[i], i == 0 ? Vector3.Zero : position[i - 1], i + 1 < n ? position[i + 1] : position[i], i + 1 < n,
                    velocity[i], stiffness, c);
            }
            for (int i = 0; i < n; i++)
            {
                velocity[i] += h * force[i];
                position[i] += h * velocity[i];
                var miss = position[i] - observed[t * n + i];
                misfit += Vector3.Dot(miss, miss);
            }
        }
        return 0.5 * misfit;
    }

    /// <summary>The same simulation, recording every step's positions: what the "observed" trajectory is made from.</summary>
    public static Vector3[] Simulate(double stiffness, double damping, Vector3[] start, double dt, int steps)
    {
        int n = start.Length;
        var position = (Vector3[])start.Clone();
        var velocity = new Vector3[n];
        var force = new Vector3[n];
        var trajectory = new Vector3[steps * n];
        float c = (float)damping, h = (float)dt;
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                force[i] = Force(position[i], i == 0 ? Vector3.Zero : position[i - 1], i + 1 < n ? position[i + 1] : position[i], i + 1 < n,
                    velocity[i], stiffness, c);
            }
            for (int i = 0; i < n; i++)
            {
                velocity[i] += h * force[i];
                position[i] += h * velocity[i];
                trajectory[t * n + i] = position[i];
            }
        }
        return trajectory;
    }
}
