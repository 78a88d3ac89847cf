using System;

namespace AutoDiff.Tests.FileScoped;

/// <summary>A [Differentiable] method in a file-scoped namespace.</summary>
public static partial class FileScopedFunctions
{
    [Differentiable] public static double Hypot(double x, double y) => Math.Sqrt(x * x + y * y);
}

public static partial class Neuron
{
    /// <summary>σ(a·x + b·y + c), the tutorial's single neuron.</summary>
    [Differentiable]
    public static double Forward(double a, double b, double c, double x, double y) => Sigmoid(a * x + b * y + c);

    [Differentiable]
    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    /// <summary>The tutorial's simplest circuit: (x + y) · z.</summary>
    [Differentiable]
    public static double AddMultiply(double x, double y, double z) => (x + y) * z;
}
