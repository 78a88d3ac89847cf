using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// A [Differentiable] method that calls one of another assembly (a library built by AutoDiff): the caller's derivatives
/// call the library's. A library built with <c>AutoDiffSecondOrder=false</c> has no <c>FBackwardTangent</c>; callers then
/// get first-order derivatives only, with ADIFF202 at the call, where their generated code used not to compile (CS0117).
/// </summary>
public class CrossAssemblySecondOrderTests
{
    private const string Library = """
        using System;
        using AutoDiff;

        namespace MyLib;

        public static partial class Funcs
        {
            [Differentiable]
            public static double Soft(double x) => Math.Log(1 + Math.Exp(x));
        }
        """;

    private const string StructLibrary = """
        using System;
        using AutoDiff;

        using System.Numerics;

        namespace MyLib;

        public static partial class Geometry
        {
            [Differentiable]
            public static float Norm(Vector2 v) => MathF.Sqrt(v.X * v.X + v.Y * v.Y);
        }
        """;

    private const string StructApp = """
        using System;
        using AutoDiff;
        using MyLib;

        public static partial class Model
        {
            [Differentiable]
            public static float S(float x, float y) => Geometry.Norm(new System.Numerics.Vector2(x, y)) * y;
        }
        """;

    /// <summary>
    /// A struct-taking callee of a library built without second order is called through its scalarised form, which has no
    /// FBackwardTangent either: the caller keeps first order only, and compiles.
    /// </summary>
    [Fact]
    public void AStructTakingCalleeWithoutSecondOrderLeavesItsCallerFirstOrder()
    {
        var library = BuildLibrary(secondOrder: false, StructLibrary);
        var app = GeneratorHarness.Compile(StructApp).AddReferences(MetadataReference.CreateFromImage(library));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(app, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var analyzer = output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiabilityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var files = driver.GetRunResult().Results.Single().GeneratedSources;
        Assert.True(files.Any(f => f.HintName == "Model.S.g.cs"), string.Join("\n", files.Select(f => f.HintName).Concat(analyzer.Select(d => d.ToString()))));
        var text = files.Single(f => f.HintName == "Model.S.g.cs").SourceText.ToString();
        Assert.Contains("SGradient(", text);
        Assert.DoesNotContain("SBackwardTangent(", text);
        Assert.Single(analyzer, d => d.Id == "ADIFF202");

        var model = Load(output, library).GetType("Model")!;
        var gradient = ((float, float, float))model.GetMethod("SGradient")!.Invoke(null, new object[] { 0.6f, 0.8f })!;
        // S = √(x² + y²)·y: ∂S/∂x = x·y/r, ∂S/∂y = y²/r + r at r = 1.
        Assert.Equal(0.6f * 0.8f, gradient.Item2, 5);
        Assert.Equal(0.64f + 1, gradient.Item3, 5);
    }

    private const string App = """
        using System;
        using AutoDiff;
        using MyLib;

        public static partial class Model
        {
            [Differentiable]
            public static double G(double x, double y) => Funcs.Soft(x * y) + x;

            // Calls G: its second order would call G's.
            [Differentiable]
            public static double H(double x, double y) => G(x, y) * y;

            // Calls nothing of the library: keeps everything.
            [Differentiable]
            public static double K(double x, double y) => Math.Sin(x) * y;
        }
        """;

    private static (Compilation Output, ImmutableArray<(string HintName, string Text)> Files, ImmutableArray<Diagnostic> Analyzer) BuildApp(byte[] library)
    {
        var app = GeneratorHarness.Compile(App).AddReferences(MetadataReference.CreateFromImage(library));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(app, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var files = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToImmutableArray();
        var analyzer = output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiabilityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return (output, files, analyzer);
    }

    private static string FileOf(ImmutableArray<(string HintName, string Text)> files, string method) => files.Single(f => f.HintName == $"Model.{method}.g.cs").Text;

    [Fact]
    public void ALibraryWithoutSecondOrderLeavesItsCallersFirstOrderDerivativesThatCompile()
    {
        var library = BuildLibrary(secondOrder: false);
        var (output, files, analyzer) = BuildApp(library);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        foreach (var method in new[] { "G", "H" })
        {
            var text = FileOf(files, method);
            Assert.Contains($"{method}Gradient(", text);
            Assert.Contains($"{method}Tangent(", text);
            Assert.DoesNotContain($"{method}BackwardTangent(", text);
            Assert.DoesNotContain($"{method}Hessian(", text);
        }
        Assert.Contains("KHessian(", FileOf(files, "K"));

        // Reported once, at G's call into the library (H's reason is G).
        var reported = Assert.Single(analyzer, d => d.Id == "ADIFF202");
        Assert.Equal(DiagnosticSeverity.Info, reported.Severity);
        Assert.Equal("Funcs.Soft(x * y)", reported.Location.SourceTree!.GetText().ToString(reported.Location.SourceSpan));
        var message = reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'G' gets no second-order derivatives", message);
        Assert.Contains("'MyLib'", message);

        // The first-order derivatives through the library are right.
        var model = Load(output, library).GetType("Model")!;
        var (x, y) = (0.7, -1.3);
        var gradient = ((double, double, double))model.GetMethod("GGradient")!.Invoke(null, new object[] { x, y })!;
        double G(double a, double b) => Math.Log(1 + Math.Exp(a * b)) + a;
        const double h = 1e-6;
        Assert.Equal((G(x + h, y) - G(x - h, y)) / (2 * h), gradient.Item2, 6);
        Assert.Equal((G(x, y + h) - G(x, y - h)) / (2 * h), gradient.Item3, 6);
    }

    [Fact]
    public void ALibraryWithSecondOrderGivesItsCallersHessians()
    {
        var library = BuildLibrary(secondOrder: true);
        var (output, files, analyzer) = BuildApp(library);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.DoesNotContain(analyzer, d => d.Id == "ADIFF202");
        Assert.Contains("GHessianVector(", FileOf(files, "G"));
        Assert.Contains("HHessian(", FileOf(files, "H"));

        // H·v through the library's GBackwardTangent, against differences of the gradient.
        var model = Load(output, library).GetType("Model")!;
        var (x, y, vx, vy) = (0.7, -1.3, 0.4, -0.9);
        var hv = ((double, double))model.GetMethod("HHessianVector")!.Invoke(null, new object[] { x, y, vx, vy })!;
        (double, double) Gradient(double a, double b)
        {
            var g = ((double, double, double))model.GetMethod("HGradient")!.Invoke(null, new object[] { a, b })!;
            return (g.Item2, g.Item3);
        }
        const double h = 1e-5;
        var plus = Gradient(x + h * vx, y + h * vy);
        var minus = Gradient(x - h * vx, y - h * vy);
        Assert.Equal((plus.Item1 - minus.Item1) / (2 * h), hv.Item1, 5);
        Assert.Equal((plus.Item2 - minus.Item2) / (2 * h), hv.Item2, 5);
    }

    /// <summary>The library's assembly, built through the generator with or without second order.</summary>
    private static byte[] BuildLibrary(bool secondOrder, string source = Library)
    {
        var properties = new Dictionary<string, string>();
        if (!secondOrder) properties["build_property.AutoDiffSecondOrder"] = "false";
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new AutoDiffGenerator().AsSourceGenerator() },
            parseOptions: GeneratorHarness.ParseOptions, optionsProvider: new GeneratorOptionsTests.Provider(properties));
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compile(source).WithAssemblyName("MyLib"), out var library, out _);
        using var stream = new MemoryStream();
        Assert.True(library.Emit(stream).Success);
        return stream.ToArray();
    }

    /// <summary>The app's assembly, loaded beside the library's in a context of their own.</summary>
    private static Assembly Load(Compilation app, byte[] library)
    {
        var context = new AssemblyLoadContext("CrossAssembly" + Guid.NewGuid().ToString("N"), isCollectible: true);
        context.LoadFromStream(new MemoryStream(library));
        using var stream = new MemoryStream();
        Assert.True(app.Emit(stream).Success);
        stream.Position = 0;
        return context.LoadFromStream(stream);
    }
}
