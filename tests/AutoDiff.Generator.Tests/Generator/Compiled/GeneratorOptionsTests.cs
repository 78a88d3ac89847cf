using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// The MSBuild properties the package makes visible to the compiler: <c>AutoDiffSecondOrder</c> and <c>AutoDiffKernels</c>
/// (as <c>build_property.*</c> global options), with everything still compiling when they turn parts off.
/// </summary>
public class GeneratorOptionsTests
{
    private const string Source = """
        using System.Numerics;
        using AutoDiff;
        public struct P { public double X, Y; }
        public static partial class M
        {
            [Differentiable]
            public static double Inner(double x, double y) => x * x * y;

            [Differentiable]
            public static double Outer(double x, double y) => Inner(x, 2 * y) + Inner(y, x);

            [Differentiable]
            public static double OfStruct(P p) => Inner(p.X, p.Y);

            [Differentiable]
            public static double Nested(double x) => InnerGradient(x, 1.0).dX;

            [Differentiable, GpuKernel]
            public static double Loss(double[] w, [PerSample] double[] x, [PerSample] double y)
            {
                double z = 0;
                for (int i = 0; i < w.Length; i++) z += w[i] * x[i];
                return (z - y) * (z - y);
            }

            // A kernel that calls a method of the project as a device function (with its GBackwardTangent for H·v).
            [Differentiable, GpuKernel]
            public static double Fit([PerSample] double x, double w) => Inner(w, x);
        }
        """;

    internal sealed class Options : AnalyzerConfigOptions
    {
        private readonly Dictionary<string, string> values;

        public Options(Dictionary<string, string> values) => this.values = values;

        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }

    internal sealed class Provider : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Empty = new(new Dictionary<string, string>());

        public Provider(Dictionary<string, string> global) => GlobalOptions = new Options(global);

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private static (ImmutableArray<(string HintName, string Text)> Files, ImmutableArray<Diagnostic> Errors) Run(params (string Key, string Value)[] properties)
    {
        var provider = new Provider(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new AutoDiffGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions, optionsProvider: provider);
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compile(Source), out var output, out _);
        var files = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToImmutableArray();
        return (files, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    [Fact]
    public void ByDefaultEverythingIsGenerated()
    {
        var (files, errors) = Run();
        Assert.Empty(errors);
        var all = string.Concat(files.Select(f => f.Text));
        Assert.Contains("OuterHessianVector(", all);
        Assert.Contains("OfStructHessian(", all);
        Assert.Contains("NestedBackwardTangent(", all);
        Assert.Contains(files, f => f.HintName == "M.Loss-Kernels.g.cs");
        Assert.Contains("FitHessianVectorKernel(", files.Single(f => f.HintName == "M.Fit-Kernels.g.cs").Text);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData(" FALSE ")]
    public void SecondOrderOffGeneratesFirstOrderDerivativesOnly(string value)
    {
        var (files, errors) = Run(("AutoDiffSecondOrder", value));
        Assert.Empty(errors);
        var all = string.Concat(files.Select(f => f.Text));
        Assert.DoesNotContain("HessianVector(", all.Replace("HessianVectorKernel", ""));
        Assert.DoesNotContain("BackwardTangent(", all);
        Assert.DoesNotContain("Hessian(", all);
        // First order stays, with struct wrappers and nested derivatives.
        Assert.Contains("OuterGradient(", all);
        Assert.Contains("OfStructTangent(", all);
        Assert.Contains("NestedBackward(", all);
        Assert.Contains("InnerDirectional(", all);
        // Kernels stay; one that calls the project's methods gets no H·v kernel, as their BackwardTangent is missing.
        Assert.Contains("LossHessianVectorKernel(", all);
        var fit = files.Single(f => f.HintName == "M.Fit-Kernels.g.cs").Text;
        Assert.Contains("FitBackwardKernel(", fit);
        Assert.DoesNotContain("FitHessianVectorKernel", fit);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("")]
    [InlineData("yes")]
    public void OtherValuesKeepTheDefault(string value)
    {
        var (files, errors) = Run(("AutoDiffSecondOrder", value), ("AutoDiffKernels", value));
        Assert.Empty(errors);
        Assert.Contains(files, f => f.Text.Contains("OuterHessianVector("));
        Assert.Contains(files, f => f.HintName == "M.Loss-Kernels.g.cs");
    }

    [Fact]
    public void KernelsOffGeneratesNoKernelFiles()
    {
        var (files, errors) = Run(("AutoDiffKernels", "false"));
        Assert.Empty(errors);
        Assert.DoesNotContain(files, f => f.HintName.EndsWith("-Kernels.g.cs"));
        Assert.Contains(files, f => f.HintName == "M.Loss.g.cs");
    }
}
