using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Caching;

/// <summary>The pipeline caches what did not change, and its models hold no Roslyn objects.</summary>
public class IncrementalTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        namespace Samples;

        public static partial class Neuron
        {
            [Differentiable]
            public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

            [Differentiable]
            public static double Softplus(double z) => Math.Log(1.0 + Math.Exp(z));

            public static int Unrelated() => 1;
        }
        """;

    [Fact]
    public void EditElsewhereInTheFileLeavesEveryStepCached()
    {
        var compilation = GeneratorHarness.Compile(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = tree.WithChangedText(tree.GetText().WithChanges(
            new Microsoft.CodeAnalysis.Text.TextChange(
                new Microsoft.CodeAnalysis.Text.TextSpan(Source.IndexOf("=> 1;", StringComparison.Ordinal), 5), "=> 2 + 40;")));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited));

        var result = driver.GetRunResult().Results.Single();
        foreach (var step in new[] { GeneratorStepNames.Lowered, GeneratorStepNames.Accepted, GeneratorStepNames.Emitted })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {step} reported {o.Reason} after an unrelated edit."));
        }
    }

    [Fact]
    public void ALineInsertedAboveTheMethodsLeavesEveryStepCachedButTheirPlaceAndLineDirectives()
    {
        const string source = """
            using System;
            using AutoDiff;

            public static partial class Losses
            {
                [Differentiable]
                public static double Smooth(double x, double y)
                {
                    double s = x * y;
                    return Math.Sin(s) + x;
                }
            }
            """;
        var compilation = GeneratorHarness.Compile(source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();

        var tree = compilation.SyntaxTrees.Single();
        var edited = tree.WithChangedText(tree.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(0, 0), "\n")));
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited));

        var result = driver.GetRunResult().Results.Single();
        foreach (var step in new[] { GeneratorStepNames.Lowered, GeneratorStepNames.Accepted, GeneratorStepNames.Emitted })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {step} reported {o.Reason} after a line was inserted above the method."));
        }
        Assert.Contains(result.TrackedSteps[GeneratorStepNames.Placed].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);

        // The file maps the method's statements to their new lines: each #line directive one further down, nothing else changed.
        var after = result.GeneratedSources.Single().SourceText.ToString();
        var directives = new System.Text.RegularExpressions.Regex("#line (\\d+) ");
        var linesBefore = directives.Matches(before).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var linesAfter = directives.Matches(after).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(linesBefore);
        Assert.Equal(linesBefore.Select(l => l + 1), linesAfter);
        Assert.Equal(directives.Replace(before, "#line N "), directives.Replace(after, "#line N "));
        // And to the lines the statements are on: "double s = x * y;" is line 10 of the edited file.
        Assert.Contains("#line 10 \"Source0.cs\"", after);
    }

    [Fact]
    public void EditOfOneMethodRegeneratesOnlyThatMethod()
    {
        var compilation = GeneratorHarness.Compile(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var text = tree.GetText().ToString().Replace("Math.Log(1.0 + Math.Exp(z))", "Math.Log(2.0 + Math.Exp(z))");
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, tree.FilePath)));

        // The other method is neither differentiated nor printed again.
        foreach (var step in new[] { GeneratorStepNames.Emitted })
        {
            var reasons = driver.GetRunResult().Results.Single().TrackedSteps[step]
                .SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }
    }

    [Fact]
    public void AKernelFollowsAnEditOfTheMethodItCallsInAnotherFile()
    {
        const string kernel = """
            using AutoDiff;
            public static partial class K
            {
                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, double w) => H.Helper(w * x);
            }
            """;
        const string helper = """
            using System;
            using AutoDiff;
            public static partial class H
            {
                [Differentiable]
                public static double Helper(double v)
                {
                    double p = v;
                    return Math.Sin(p);
                }
            }
            """;
        var compilation = GeneratorHarness.Compile(kernel, helper);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Contains(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName == "K.F-Kernels.g.cs");

        // A loop whose pullback keeps a tape: the helper can no longer run in a kernel, so F's kernels go.
        var tree = compilation.SyntaxTrees.Last();
        var text = helper.Replace("double p = v;", "double p = v;\n        for (int i = 0; i < 3; i++) p = Math.Sin(p);");
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, tree.FilePath)));
        var sources = driver.GetRunResult().Results.Single().GeneratedSources;
        Assert.DoesNotContain(sources, s => s.HintName == "K.F-Kernels.g.cs");
        Assert.Contains(sources, s => s.HintName == "K.F.g.cs");
    }

    [Fact]
    public void PipelineModelsHoldNoRoslynObjects()
    {
        // Every step of ours: a [CustomDerivative] method and a [GpuKernel] one too, so that their steps run.
        const string more = """
            using System;
            using AutoDiff;

            public static partial class Rules
            {
                [CustomDerivative]
                public static double Cube(double x) => x * x * x;

                public static double CubeBackward(double x, double seed, ref double dX)
                {
                    dX += seed * 3 * x * x;
                    return x * x * x;
                }

                public static double CubeTangent(double x, double xTangent, out double resultTangent)
                {
                    resultTangent = 3 * x * x * xTangent;
                    return x * x * x;
                }

                [Differentiable, GpuKernel]
                public static double Row([PerSample] double x, double w) => Math.Sin(w * x);
            }
            """;
        var compilation = GeneratorHarness.Compile(Source, more);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        int visited = 0;
        var ours = typeof(GeneratorStepNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Contains(GeneratorStepNames.Placed, ours);
        foreach (var name in ours) Assert.True(result.TrackedSteps.ContainsKey(name), $"Step {name} did not run.");
        foreach (var step in ours.SelectMany(name => result.TrackedSteps[name]))
        {
            foreach (var (value, _) in step.Outputs)
            {
                visited += Walk(value, new HashSet<object>(ReferenceEqualityComparer.Instance), $"{step.Name}");
            }
        }
        Assert.True(visited > 10, "The walk saw almost nothing: is the pipeline tracked?");
    }

    private static readonly Type[] Banned =
        { typeof(ISymbol), typeof(SyntaxNode), typeof(SemanticModel), typeof(Compilation), typeof(Location), typeof(SyntaxTree) };

    private static int Walk(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return 0;
        foreach (var banned in Banned)
        {
            Assert.False(banned.IsInstanceOfType(value), $"{path} holds a {banned.Name} ({value.GetType().Name}).");
        }
        if (!value.GetType().IsValueType && !seen.Add(value)) return 0;

        int count = 1;
        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (var item in sequence) count += Walk(item, seen, $"{path}[{i++}]");
            return count;
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            count += Walk(field.GetValue(value), seen, $"{path}.{field.Name}");
        }
        return count;
    }
}
