using System.Linq;
using System.Threading;
using AutoDiff.Generator.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator.Analysis;

/// <summary>
/// Whether a method compiles, so that there is something to differentiate. Code being typed has missing names,
/// unbalanced brackets and mismatched types; the compiler reports those, so nothing more is reported here, and the
/// method is skipped rather than its broken parts copied into generated code that cannot compile either (or into a
/// file name that cannot exist).
/// </summary>
internal static class CompileCheck
{
    public static bool Compiles(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        // A method outside any type (CS0116, reported at the first of several only) belongs to a type the compiler invents.
        if (syntax.Parent is not TypeDeclarationSyntax) return false;
        // The names the generated file repeats: its types' and namespaces' (errors there are reported outside the method).
        foreach (var ancestor in syntax.Ancestors())
        {
            if (ancestor is TypeDeclarationSyntax type && (type.Identifier.IsMissing || type.TypeParameterList is { ContainsDiagnostics: true })) return false;
            if (ancestor is BaseNamespaceDeclarationSyntax ns && ns.Name.ContainsDiagnostics) return false;
        }
        // Of two methods with the same signature (CS0111, reported at the second) only the first is generated: both
        // would write one file. The type lists a partial method once, as its defining part.
        var first = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().FirstOrDefault(other => SameSignature(other, method));
        if (first is not null && !SymbolEqualityComparer.Default.Equals(first, method.PartialDefinitionPart ?? method)) return false;
        // Any error in the method itself: its header (a missing name, two parameters of one name) or its body. Only real
        // errors: a warning made an error (TreatWarningsAsErrors) still leaves code to differentiate.
        // The file's errors are worked out once for all its methods: GetDiagnostics(span) runs checks of the whole file
        // (its documentation comments) on every call, which made a file of many methods quadratic to analyse.
        var span = syntax.Span;
        var errors = ErrorsByFile.Get(semanticModel.Compilation, syntax.SyntaxTree, _ => ErrorSpans(semanticModel, cancellationToken));
        return !errors.Any(error => Within(error, span));
    }

    private static readonly PerCompilation<SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan[]> ErrorsByFile = new();

    /// <summary>Where the file's errors are (not warnings made errors: those still leave code to differentiate).</summary>
    private static Microsoft.CodeAnalysis.Text.TextSpan[] ErrorSpans(SemanticModel semanticModel, CancellationToken cancellationToken)
        => semanticModel.GetDiagnostics(null, cancellationToken)
            .Where(d => d.DefaultSeverity == DiagnosticSeverity.Error && d.Location.SourceTree == semanticModel.SyntaxTree)
            .Select(d => d.Location.SourceSpan)
            .ToArray();

    /// <summary>
    /// True when an error belongs to the method: GetDiagnostics also returns those that only touch its span, such as a
    /// stray token just before it. A missing token at its very end (an empty span there) is its own.
    /// </summary>
    private static bool Within(Microsoft.CodeAnalysis.Text.TextSpan error, Microsoft.CodeAnalysis.Text.TextSpan method)
        => error.Start >= method.Start && (error.Start < method.End || error.IsEmpty && error.Start == method.End);

    private static bool SameSignature(IMethodSymbol a, IMethodSymbol b)
        => a.Arity == b.Arity && a.Parameters.Length == b.Parameters.Length
           && a.Parameters.Zip(b.Parameters, (p, q) => p.RefKind == q.RefKind && SymbolEqualityComparer.Default.Equals(p.Type, q.Type)).All(same => same);
}
