using System.Linq;
using AutoDiff.Generator.Tests.Generator.Robustness;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// Calls to generated derivatives inside differentiable code, through the generator and the analyzer together: what is
/// generated compiles, the two agree, and what cannot be differentiated again is reported at the call with the reason.
/// </summary>
public class NestedGenerationTests
{
    private const string Potential = """
        using System;
        using AutoDiff;
        public static partial class P
        {
            [Differentiable]
            public static double U(double x, double y) => x * x * y + Math.Exp(y);
        """;

    [Fact]
    public void AGradientInsideDifferentiableCodeGeneratesItsDirectionalDerivative()
    {
        var result = FuzzHarness.Run(Potential + """
                [Differentiable]
                public static double Penalised(double x, double y)
                {
                    var g = UGradient(x, y);
                    return g.Value + g.dX * g.dX + g.dY * g.dY;
                }
            }
            """);
        Assert.Empty(result.Problems);
        Assert.Contains("P.U-Directional.g.cs", result.HintNames);
        Assert.Contains("P.Penalised.g.cs", result.HintNames);
        Assert.DoesNotContain(result.AnalyzerDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    /// <summary>The generated gradient is called from a helper that lowering inlines: the generator still binds it.</summary>
    [Fact]
    public void AGradientInsideAnInlinedHelperIsBoundToo()
    {
        var result = FuzzHarness.Run("""
            using System;
            using System.Numerics;
            using AutoDiff;
            public static partial class P
            {
                [Differentiable]
                public static double U(Vector2 a, double k) => k * a.LengthSquared();

                public static Vector2 Force(Vector2 a, double k) => -UGradient(a, k).dA;

                [Differentiable]
                public static double Work(double x, double y, double k) => Vector2.Dot(Force(new Vector2((float)x, (float)y), k), new Vector2(1, 2));
            }
            """);
        Assert.Empty(result.Problems);
        Assert.Contains("P.Work.g.cs", result.HintNames);
        Assert.Contains("P.U-Directional.g.cs", result.HintNames);
    }

    [Fact]
    public void DerivativesTakenTwiceGoTwoLevelsDown()
    {
        var result = FuzzHarness.Run(Potential + """
                [Differentiable]
                public static double Slope(double x, double y) => UGradient(x, y).dX;

                [Differentiable]
                public static double Curvature(double x, double y) => SlopeGradient(x, y).dX;
            }
            """);
        Assert.Empty(result.Problems);
        Assert.Contains("P.U-Directional.g.cs", result.HintNames);
        Assert.Contains("P.Slope-Directional.g.cs", result.HintNames);
        Assert.Contains("P.Curvature.g.cs", result.HintNames);
    }

    [Theory]
    [InlineData("UHessianVector(x, y, 1.0, 0.0).dX", "differentiable code can call UGradient, UBackward and UTangent")]
    [InlineData("UHessian(x, y)[0, 0]", "differentiable code can call UGradient, UBackward and UTangent")]
    public void OtherGeneratedDerivativesAreReported(string call, string advice)
    {
        var result = FuzzHarness.Run(Potential + $$"""
                [Differentiable]
                public static double F(double x, double y) => {{call}};
            }
            """);
        Assert.Empty(result.Problems);
        Assert.Contains(result.AnalyzerDiagnostics, d => d.Id == "ADIFF002" && d.GetMessage().Contains(advice));
        Assert.DoesNotContain("P.F.g.cs", result.HintNames);
    }

    [Theory]
    [InlineData("public static double V(double[] a) => a[0] * a[0];", "VGradient(new[] { x }).Value", "derivatives taken again need numbers and structs, not arrays")]
    [InlineData("[CustomDerivative] public static double V(double x) => x * x; public static double VBackward(double x, double seed, ref double dX) { dX += 2 * x * seed; return x * x; } public static double VTangent(double x, double xTangent, out double resultTangent) { resultTangent = 2 * x * xTangent; return x * x; }",
        "VGradient(x).dX", "hand-written rules")]
    [InlineData("public static double W(double x) => V(x) * 2; [CustomDerivative] public static double V(double x) => x * x; public static double VBackward(double x, double seed, ref double dX) { dX += 2 * x * seed; return x * x; } public static double VTangent(double x, double xTangent, out double resultTangent) { resultTangent = 2 * x * xTangent; return x * x; }",
        "WGradient(x).dX", "hand-written rules")]
    public void TargetsThatCannotBeDifferentiatedAgainAreReported(string target, string call, string reason)
    {
        var differentiable = target.StartsWith("public static double W") ? "[Differentiable] " + target : target.StartsWith("public") ? "[Differentiable] " + target : target;
        var result = FuzzHarness.Run($$"""
            using AutoDiff;
            public static partial class P
            {
                {{differentiable}}

                [Differentiable]
                public static double F(double x) => {{call}};
            }
            """);
        Assert.Empty(result.Problems);
        var error = Assert.Single(result.AnalyzerDiagnostics, d => d.Id == "ADIFF002");
        Assert.Contains(reason, error.GetMessage());
        Assert.DoesNotContain("P.F.g.cs", result.HintNames);
    }

    [Fact]
    public void TargetsInGenericTypesAreReported()
    {
        // GBox<int>.G itself may be called (its derivatives are called through GBox<int>), not its derivatives.
        var result = FuzzHarness.Run("""
            using AutoDiff;
            public partial class GBox<TItem>
            {
                [Differentiable]
                public static double G(double x) => x * x * 3;
            }
            public static partial class P
            {
                [Differentiable]
                public static double F(double x) => GBox<int>.GGradient(x).dX + x;

                [Differentiable]
                public static double H(double x) => GBox<int>.G(x) + x;
            }
            """);
        Assert.Empty(result.Problems);
        var error = Assert.Single(result.AnalyzerDiagnostics, d => d.Id == "ADIFF002");
        Assert.Contains("'G' is a method of a generic type; only the derivatives of methods of non-generic types can be differentiated again", error.GetMessage());
        Assert.DoesNotContain("P.F.g.cs", result.HintNames);
        Assert.Contains("P.H.g.cs", result.HintNames);
    }
}
