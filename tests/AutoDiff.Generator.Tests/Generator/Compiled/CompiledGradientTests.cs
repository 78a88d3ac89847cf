using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// Declarations the generator once skipped or refused without cause, compiled through the generator and loaded: the
/// generated gradients are checked against central differences of the original methods.
/// </summary>
public class CompiledGradientTests
{
    /// <summary>The gradient of <paramref name="name"/> of type <c>T</c> at <paramref name="point"/>, against central differences.</summary>
    private static void GradientMatchesDifferences(Assembly assembly, string name, params double[] point)
    {
        var type = assembly.GetType("T")!;
        // FGradient returns (value, one derivative per parameter).
        var gradient = GeneratorHarness.InvokeWithDoubles<ITuple>(type, name + "Gradient", point);
        Assert.Equal(point.Length + 1, gradient.Length);
        Assert.Equal(GeneratorHarness.InvokeWithDoubles<double>(type, name, point), (double)gradient[0]!, 12);
        for (int i = 0; i < point.Length; i++)
        {
            Assert.Equal(CentralDifference(x => GeneratorHarness.InvokeWithDoubles<double>(type, name, x), point, i), (double)gradient[i + 1]!, 6);
        }
    }

    /// <summary>∂f/∂xᵢ at <paramref name="point"/> by a central difference of step 1e-6.</summary>
    private static double CentralDifference(Func<double[], double> f, double[] point, int i)
    {
        const double h = 1e-6;
        var up = (double[])point.Clone();
        var down = (double[])point.Clone();
        up[i] += h;
        down[i] -= h;
        return (f(up) - f(down)) / (2 * h);
    }

    [Fact]
    public void ImplementingPartOfAPartialMethod()
    {
        // [Differentiable] on the implementing part, in a declaration of its own, with its own parameter names; a caller
        // binds to the defining part and calls the generated derivatives all the same.
        var (assembly, files) = GeneratorHarness.CompileThroughGeneratorAndLoad("""
            using System;
            using AutoDiff;
            public static partial class T
            {
                public static partial double F(double x, double y);

                [Differentiable]
                public static double Caller(double x, double y) => 2 * F(x * y, y) + x;
            }
            public static partial class T
            {
                [Differentiable]
                public static partial double F(double a, double b)
                {
                    double s = 0;
                    for (int i = 1; i <= 3; i++) s += Math.Sin(a * i) * b;
                    return s;
                }
            }
            """, "PartialMethods", collectible: true);
        Assert.Equal(2, files);
        GradientMatchesDifferences(assembly, "F", 0.7, -1.3);
        GradientMatchesDifferences(assembly, "Caller", 0.4, 1.1);
    }

    [Fact]
    public void StaticMethodsOfGenericTypes()
    {
        // Called through constructed types, from outside the generic type and from inside it (through GBox<T>).
        var (assembly, files) = GeneratorHarness.CompileThroughGeneratorAndLoad("""
            using System;
            using AutoDiff;
            public partial class GBox<TItem>
            {
                [Differentiable]
                public static double G(double x, double y)
                {
                    double s = 0;
                    for (int i = 1; i <= 3; i++) s += Math.Sin(x * i) * y;
                    return s * y;
                }

                [Differentiable]
                public static double Twice(double x) => 2 * G(x, x + 1);
            }
            public static partial class T
            {
                [Differentiable]
                public static double F(double x, double y) => GBox<int>.G(x * y, y) + GBox<string>.Twice(x) * y;
            }
            """, "GenericTypes", collectible: true);
        Assert.Equal(3, files);
        GradientMatchesDifferences(assembly, "F", 0.7, -1.3);
        GradientMatchesDifferences(assembly, "F", -0.2, 0.9);
    }

    [Fact]
    public void ParamsArrayParameter()
    {
        // The derivatives take the array itself; a caller passes an array local.
        var (assembly, files) = GeneratorHarness.CompileThroughGeneratorAndLoad("""
            using System;
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double Sum(params double[] xs)
                {
                    double s = 0;
                    foreach (var v in xs) s += v * Math.Sin(v);
                    return s * xs[0];
                }

                [Differentiable]
                public static double Pair(double a, double b)
                {
                    var xs = new double[2];
                    xs[0] = a * b;
                    xs[1] = b;
                    return Sum(xs);
                }
            }
            """, "ParamsArrays", collectible: true);
        Assert.Equal(2, files);
        GradientMatchesDifferences(assembly, "Pair", 0.8, -0.6);

        // Sum's own gradient, through its array.
        var type = assembly.GetType("T")!;
        var point = new[] { 0.3, -1.2, 2.0 };
        double Sum(double[] xs) => (double)type.GetMethod("Sum")!.Invoke(null, new object[] { xs })!;
        var gradient = (ITuple)type.GetMethod("SumGradient")!.Invoke(null, new object[] { point })!;
        Assert.Equal(Sum(point), (double)gradient[0]!, 12);
        var derivatives = (double[])gradient[1]!;
        for (int i = 0; i < point.Length; i++) Assert.Equal(CentralDifference(Sum, point, i), derivatives[i], 6);
    }

    /// <summary>Tuples are values inside a method (ADIFF002 lists what is refused): each body's gradient is checked.</summary>
    [Theory]
    [InlineData("var (a, b) = (x * y, x + y); return a * b;")]
    [InlineData("var t = (x * y, x + y); return t.Item1 * t.Item2;")]
    [InlineData("(double p, double q) t = (x * y, x + y); return t.p * t.q;")]
    [InlineData("(double, double) t = (1, x); return t.Item1 * t.Item2 * y;")]
    [InlineData("var t = (x, 2); return t.Item1 * t.Item2 * y;")]
    [InlineData("var t = ((x, y), x); return t.Item1.Item1 * t.Item1.Item2 + t.Item2;")]
    [InlineData("var t = (x, y); var u = t; var (a, _) = u; return a * t.y;")]
    [InlineData("var t = (x, y); if (x > y) t = (y, x); return t.Item1 * t.Item2 * t.Item2;")]
    [InlineData("double a = x, b = y; (a, b) = (b * a, a); return a * b;")]
    [InlineData("var t = (x, y); var u = (y, x); (t, u) = (u, t); return t.Item1 * u.Item2 * t.Item1;")]
    [InlineData("var t = (x, y); t.y = 3 * x; t.Item1 *= y; return t.Item1 * t.Item2;")]
    [InlineData("var t = ((x, y), x); t.Item1.Item2 += x; t.Item1 = (t.Item1.Item2, y); return t.Item1.Item1 * t.Item1.Item2 + t.Item2;")]
    [InlineData("var (a, b) = Pair(x); return a * b * y;")]
    public void TupleValues(string body)
    {
        var (assembly, _) = GeneratorHarness.CompileThroughGeneratorAndLoad($$"""
            using System;
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    {{body}}
                }

                // Inlined: a single-expression helper that returns a tuple.
                private static (double, double) Pair(double v) => (v, Math.Sin(v));
            }
            """, "Tuples", collectible: true);
        GradientMatchesDifferences(assembly, "F", 0.7, -1.3);
        GradientMatchesDifferences(assembly, "F", -0.4, 0.9);
    }
}
