using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator.Analysis;

/// <summary>
/// A method that calls generated derivatives (<c>GGradient</c> ...) does not bind in the compilation the generator sees,
/// which lacks its own output. The generator then adds the files it generates for those <c>G</c>s to a copy of the
/// compilation and analyses the method there: the same code the analyzer sees once the files exist.
/// </summary>
internal static class GeneratedStubs
{
    /// <summary>How deep the generated files of callees that call generated derivatives themselves are followed.</summary>
    private const int MaxDepth = 4;

    [System.ThreadStatic] private static int depth;

    /// <summary>
    /// The method and its semantic model in a compilation with the generated files it calls; null when it calls none. The
    /// calls may be in the method or in a single-expression method it calls (lowering inlines those).
    /// </summary>
    public static (IMethodSymbol Method, SemanticModel Model)? Augment(MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (depth >= MaxDepth) return null;
        var originals = new List<IMethodSymbol>();
        Collect(syntax, semanticModel, originals, new HashSet<SyntaxNode>(), cancellationToken);
        if (originals.Count == 0) return null;

        var compilation = semanticModel.Compilation;
        var trees = new List<SyntaxTree>();
        var options = (CSharpParseOptions)syntax.SyntaxTree.Options;
        depth++;
        try
        {
            foreach (var original in originals)
            {
                if (MethodAnalysis.DeclarationIn(original, compilation, cancellationToken) is not { } declaration) continue;
                var model = MethodAnalysis.Analyze(original, declaration, compilation.GetSemanticModel(declaration.SyntaxTree), cancellationToken).Model;
                if (model is null) continue;
                trees.Add(CSharpSyntaxTree.ParseText(DerivativeFileEmitter.Emit(model, Differentiator.Run(model, secondOrder: true)), options, path: model.HintName, cancellationToken: cancellationToken));
            }
        }
        finally
        {
            depth--;
        }
        if (trees.Count == 0) return null;
        var augmented = compilation.AddSyntaxTrees(trees);
        var augmentedModel = augmented.GetSemanticModel(syntax.SyntaxTree);
        return augmentedModel.GetDeclaredSymbol(syntax, cancellationToken) is { } method ? (method, augmentedModel) : null;
    }

    /// <summary>
    /// Adds the [Differentiable] methods whose generated derivatives <paramref name="node"/> calls without their binding,
    /// and follows the calls into single-expression methods of this compilation, which lowering inlines.
    /// </summary>
    private static void Collect(SyntaxNode node, SemanticModel semanticModel, List<IMethodSymbol> originals, HashSet<SyntaxNode> visited,
        CancellationToken cancellationToken)
    {
        if (!visited.Add(node) || visited.Count > 32) return;
        foreach (var invocation in node.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            var (name, receiver) = invocation.Expression switch
            {
                IdentifierNameSyntax identifier => (identifier.Identifier.ValueText, (ExpressionSyntax?)null),
                MemberAccessExpressionSyntax { Name: IdentifierNameSyntax member } access => (member.Identifier.ValueText, access.Expression),
                _ => (null, null),
            };
            if (name is null) continue;
            if (semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol callee)
            {
                // A method lowering would inline: its calls count as the caller's.
                if (!TypeMapping.IsDifferentiable(callee) && callee.DeclaringSyntaxReferences.Length == 1
                    && callee.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is BaseMethodDeclarationSyntax { ExpressionBody: { } body }
                    && semanticModel.Compilation.ContainsSyntaxTree(body.SyntaxTree))
                {
                    var bodyModel = body.SyntaxTree == semanticModel.SyntaxTree ? semanticModel : semanticModel.Compilation.GetSemanticModel(body.SyntaxTree);
                    Collect(body, bodyModel, originals, visited, cancellationToken);
                }
                continue;
            }
            var suffix = DerivativeKinds.Callable.Select(k => k.Suffix()).FirstOrDefault(s => name.Length > s.Length && name.EndsWith(s, System.StringComparison.Ordinal));
            if (suffix is null) continue;
            var originalName = name.Substring(0, name.Length - suffix.Length);
            IEnumerable<ISymbol> candidates = receiver is null
                ? semanticModel.LookupSymbols(invocation.SpanStart, name: originalName)
                : semanticModel.GetSymbolInfo(receiver, cancellationToken).Symbol is INamedTypeSymbol type ? type.GetMembers(originalName) : Enumerable.Empty<ISymbol>();
            foreach (var candidate in candidates.OfType<IMethodSymbol>())
            {
                if (TypeMapping.IsDifferentiable(candidate) && !originals.Contains(candidate, SymbolEqualityComparer.Default)) originals.Add(candidate);
            }
        }
    }
}
