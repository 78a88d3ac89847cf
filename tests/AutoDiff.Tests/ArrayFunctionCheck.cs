using System;
using System.Linq;

namespace AutoDiff.Tests;

/// <summary>The checks of a function of one array that the array-code tests share.</summary>
public static class ArrayFunctionCheck
{
    /// <summary>Coordinate names for messages: <c>x0 x1 … x(n−1)</c>.</summary>
    public static string Names(string prefix, int n) => string.Join(" ", Enumerable.Range(0, n).Select(i => $"{prefix}{i}"));

    /// <summary>
    /// The gradient and pullback against central differences (<see cref="GradientCheck"/>), and FTangent, FHessianVector
    /// and FHessian against the gradient and each other (<see cref="ModeCheck"/>), of a function of one array of
    /// <paramref name="n"/> numbers.
    /// </summary>
    public static void CheckArrayFunction(string name, int n, Func<double[], double> f,
        Func<double[], (double Value, double[] Gradient)> gradient, DoubleBackward backward,
        Func<double[], double[], (double, double)> tangent, Func<double[], double[], double[]> hessianVector,
        Func<double[], double[,]> hessian, Func<Random, double[]> domain)
    {
        GradientCheck.Double(name, Names("x", n), f, gradient, backward, domain);
        ModeCheck.Run(name, Names("x", n), new ModeFunctions(f, x => gradient(x).Gradient, tangent, hessianVector, hessian), domain);
    }
}
