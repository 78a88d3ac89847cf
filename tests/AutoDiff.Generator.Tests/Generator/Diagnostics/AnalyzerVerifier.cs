using System.Collections.Generic;
using System.Threading.Tasks;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>
/// Runs <see cref="DifferentiabilityAnalyzer"/> on sources against .NET 8 and AutoDiff.Runtime, and checks the
/// diagnostics against markup and <see cref="DiagnosticResult"/>s. The diagnostic test classes share it.
/// </summary>
internal static class AnalyzerVerifier
{
    public static Task Verify(string source, params DiagnosticResult[] expected) => Verify(new[] { source }, editorConfig: null, allowUnsafe: false, expected);

    /// <param name="sources">The documents.</param>
    /// <param name="editorConfig">An .editorconfig for the project, or null.</param>
    /// <param name="allowUnsafe">Compiles with unsafe code allowed (for sources with pointers).</param>
    /// <param name="expected">The diagnostics besides those in markup.</param>
    public static Task Verify(IEnumerable<string> sources, string? editorConfig, bool allowUnsafe, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<DifferentiabilityAnalyzer, DefaultVerifier> { ReferenceAssemblies = ReferenceAssemblies.Net.Net80 };
        foreach (var source in sources) test.TestState.Sources.Add(source);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        if (editorConfig is not null) test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        if (allowUnsafe)
        {
            test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(projectId,
                ((CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        }
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
