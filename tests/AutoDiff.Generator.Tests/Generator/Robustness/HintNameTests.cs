using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Robustness;

/// <summary>
/// Generated file names (hint names) are unique over the whole output: a shared name made Roslyn drop every file of the
/// generator (CS8785), so every method of the project lost its derivatives (issue 16).
/// </summary>
public class HintNameTests
{
    private const string Collisions = """
        using System;
        using AutoDiff;

        namespace MyMath
        {
            public struct Vector2 { public double X; public double Y; }
        }

        public static partial class Shapes
        {
            [Differentiable] public static double Norm(System.Numerics.Vector2 v) => Math.Sqrt(v.X * v.X + v.Y * v.Y);
            [Differentiable] public static double Norm(MyMath.Vector2 v) => Math.Sqrt(v.X * v.X + 2 * v.Y * v.Y);
        }

        public partial class Box<T>
        {
            [Differentiable] public static double F(double x) => x * x;
        }

        public partial class Box_1
        {
            [Differentiable] public static double F(double x) => x * x * x;
        }

        public static partial class Cased
        {
            [Differentiable] public static double Loss(double x) => 2 * x * x;
            [Differentiable] public static double loss(double x) => x * x * x * x;
        }

        public static partial class Unrelated
        {
            [Differentiable] public static double G(double x) => Math.Sin(x);
        }

        public static class Calls
        {
            public static double[] Gradients(double x) => new[]
            {
                Shapes.NormGradient(new System.Numerics.Vector2((float)x, 4)).dV.X,
                Shapes.NormGradient(new MyMath.Vector2 { X = x, Y = 4 }).dV.X,
                Box<int>.FGradient(x).dX,
                Box_1.FGradient(x).dX,
                Cased.LossGradient(x).dX,
                Cased.lossGradient(x).dX,
                Unrelated.GGradient(x).dX,
            };
        }
        """;

    [Fact]
    public void MethodsWhoseNamesOnceSharedAFileEachGetTheirOwn()
    {
        var (files, diagnostics) = GeneratorHarness.Run(Collisions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
        Assert.Equal(new[]
        {
            "Box_1.F.g.cs", "Box{T}.F.g.cs", "Cased.Loss.g.cs", "Cased.loss (2).g.cs",
            "Shapes.Norm(MyMath.Vector2).g.cs", "Shapes.Norm(System.Numerics.Vector2).g.cs", "Unrelated.G.g.cs",
        }, files.Select(f => f.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Fact]
    public void EveryMethodOfTheCollisionsIsDifferentiated()
    {
        var (assembly, generated) = GeneratorHarness.CompileThroughGeneratorAndLoad(Collisions, "HintNames", collectible: true);
        Assert.Equal(7, generated);
        const double x = 3;
        var gradients = (double[])assembly.GetType("Calls")!.GetMethod("Gradients")!.Invoke(null, new object[] { x })!;
        Assert.Equal(new[]
        {
            x / 5,                        // |(x, 4)|
            x / System.Math.Sqrt(x * x + 32),   // √(x² + 2·16)
            2 * x, 3 * x * x, 4 * x, 4 * x * x * x, System.Math.Cos(x),
        }, gradients, (a, b) => System.Math.Abs(a - b) < 1e-6);
    }
}
