using System.Text;
using AutoDiff.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Benchmarks;

/// <summary>
/// A synthetic project of 500 [Differentiable] methods in 50 files, four shapes in turn: a scalar expression, a loop over
/// an array with a branch, a method with a local array, and a call to another of these methods (in the same file or the one before).
/// </summary>
public static class SyntheticProject
{
    public const int Files = 50, MethodsPerFile = 10;
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static string File(int f, int edit = 0)
    {
        var s = new StringBuilder();
        s.AppendLine("using System;");
        s.AppendLine("using AutoDiff;");
        s.AppendLine();
        s.AppendLine("namespace Synthetic;");
        s.AppendLine();
        s.AppendLine($"public static partial class Functions{f}");
        s.AppendLine("{");
        for (int m = 0; m < MethodsPerFile; m++)
        {
            int id = f * MethodsPerFile + m;
            // The edit changes a constant in the file's first method.
            double c = 1.0 + id / 1000.0 + (m == 0 ? edit : 0);
            s.AppendLine("    [Differentiable]");
            switch (id % 4)
            {
                case 0:
                    s.AppendLine($"    public static double M{id}(double a, double b) => Math.Sin(a * b) + Math.Exp(-{c} * a) * b / (1.0 + b * b);");
                    break;
                case 1:
                    s.AppendLine($"    public static double M{id}(double[] w, double[] x)");
                    s.AppendLine("    {");
                    s.AppendLine("        double sum = 0;");
                    s.AppendLine("        for (int i = 0; i < w.Length; i++)");
                    s.AppendLine("        {");
                    s.AppendLine($"            double t = w[i] * x[i] - {c};");
                    s.AppendLine("            if (t > 0) sum += t * t;");
                    s.AppendLine("            else sum += Math.Log(1.0 + Math.Exp(t));");
                    s.AppendLine("        }");
                    s.AppendLine("        return sum;");
                    s.AppendLine("    }");
                    break;
                case 2:
                    s.AppendLine($"    public static double M{id}(double[] x, int n)");
                    s.AppendLine("    {");
                    s.AppendLine("        double[] y = new double[n];");
                    s.AppendLine("        double total = 0;");
                    s.AppendLine($"        for (int i = 0; i < n; i++) y[i] = Math.Tanh({c} * x[i]);");
                    s.AppendLine("        for (int i = 1; i < n; i++) total += y[i] * y[i - 1];");
                    s.AppendLine("        return total;");
                    s.AppendLine("    }");
                    break;
                default:
                    s.AppendLine($"    public static double M{id}(double a, double b, double c)");
                    s.AppendLine("    {");
                    s.AppendLine($"        double u = Functions{(id - 3) / MethodsPerFile}.M{id - 3}(a, b) * c;");
                    s.AppendLine($"        return Math.Sqrt(u * u + {c}) + Math.Atan2(a, c);");
                    s.AppendLine("    }");
                    break;
            }
            s.AppendLine();
        }
        s.AppendLine("}");
        return s.ToString();
    }

    public static SyntaxTree Parse(string text, int f) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Functions{f}.cs");

    private static MetadataReference[]? references;

    /// <summary>The framework's assemblies and AutoDiff.Runtime, as a project referencing AutoDiff compiles against.</summary>
    public static MetadataReference[] References() => references ??= ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
        .ToArray();

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees)
        => CSharpCompilation.Create("Synthetic", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(bool track = false)
        => CSharpGeneratorDriver.Create([new AutoDiffGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));
}

/// <summary>
/// The generator itself, driven by CSharpGeneratorDriver as the compiler drives it: a full run over the 500 methods (a
/// new compilation from the parsed files, so that binding is part of it as in a build), and an incremental run after
/// one method changes (a new compilation with one file replaced, from a driver that has run on the old one, as an IDE
/// does on an edit).
/// </summary>
[Config(typeof(SlowConfig))]
public class GeneratorBenchmarks
{
    private SyntaxTree[] trees = [];
    private SyntaxTree edited = null!;
    private CSharpCompilation before = null!;
    private GeneratorDriver warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        trees = Enumerable.Range(0, SyntheticProject.Files).Select(f => SyntheticProject.Parse(SyntheticProject.File(f), f)).ToArray();
        edited = SyntheticProject.Parse(SyntheticProject.File(17, edit: 1), 17);
        before = SyntheticProject.Compile(trees);
        warm = SyntheticProject.Driver().RunGenerators(before);
    }

    [Benchmark(Baseline = true)]
    public GeneratorDriver Generate500Methods() => SyntheticProject.Driver().RunGenerators(SyntheticProject.Compile(trees));

    [Benchmark]
    public GeneratorDriver IncrementalEditOfOne() => warm.RunGenerators(before.ReplaceSyntaxTree(trees[17], edited));
}
