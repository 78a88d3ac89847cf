using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using AutoDiff;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Generator.Tests.Generator;

/// <summary>Runs the generator in-process on source text, the way the compiler does.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(params string[] sources) => CompileAt("Source{0}.cs", sources);

    /// <summary>As <see cref="Compile"/>, with the documents' paths made from <paramref name="pathFormat"/> and their index.</summary>
    public static CSharpCompilation CompileAt(string pathFormat, params string[] sources)
    {
        var references = ((string)System.AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
            // [GpuKernel] methods get kernels only where ILGPU is referenced.
            .Append(MetadataReference.CreateFromFile(typeof(ILGPU.Index1D).Assembly.Location));
        return CSharpCompilation.Create("Tests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: string.Format(System.Globalization.CultureInfo.InvariantCulture, pathFormat, i))),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            new[] { new AutoDiffGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>The generated files (hint name to text), with the compilation's diagnostics after generation.</summary>
    public static (ImmutableArray<(string HintName, string Text)> Files, ImmutableArray<Diagnostic> Diagnostics) Run(params string[] sources)
        => RunAt("Source{0}.cs", sources);

    /// <summary>As <see cref="Run"/>, with the documents' paths made from <paramref name="pathFormat"/> (generated code names them in #line).</summary>
    public static (ImmutableArray<(string HintName, string Text)> Files, ImmutableArray<Diagnostic> Diagnostics) RunAt(string pathFormat, params string[] sources)
    {
        var compilation = CompileAt(pathFormat, sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        var files = result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToImmutableArray();
        return (files, output.GetDiagnostics());
    }

    /// <summary>
    /// Compiles <paramref name="source"/> through the generator as a user's project would be, checks that the generator
    /// reports nothing and that everything compiles, and loads the assembly into a context of its own; returns it with
    /// the number of generated files.
    /// </summary>
    public static (Assembly Assembly, int GeneratedFiles) CompileThroughGeneratorAndLoad(string source, string contextName, bool collectible)
    {
        var compilation = Compile(source);
        CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Xunit.Assert.Empty(generatorDiagnostics);
        using var stream = new MemoryStream();
        var result = output.Emit(stream);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).ToList();
        Xunit.Assert.True(result.Success, "The generated code does not compile:\n" + string.Join("\n", errors));
        stream.Position = 0;
        var assembly = new AssemblyLoadContext(contextName, collectible).LoadFromStream(stream);
        return (assembly, output.SyntaxTrees.Count() - compilation.SyntaxTrees.Count());
    }

    /// <summary>Calls the public static method <paramref name="name"/> of <paramref name="type"/> that takes these doubles.</summary>
    public static T InvokeWithDoubles<T>(System.Type type, string name, double[] arguments)
    {
        var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, arguments.Select(_ => typeof(double)).ToArray())
            ?? throw new System.MissingMethodException(type.Name, name);
        return (T)method.Invoke(null, arguments.Cast<object>().ToArray())!;
    }

    /// <summary>The test project's folder, found from this source file's path.</summary>
    public static string ProjectDirectory() => Path.GetDirectoryName(Path.GetDirectoryName(ThisFile()))!;

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
