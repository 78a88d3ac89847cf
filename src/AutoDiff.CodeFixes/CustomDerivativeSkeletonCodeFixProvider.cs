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

namespace AutoDiff.CodeFixes;

/// <summary>
/// ADIFF007 and ADIFF008: inserts the custom-derivative skeleton the diagnostic carries (its
/// <see cref="DiagnosticDescriptors.SkeletonProperty"/> property): for ADIFF007 the missing rules, after the
/// [CustomDerivative] method and the rules it already has; for ADIFF008 a [CustomDerivative] forwarder for the external
/// method with its rules, at the end of the calling method's type. The rules' bodies throw until they are written.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CustomDerivativeSkeletonCodeFixProvider)), Shared]
public sealed class CustomDerivativeSkeletonCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the fix.</summary>
    public const string EquivalenceKey = "AutoDiff.AddCustomDerivativeSkeleton";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.CustomRuleMismatch.Id,
        DiagnosticDescriptors.ExternalCallWithoutDerivative.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (fixAllContext, document, diagnostics) =>
        fixAllContext.CodeActionEquivalenceKey == EquivalenceKey ? await InsertAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false) : null);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, diagnostic) is not { } plan) continue;
            var names = plan.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).ToList();
            var title = diagnostic.Id == DiagnosticDescriptors.ExternalCallWithoutDerivative.Id
                ? $"Add a [CustomDerivative] forwarder '{names[0]}' with skeletons of its rules"
                : $"Add a skeleton of {string.Join(" and ", names.Select(n => $"'{n}'"))}";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => InsertAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>Where a diagnostic's skeleton goes and what it holds; null when it has none or it does not parse.</summary>
    private sealed class Insertion
    {
        public Insertion(TypeDeclarationSyntax type, MemberDeclarationSyntax? after, string text, IReadOnlyList<MemberDeclarationSyntax> members)
        {
            Type = type;
            After = after;
            Text = text;
            Members = members;
        }

        /// <summary>The type that receives the members.</summary>
        public TypeDeclarationSyntax Type { get; }

        /// <summary>The member they follow, or null for the end of the type.</summary>
        public MemberDeclarationSyntax? After { get; }

        /// <summary>The skeleton as the diagnostic gave it (to insert the same skeleton once).</summary>
        public string Text { get; }

        /// <summary>The parsed members.</summary>
        public IReadOnlyList<MemberDeclarationSyntax> Members { get; }
    }

    private static Insertion? Plan(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SkeletonProperty, out var skeleton) || string.IsNullOrWhiteSpace(skeleton)) return null;
        var members = Parse(skeleton!, FixSyntax.NewLine(root));
        if (members is null) return null;
        var span = diagnostic.Location.SourceSpan;
        if (span.End > root.FullSpan.End) return null;
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        if (diagnostic.Id == DiagnosticDescriptors.CustomRuleMismatch.Id)
        {
            // At the [CustomDerivative] method's name: after the method and the rules of it that follow it, so that
            // rules added one at a time end up in the same order as rules added together.
            if (node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is not { } method
                || method.Identifier.Span != span || method.Parent is not TypeDeclarationSyntax type)
            {
                return null;
            }
            var rules = new[] { "Backward", "Tangent", "BackwardTangent" }.Select(suffix => method.Identifier.ValueText + suffix).ToList();
            int index = type.Members.IndexOf(method);
            while (index + 1 < type.Members.Count && type.Members[index + 1] is MethodDeclarationSyntax next && rules.Contains(next.Identifier.ValueText))
            {
                index++;
            }
            return new Insertion(type, type.Members[index], skeleton!, members);
        }
        // ADIFF008, at the call: the end of the type that declares the calling method.
        var caller = node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        return caller is null ? null : new Insertion(caller, null, skeleton!, members);
    }

    /// <summary>The members of a skeleton, with the document's line breaks; null if it does not parse as members.</summary>
    private static IReadOnlyList<MemberDeclarationSyntax>? Parse(string skeleton, string newLine)
    {
        var text = skeleton.Replace("\r\n", "\n").Replace("\n", newLine);
        var unit = SyntaxFactory.ParseCompilationUnit("class __Skeleton" + newLine + "{" + newLine + text + newLine + "}" + newLine);
        if (unit.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            || unit.Members.Count != 1 || unit.Members[0] is not ClassDeclarationSyntax holder || holder.Members.Count == 0)
        {
            return null;
        }
        return holder.Members;
    }

    private static async Task<Document> InsertAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var newLine = FixSyntax.NewLine(root);
        // The same skeleton twice (two calls of one external method) is inserted once.
        var insertions = diagnostics.Select(d => Plan(root, d)).OfType<Insertion>()
            .GroupBy(i => (i.Type, i.After, i.Text)).Select(g => g.First()).ToList();
        if (insertions.Count == 0) return document;
        root = root.ReplaceNodes(insertions.Select(i => i.Type).Distinct(), (original, rewritten) =>
        {
            var members = rewritten.Members;
            // Latest position first, so that earlier indices stay valid; insertions at one position keep their order.
            foreach (var group in insertions.Where(i => i.Type == original)
                .GroupBy(i => i.After is null ? original.Members.Count : original.Members.IndexOf(i.After) + 1)
                .OrderByDescending(g => g.Key))
            {
                var added = group.SelectMany(i => i.Members).Select(m => Prepare(m, newLine));
                members = members.InsertRange(group.Key, added);
            }
            return rewritten.WithMembers(members);
        });
        document = document.WithSyntaxRoot(root);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await FixSyntax.FormatAsync(document, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A member to insert: one blank line before it (instead of the skeleton's own), its names shortened where
    /// the document's usings allow, and indented by the formatter.</summary>
    private static MemberDeclarationSyntax Prepare(MemberDeclarationSyntax member, string newLine)
    {
        var leading = member.GetLeadingTrivia()
            .SkipWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia));
        return member
            .WithLeadingTrivia(SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(newLine)).AddRange(leading))
            .WithAdditionalAnnotations(Simplifier.Annotation, FixSyntax.Format);
    }
}
