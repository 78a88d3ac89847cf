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
/// ADIFF101, ADIFF102, ADIFF104, ADIFF003 and ADIFF008: wraps the differentiated operands the diagnostic names (its
/// <see cref="DiagnosticDescriptors.StopDerivativeSpansProperty"/> property) in <c>Ad.WithoutDerivative(...)</c>,
/// for when only their value matters.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StopDerivativeCodeFixProvider)), Shared]
public sealed class StopDerivativeCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the fix.</summary>
    public const string EquivalenceKey = "AutoDiff.StopDerivative";

    /// <summary>The title of the fix.</summary>
    public const string Title = "Stop the derivative here (Ad.WithoutDerivative)";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.IntegerCastCutsDerivative.Id,
        DiagnosticDescriptors.PiecewiseConstantFunction.Id,
        DiagnosticDescriptors.FloatEquality.Id,
        DiagnosticDescriptors.CallWithoutDerivative.Id,
        DiagnosticDescriptors.ExternalCallWithoutDerivative.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (fixAllContext, document, diagnostics) =>
        fixAllContext.CodeActionEquivalenceKey == EquivalenceKey ? await WrapAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false) : null);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Targets(root, diagnostic).Count == 0) continue;
            context.RegisterCodeFix(
                CodeAction.Create(Title, cancellationToken => WrapAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The expressions to wrap: the diagnostic's spans, each widened over parentheses that only group it (the call
    /// that replaces them groups it as well). A span that is not an expression, or is a <c>ref</c>/<c>out</c> argument,
    /// makes the fix unavailable.
    /// </summary>
    private static List<ExpressionSyntax> Targets(SyntaxNode root, Diagnostic diagnostic)
    {
        var targets = new List<ExpressionSyntax>();
        if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.StopDerivativeSpansProperty, out var value)) return targets;
        foreach (var span in FixSyntax.ParseSpans(value))
        {
            if (span.End > root.FullSpan.End) return new List<ExpressionSyntax>();
            var node = root.FindNode(span, getInnermostNodeForTie: true);
            if (node is ArgumentSyntax argument && argument.Span == span) node = argument.Expression;
            if (node is not ExpressionSyntax expression || expression.Span != span
                || expression.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None }
                || IsStopDerivative(expression))
            {
                return new List<ExpressionSyntax>();
            }
            while (expression.Parent is ParenthesizedExpressionSyntax parentheses) expression = parentheses;
            targets.Add(expression);
        }
        return targets;
    }

    private static bool IsStopDerivative(ExpressionSyntax expression)
        => expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "WithoutDerivative" } };

    private static async Task<Document> WrapAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var targets = diagnostics.SelectMany(d => Targets(root, d)).Distinct().ToList();
        if (targets.Count == 0) return document;
        // ReplaceNodes passes each target with its nested targets already wrapped.
        root = root.ReplaceNodes(targets, (_, rewritten) => Wrap(rewritten));
        return await FixSyntax.ImportAndSimplifyAsync(document.WithSyntaxRoot(root), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>Ad.WithoutDerivative(e)</c>, with the trivia that was around <c>e</c>; grouping parentheses around
    /// <c>e</c> are dropped, since an argument needs none.</summary>
    private static ExpressionSyntax Wrap(ExpressionSyntax expression)
    {
        var operand = expression;
        while (operand is ParenthesizedExpressionSyntax parentheses) operand = parentheses.Expression;
        var function = SyntaxFactory.ParseExpression("global::AutoDiff.Ad.WithoutDerivative")
            .WithAdditionalAnnotations(Simplifier.Annotation, FixSyntax.AutoDiffImport);
        return SyntaxFactory.InvocationExpression(function,
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(operand.WithoutTrivia()))))
            .WithTriviaFrom(expression);
    }
}
