using System;
using AutoDiff;

namespace Samples.Neuron;

/// <summary>The single neuron of the tutorial: σ(a·x + b·y + c).</summary>
public static partial class SingleNeuron
{
    [Differentiable]
    public static double ForwardNeuron(double a, double b, double c, double x, double y)
        => Sigmoid(a * x + b * y + c);

    [Differentiable]
    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    /// <summary>The tutorial's simplest circuit: (x + y) · z.</summary>
    [Differentiable]
    public static double AddMultiply(double x, double y, double z) => (x + y) * z;
}
