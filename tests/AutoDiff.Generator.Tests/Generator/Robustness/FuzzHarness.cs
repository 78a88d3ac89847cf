using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Analysis;
using AutoDiff.Generator.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Generator.Tests.Generator.Robustness;

/// <summary>What went wrong with one source (nothing, if Problems is empty), the files generated and the analyzer's diagnostics.</summary>
internal sealed record FuzzResult(List<string> Problems, List<string> HintNames, List<Diagnostic> AnalyzerDiagnostics);

/// <summary>Runs the generator and the analyzer on one source and lists everything that went wrong.</summary>
internal static class FuzzHarness
{
    /// <summary>
    /// The references of every case: the runtime's core assemblies (what the generated code and the corpus use, less
    /// xUnit, whose absence only breaks user code) and AutoDiff.Runtime. One compilation holds them, and each case adds
    /// its tree to it, so that the referenced assemblies are read and bound once.
    /// </summary>
    private static readonly CSharpCompilation Empty = CSharpCompilation.Create("Fuzz", Array.Empty<SyntaxTree>(),
        new[]
        {
            typeof(object).Assembly.Location,
            typeof(Enumerable).Assembly.Location,
            typeof(List<>).Assembly.Location,
            typeof(System.CodeDom.Compiler.GeneratedCodeAttribute).Assembly.Location,
            typeof(System.ComponentModel.EditorBrowsableAttribute).Assembly.Location,
            Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"),
            typeof(DifferentiableAttribute).Assembly.Location,
        }.Distinct().Select(path => MetadataReference.CreateFromFile(path)),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));



    /// <summary>True when compiling the source without the generator's files throws (a crash of the compiler, not a diagnostic).</summary>
    private static bool CompilerFailsOnTheSourceAlone(Compilation compilation)
    {
        try
        {
            compilation.GetDiagnostics();
            return false;
        }
        catch (Exception)
        {
            return true;
        }
    }

    /// <summary>Runs the generator and the analyzer on <paramref name="source"/>, the user's code, and checks them.</summary>
    /// <param name="source">The user's code.</param>
    /// <param name="log">Receives what the analyzer, the compiler and the generator said (to look into one case).</param>
    public static FuzzResult Run(string source, Action<string>? log = null)
    {
        var problems = new List<string>();
        var tree = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Fuzz.cs");
        var compilation = Empty.AddSyntaxTrees(tree);

        // 1. The generator: no exception, no diagnostic (it reports none; CS8785 is Roslyn's report of a throw).
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new AutoDiffGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        bool threw = false;
        foreach (var generatorResult in run.Results)
        {
            if (generatorResult.Exception is { } exception)
            {
                problems.Add("The generator threw: " + exception);
                threw = true;
            }
        }
        foreach (var diagnostic in generatorDiagnostics.Concat(run.Diagnostics).Distinct())
        {
            problems.Add("The generator reported " + diagnostic);
        }
        var generated = run.Results.SelectMany(r => r.GeneratedSources).ToList();

        // 2. The analyzer, on the compilation as the build sees it (with the generated files): no exception. One pass
        // gives its diagnostics and the compiler's.
        var exceptions = new List<string>();
        var analyzer = new DifferentiabilityAnalyzer();
        var analyzerOptions = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, _, _) => { lock (exceptions) exceptions.Add(exception.ToString()); }, concurrentAnalysis: false, logAnalyzerExecutionTime: false,
            // An error the user silenced with #pragma still stops generation: keep those to compare with the generator.
            reportSuppressedDiagnostics: true);
        ImmutableArray<Diagnostic> all;
        try
        {
            all = output
                .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(analyzer), analyzerOptions)
                .GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        }
        catch (Exception exception) when (CompilerFailsOnTheSourceAlone(compilation))
        {
            // The C# compiler itself throws on this source, without AutoDiff's files or analyzer (its binder on some
            // malformed lambdas): nothing of AutoDiff's is left to check. The analyzer's own exceptions never get here.
            log?.Invoke("The compiler threw on the source alone: " + exception.Message);
            return new FuzzResult(problems, generated.Select(g => g.HintName).ToList(), new List<Diagnostic>());
        }
        var analyzerIds = new HashSet<string>(analyzer.SupportedDiagnostics.Select(d => d.Id)) { "AD0001" };
        var analyzerDiagnostics = all.Where(d => analyzerIds.Contains(d.Id)).ToList();
        var compilerDiagnostics = all.Where(d => !analyzerIds.Contains(d.Id)).ToList();
        problems.AddRange(exceptions.Select(e => "The analyzer threw: " + e));
        foreach (var diagnostic in analyzerDiagnostics.Where(d => d.Id is "AD0001" or "ADIFF900"))
        {
            problems.Add("The analyzer reported " + diagnostic);
        }

        // Which methods are broken: the analyzer reports an error in them, or they do not compile: the compiler reports
        // an error in them or in the names the generator copies (their types' and namespace's), or they are outside any
        // type (CS0116, reported at the first of them only).
        var model = output.GetSemanticModel(tree);
        var analyzerErrors = analyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == tree).ToList();
        var compilerErrors = compilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == tree).ToList();
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();
        var notCompiling = new HashSet<MethodDeclarationSyntax>(methods.Where(m =>
            m.Parent is not TypeDeclarationSyntax || compilerErrors.Any(d => InMethodOrNames(m, d.Location.SourceSpan))));
        var differentiable = new List<(MethodDeclarationSyntax Syntax, IMethodSymbol Symbol, bool AnalyzerError)>();
        foreach (var method in methods)
        {
            if (method.AttributeLists.Count == 0 || model.GetDeclaredSymbol(method) is not IMethodSymbol symbol || !TypeMapping.IsDifferentiable(symbol)) continue;
            bool analyzerError = analyzerErrors.Any(d => method.Span.Contains(d.Location.SourceSpan)
                || method.Ancestors().OfType<BaseTypeDeclarationSyntax>().Any(t => t.Identifier.Span == d.Location.SourceSpan));
            differentiable.Add((method, symbol, analyzerError));
        }
        var broken = new HashSet<string>(differentiable.Where(m => m.AnalyzerError || notCompiling.Contains(m.Syntax)).Select(m => m.Symbol.Name));

        // 3. The generated code compiles, with nullable enabled, without errors or warnings.
        foreach (var file in generated)
        {
            var root = file.SyntaxTree.GetRoot();
            var diagnostics = new List<Diagnostic>();
            foreach (var diagnostic in compilerDiagnostics)
            {
                if (diagnostic.Severity < DiagnosticSeverity.Warning || diagnostic.IsSuppressed || diagnostic.Location.SourceTree != file.SyntaxTree) continue;
                diagnostics.Add(diagnostic);
            }
            if (diagnostics.Count > 0)
            {
                problems.Add($"The generated {file.HintName} does not compile cleanly:\n    "
                    + string.Join("\n    ", diagnostics.Take(10)) + "\n--- " + file.HintName + " ---\n" + file.SourceText);
            }
        }

        if (log is not null)
        {
            log("analyzer: " + string.Join("\n  ", analyzerDiagnostics));
            log("compiler: " + string.Join("\n  ", compilerErrors));
            log("generated: " + string.Join(", ", generated.Select(g => g.HintName)));
            log("differentiable: " + string.Join(", ", differentiable.Select(d => $"{d.Symbol.ToDisplayString()} in {d.Symbol.ContainingType?.ToDisplayString()} broken={broken.Contains(d.Symbol.Name)}")));
        }

        var result = new FuzzResult(problems, generated.Select(g => g.HintName).ToList(), analyzerDiagnostics);
        // 4. They agree: a method without errors gets its file; one the analyzer reports an error for gets none.
        if (threw) return result;
        var hintNames = generated.Select(g => g.HintName).ToList();
        foreach (var (method, symbol, analyzerError) in differentiable)
        {
            var hintName = MethodAnalysis.HintName(symbol);
            int files = hintNames.Count(h => h == hintName);
            int line = method.Identifier.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            if (!analyzerError && !notCompiling.Contains(method) && files == 0)
            {
                problems.Add($"The analyzer reports no error for {symbol.Name} (line {line}) and it compiles, but the generator wrote no {hintName}.");
            }
            // Methods that share a file name (a duplicate) cannot be told apart by it: skip those.
            bool unique = symbol.ContainingType.GetMembers(symbol.Name).OfType<IMethodSymbol>().Count(m => MethodAnalysis.HintName(m) == hintName) == 1;
            if (analyzerError && files > 0 && unique)
            {
                problems.Add($"The analyzer reports an error for {symbol.Name} (line {line}), but the generator wrote {hintName}.");
            }
        }
        return result;
    }

    /// <summary>True when a span lies in a method or in what the generator copies from around it: the names of its
    /// types and namespaces.</summary>
    private static bool InMethodOrNames(MethodDeclarationSyntax method, TextSpan span)
    {
        // An error that starts in the method, or a missing token at its very end (an empty span there).
        if (span.Start >= method.SpanStart && (span.Start < method.Span.End || span.IsEmpty && span.Start == method.Span.End)) return true;
        foreach (var ancestor in method.Ancestors())
        {
            var name = ancestor switch
            {
                TypeDeclarationSyntax type => TextSpan.FromBounds(type.Identifier.SpanStart, (type.TypeParameterList?.Span ?? type.Identifier.Span).End),
                BaseNamespaceDeclarationSyntax ns => ns.Name.Span,
                _ => (TextSpan?)null,
            };
            if (name is { } n && n.IntersectsWith(span)) return true;
        }
        return false;
    }
}
