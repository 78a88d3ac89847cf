using System.Linq;
using System.Threading.Tasks;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>
/// ADIFF013 (issue 16): a generated member with the name and parameters of another member of the type. The analyzer
/// reports it at the method, and the generator writes nothing that collides, so the project's other methods keep their
/// derivatives and their diagnostics.
/// </summary>
public class MemberCollisionTests
{
    private const string HandWritten = """
        using AutoDiff;
        public static partial class Hand
        {
            [Differentiable]
            public static double {|#0:L|}(double w) => w * w;

            public static (double, double) {|#1:LGradient|}(double w) => (w * w, 2 * w);

            // Other names that start with L's are not collisions.
            public static double LGradient(double w, double scale) => scale * 2 * w;
            public static double Loss(double w) => w;
        }
        """;

    private const string Overloads = """
        using AutoDiff;
        public static partial class Over
        {
            [Differentiable]
            public static double {|#0:L|}(double w, double b) => w * b;

            [Differentiable]
            public static double {|#1:L|}(double w, [NoDerivative] double lr, [NoDerivative] double lambda) => w * lr + lambda * w * w;

            // Overloads whose derivatives differ are fine.
            [Differentiable]
            public static double L(double w) => w * w * w;
        }
        """;

    private const string Other = """
        using System;
        using AutoDiff;
        public static partial class Other
        {
            [Differentiable]
            public static double G(double x) => Math.Sin(x);
        }
        """;

    [Fact]
    public Task AHandWrittenMemberWithAGeneratedSignatureIsReported() => AnalyzerVerifier.Verify(HandWritten,
        new DiagnosticResult(DiagnosticDescriptors.GeneratedMemberCollision).WithLocation(0).WithLocation(1)
            .WithArguments("L", "LGradient(double)", "'Hand.LGradient(double)' is declared in 'Hand' already", "rename 'LGradient' or 'L'"));

    [Fact]
    public Task OverloadsThatDifferOnlyInNoDerivativeParametersAreReported() => AnalyzerVerifier.Verify(Overloads,
        new DiagnosticResult(DiagnosticDescriptors.GeneratedMemberCollision).WithLocation(0).WithLocation(1)
            .WithArguments("L", "LHessianVector(double, double, double, double)", "the overload 'Over.L(double, double, double)' gets one too",
                "rename one of the overloads (their derivatives differ only in parameters that [NoDerivative] leaves out)"),
        new DiagnosticResult(DiagnosticDescriptors.GeneratedMemberCollision).WithLocation(1).WithLocation(0)
            .WithArguments("L", "LHessianVector(double, double, double, double)", "the overload 'Over.L(double, double)' gets one too",
                "rename one of the overloads (their derivatives differ only in parameters that [NoDerivative] leaves out)"));

    [Fact]
    public void TheGeneratorWritesNothingThatCollides()
    {
        var (files, diagnostics) = GeneratorHarness.Run(Strip(HandWritten), Strip(Overloads), Other);
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(new[] { "Other.G.g.cs", "Over.L(System.Double).g.cs" }, files.Select(f => f.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Fact]
    public void ARenamedAdjointSaysSoInItsDocumentation()
    {
        // d + the parameter's name is the contract; a parameter called dX takes it, so x's adjoint is dX2.
        var (files, _) = GeneratorHarness.Run("""
            using AutoDiff;
            public static partial class R
            {
                [Differentiable]
                public static double F(double x, double dX, double seed) => x * dX * seed;
            }
            """);
        var text = files.Single().Text;
        Assert.Contains("<param name=\"dX2\">Accumulates seed2 × ∂F/∂x. Named dX2, not dX, because F has a parameter or local called dX", text);
        Assert.Contains("<param name=\"seed2\">The adjoint of F's result: 1 for the gradient, or an outer derivative when chaining. Named seed2, not seed,", text);
        Assert.Contains("<param name=\"dDX\">Accumulates seed2 × ∂F/∂dX.</param>", text);
    }

    /// <summary>The source without the verifier's location markup.</summary>
    private static string Strip(string source) => System.Text.RegularExpressions.Regex.Replace(source, @"\{\|#\d+:([^|]*)\|\}", "$1");
}
