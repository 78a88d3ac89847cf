using System;

namespace AutoDiff.Tests.Functions;

/// <summary>
/// Instance methods of a class: the object is a constant (its fields and properties are read, not differentiated),
/// and the derivatives are instance methods of it.
/// </summary>
public sealed partial class Oscillator
{
    private readonly double frequency;
    private readonly int harmonics;

    public Oscillator(double frequency, int harmonics, double damping)
    {
        this.frequency = frequency;
        this.harmonics = harmonics;
        Damping = damping;
    }

    /// <summary>A property read as a constant.</summary>
    public double Damping { get; }

    [Differentiable]
    public double Signal(double t, double amplitude)
    {
        double sum = 0;
        for (int k = 1; k <= harmonics; k++) sum += Math.Sin(k * frequency * t) / k;
        return amplitude * Math.Exp(-Damping * t) * sum;
    }

    /// <summary>Calls another instance method of the same object, and a static one.</summary>
    [Differentiable]
    public double Energy(double t, double amplitude) => 0.5 * Square(Signal(t, amplitude)) + this.frequency * Calls.Square(amplitude);

    [Differentiable]
    private static double Square(double v) => v * v;
}
