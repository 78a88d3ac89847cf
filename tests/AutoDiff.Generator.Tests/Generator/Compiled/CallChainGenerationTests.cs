using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// A method whose [Differentiable] callee gets no derivatives gets none either, so the generated code never calls a
/// derivative that does not exist (the analyzer reports ADIFF011 at the call).
/// </summary>
public class CallChainGenerationTests
{
    private const string Source = """
        using AutoDiff;
        public static partial class C
        {
            private static double state;

            [Differentiable] public static double F(double x) => G(x) * 2;
            [Differentiable] public static double G(double x) => H(x) + 1;
            [Differentiable] public static double H(double x) { state = x; return x * x; }
            [Differentiable] public static double Unrelated(double x) => x * x;
            [Differentiable] public static double Even(double x, int n) => n == 0 ? x : Odd(x * 0.5, n - 1);
            [Differentiable] public static double Odd(double x, int n) => n == 0 ? x * x : Even(x + 1, n - 1);
        }
        """;

    [Fact]
    public void CallersOfAFailingMethodAreNotGenerated()
    {
        var (files, diagnostics) = GeneratorHarness.Run(Source);
        var names = files.Select(f => f.HintName).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "C.Even.g.cs", "C.Odd.g.cs", "C.Unrelated.g.cs" }, names);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void FixingTheCalleeBringsBackItsCallers()
    {
        var (files, diagnostics) = GeneratorHarness.Run(Source.Replace("state = x; ", "", System.StringComparison.Ordinal));
        Assert.Equal(6, files.Length);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
