using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Robustness;

/// <summary>
/// When emitting a method's derivatives throws (a bug of ours: no known code does it), the generator itself reports
/// ADIFF900 at the method's name, and the method gets no file. The analyzer does not emit (it would repeat the
/// generator's most expensive work on every build), so it is the generator's report or none.
/// </summary>
public class EmissionFailureTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Losses
        {
            [Differentiable]
            public static double Smooth(double x, double y) => Math.Sin(x * y) + x;
        }
        """;

    [Fact]
    public void AnEmissionThatThrowsIsReportedAtTheMethodsName()
    {
        var compilation = GeneratorHarness.Compile(Source);
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();
        var model = result.TrackedSteps[GeneratorStepNames.Accepted].SelectMany(s => s.Outputs).Select(o => o.Value)
            .OfType<DifferentiableMethodModel>().Single();
        var options = new GeneratorOptions(SecondOrder: true, Kernels: true);
        Assert.Null(AutoDiffGenerator.Emit(model, options).Failure);

        // A parameter without a name: the emitter cannot name its adjoint, and throws.
        var broken = model with { Method = model.Method with { Parameters = model.Method.Parameters.Select((p, i) => i == 0 ? p with { Name = "" } : p).ToEquatableArray() } };
        var file = AutoDiffGenerator.Emit(broken, options);

        Assert.Null(file.Text);
        var failure = Assert.IsType<EmissionFailure>(file.Failure);
        var placement = result.TrackedSteps[GeneratorStepNames.Placed].SelectMany(s => s.Outputs).Select(o => o.Value)
            .OfType<EquatableArray<MethodPlacement>>().Single().Single();
        var diagnostic = AutoDiffGenerator.DiagnosticOf(failure, placement.Identifier);
        Assert.Equal("ADIFF900", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("'Smooth'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        var tree = compilation.SyntaxTrees.Single();
        var identifier = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single().Identifier;
        Assert.Equal(identifier.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(tree.GetLineSpan(identifier.Span).Span, diagnostic.Location.GetLineSpan().Span);
        Assert.Equal(tree.FilePath, diagnostic.Location.GetLineSpan().Path);
    }
}
