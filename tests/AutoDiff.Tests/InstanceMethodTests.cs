using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Instance methods of a class: gradients against central differences, and across modes.</summary>
public class InstanceMethodTests
{
    private static readonly Oscillator Subject = new(frequency: 2.5, harmonics: 4, damping: 0.3);

    /// <summary>The static helper of the class goes through the usual mode check.</summary>
    public static readonly ModeCases Cases = new()
    {
        { typeof(Oscillator), "Square", Domain.Box(-3, 3, 1) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    /// <summary>The instance methods, which the mode tables (static methods only) cannot call: checked by this class.</summary>
    public static readonly string[] CheckedInstanceMethods = { nameof(Oscillator.Signal), nameof(Oscillator.Energy) };

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);

    public static TheoryData<double, double> Points => new() { { 0.1, 1.5 }, { 0.7, -0.8 }, { 1.9, 2.2 } };

    private static double Central(Func<double, double> f, double x, double h = 1e-6) => (f(x + h) - f(x - h)) / (2 * h);

    [Theory, MemberData(nameof(Points))]
    public void SignalGradient(double t, double amplitude)
    {
        var g = Subject.SignalGradient(t, amplitude);
        Assert.Equal(Subject.Signal(t, amplitude), g.Value, 12);
        Assert.Equal(Central(x => Subject.Signal(x, amplitude), t), g.dT, 6);
        Assert.Equal(Central(a => Subject.Signal(t, a), amplitude), g.dAmplitude, 6);
    }

    [Theory, MemberData(nameof(Points))]
    public void EnergyAcrossModes(double t, double amplitude)
    {
        var g = Subject.EnergyGradient(t, amplitude);
        Assert.Equal(Central(x => Subject.Energy(x, amplitude), t), g.dT, 5);
        Assert.Equal(Central(a => Subject.Energy(t, a), amplitude), g.dAmplitude, 5);

        // Forward mode along (0.3, -1.1) agrees with the gradient.
        var tangent = Subject.EnergyTangent(t, amplitude, 0.3, -1.1);
        Assert.Equal(0.3 * g.dT - 1.1 * g.dAmplitude, tangent.Tangent, 9);

        // H·v against differences of the gradient along v.
        var hv = Subject.EnergyHessianVector(t, amplitude, 0.3, -1.1);
        const double h = 1e-5;
        var plus = Subject.EnergyGradient(t + 0.3 * h, amplitude - 1.1 * h);
        var minus = Subject.EnergyGradient(t - 0.3 * h, amplitude + 1.1 * h);
        Assert.Equal((plus.dT - minus.dT) / (2 * h), hv.dT, 4);
        Assert.Equal((plus.dAmplitude - minus.dAmplitude) / (2 * h), hv.dAmplitude, 4);
    }

    [Fact]
    public void TheObjectIsAConstant()
    {
        // Two objects, two functions: the derivatives read each object's own fields.
        var other = new Oscillator(frequency: 1.0, harmonics: 1, damping: 0.0);
        var g = other.SignalGradient(0.4, 2.0);
        Assert.Equal(2.0 * Math.Cos(0.4), g.dT, 12);
        Assert.Equal(Math.Sin(0.4), g.dAmplitude, 12);
        Assert.NotEqual(g.dT, Subject.SignalGradient(0.4, 2.0).dT);
    }
}
