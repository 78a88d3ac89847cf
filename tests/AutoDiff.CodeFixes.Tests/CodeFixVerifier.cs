using System.Threading.Tasks;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiff.CodeFixes.Tests;

/// <summary>
/// Runs a code fix on markup source with the AutoDiff analyzer, against .NET 8 and the AutoDiff runtime, and compares
/// the result with the fixed source. The test framework also checks Fix All (document, project and solution) and that
/// the fixed source has exactly the diagnostics expected of it (none unless a test says otherwise), compiler errors
/// included.
/// </summary>
internal static class CodeFixVerifier<TCodeFix>
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>
    /// A test with no sources yet (add them to TestState and FixedState). The fixed state inherits nothing: it is
    /// expected to have no diagnostics at all unless a test adds them to FixedState.ExpectedDiagnostics.
    /// </summary>
    public static CSharpCodeFixTest<DifferentiabilityAnalyzer, TCodeFix, DefaultVerifier> Create()
    {
        var test = new CSharpCodeFixTest<DifferentiabilityAnalyzer, TCodeFix, DefaultVerifier>
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
        };
        test.FixedState.InheritanceMode = StateInheritanceMode.Explicit;
        test.TestState.AdditionalReferences.Add(Runtime);
        test.FixedState.AdditionalReferences.Add(Runtime);
        return test;
    }

    public static CSharpCodeFixTest<DifferentiabilityAnalyzer, TCodeFix, DefaultVerifier> Create(string source, string fixedSource)
    {
        var test = Create();
        test.TestState.Sources.Add(source);
        test.FixedState.Sources.Add(fixedSource);
        return test;
    }

    private static MetadataReference Runtime { get; } = MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location);

    public static Task Verify(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = Create(source, fixedSource);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
