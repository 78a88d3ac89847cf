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

namespace AutoDiff.CodeFixes;

/// <summary>ADIFF001: adds the <c>partial</c> modifier to the type the diagnostic names.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the fix (one for every type, so that Fix All makes them all partial).</summary>
    public const string EquivalenceKey = "AutoDiff.MakePartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ContainingTypeNotPartial.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (TypeAt(root, diagnostic) is not { } type) continue;
            context.RegisterCodeFix(
                CodeAction.Create($"Make '{type.Identifier.ValueText}' partial",
                    cancellationToken => MakePartialAsync(context.Document, diagnostic, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    private static TypeDeclarationSyntax? TypeAt(SyntaxNode root, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        var type = root.FindToken(span.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        return type is not null && type.Identifier.Span == span && !type.Modifiers.Any(SyntaxKind.PartialKeyword) ? type : null;
    }

    private static async Task<Document> MakePartialAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || TypeAt(root, diagnostic) is not { } type) return document;
        return document.WithSyntaxRoot(root.ReplaceNode(type, WithPartial(type)));
    }

    /// <summary>The type with <c>partial</c> as its last modifier (C# wants it just before the keyword:
    /// <c>public static partial class</c>, <c>readonly ref partial struct</c>); the declaration's trivia stays where it was.</summary>
    private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax type)
    {
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count > 0) return type.WithModifiers(type.Modifiers.Add(partial));
        // No modifiers: the leading trivia (comments, indentation) moves from the keyword to 'partial'.
        var keyword = type.Keyword;
        return type
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
