using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.CodeFixes;

/// <summary>
/// ADIFF003: marks the called method <c>[Differentiable]</c>. The diagnostic's first additional location is the callee's
/// name in its declaration, which may be in another document: the fix changes the solution.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddDifferentiableCodeFixProvider)), Shared]
public sealed class AddDifferentiableCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the fix.</summary>
    public const string EquivalenceKey = "AutoDiff.AddDifferentiable";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.CallWithoutDerivative.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAll.Instance;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var solution = context.Document.Project.Solution;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Callee(solution, diagnostic) is not { } callee) continue;
            var root = await callee.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || MethodAt(root, callee.Span) is not { } method) continue;
            context.RegisterCodeFix(
                CodeAction.Create($"Mark '{method.Identifier.ValueText}' [Differentiable]",
                    cancellationToken => MarkAsync(solution, new[] { callee }, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The document and span of the callee's name, from the diagnostic's first additional location.</summary>
    private static (Document Document, TextSpan Span)? Callee(Solution solution, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0) return null;
        var location = diagnostic.AdditionalLocations[0];
        if (!location.IsInSource || solution.GetDocument(location.SourceTree) is not { } document) return null;
        return (document, location.SourceSpan);
    }

    private static MethodDeclarationSyntax? MethodAt(SyntaxNode root, TextSpan identifier)
    {
        var method = root.FindToken(identifier.Start).Parent as MethodDeclarationSyntax;
        return method is not null && method.Identifier.Span == identifier ? method : null;
    }

    /// <summary>Adds the attribute to each callee (once, however many calls lead to it).</summary>
    private static async Task<Solution> MarkAsync(Solution solution, IEnumerable<(Document Document, TextSpan Span)> callees, CancellationToken cancellationToken)
    {
        foreach (var group in callees.GroupBy(c => c.Document.Id))
        {
            var document = solution.GetDocument(group.Key);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (document is null || root is null) continue;
            var methods = group.Select(c => MethodAt(root, c.Span)).OfType<MethodDeclarationSyntax>().Distinct().ToList();
            if (methods.Count == 0) continue;
            var newLine = FixSyntax.NewLine(root);
            root = root.ReplaceNodes(methods, (_, method) => WithAttribute(method, newLine));
            document = await FixSyntax.ImportAndSimplifyAsync(document.WithSyntaxRoot(root), cancellationToken).ConfigureAwait(false);
            solution = document.Project.Solution;
        }
        return solution;
    }

    /// <summary>The method with <c>[Differentiable]</c> as its first attribute, on a line of its own above the rest of
    /// the declaration; documentation comments stay above it.</summary>
    private static MethodDeclarationSyntax WithAttribute(MethodDeclarationSyntax method, string newLine)
    {
        var name = SyntaxFactory.ParseName("global::AutoDiff.Differentiable").WithAdditionalAnnotations(Simplifier.Annotation, FixSyntax.AutoDiffImport);
        var leading = method.GetLeadingTrivia();
        // The indentation of the declaration's first line: the whitespace after the last line break of its trivia.
        int lastLineStart = leading.Count;
        while (lastLineStart > 0 && !leading[lastLineStart - 1].IsKind(SyntaxKind.EndOfLineTrivia) && !leading[lastLineStart - 1].HasStructure)
        {
            lastLineStart--;
        }
        var indentation = SyntaxFactory.TriviaList(leading.Skip(lastLineStart).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));
        var rest = method.WithLeadingTrivia(indentation);
        return rest.WithAttributeLists(rest.AttributeLists.Insert(0, attribute));
    }

    /// <summary>Marks every callee that the diagnostics in the scope lead to, across documents.</summary>
    private sealed class FixAll : FixAllProvider
    {
        public static readonly FixAll Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            if (fixAllContext.CodeActionEquivalenceKey != EquivalenceKey) return null;
            var diagnostics = new List<Diagnostic>();
            var projects = fixAllContext.Scope switch
            {
                FixAllScope.Solution => fixAllContext.Solution.Projects,
                _ => new[] { fixAllContext.Project },
            };
            foreach (var project in projects)
            {
                var documents = fixAllContext.Scope == FixAllScope.Document && fixAllContext.Document is { } only ? new[] { only } : project.Documents;
                foreach (var document in documents)
                {
                    diagnostics.AddRange(await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false));
                }
            }
            var solution = fixAllContext.Solution;
            var callees = diagnostics.Where(d => d.Id == DiagnosticDescriptors.CallWithoutDerivative.Id)
                .Select(d => Callee(solution, d)).OfType<(Document Document, TextSpan Span)>()
                .ToList();
            if (callees.Count == 0) return null;
            return CodeAction.Create("Mark the called methods [Differentiable]",
                cancellationToken => MarkAsync(solution, callees, cancellationToken), EquivalenceKey);
        }
    }
}
