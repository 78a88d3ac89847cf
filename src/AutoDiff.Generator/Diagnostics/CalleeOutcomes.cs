using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Analysis;
using AutoDiff.Generator.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator.Diagnostics;

/// <summary>
/// For one compilation, the analysis of each [Differentiable] method, made once whether the analyzer reaches the method
/// itself or through a call to it. It answers, for each call, whether an error down the chain of calls keeps the callee
/// from getting derivatives (ADIFF011), and where.
/// </summary>
internal sealed class CalleeOutcomes
{
    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<MethodAnalysisResult?>> analyses = new(SymbolEqualityComparer.Default);

    public CalleeOutcomes(Compilation compilation) => this.compilation = compilation;

    /// <summary>
    /// The analysis of <paramref name="method"/> (declared by <paramref name="syntax"/>), made now or taken from an
    /// earlier call; a failure of the analysis itself comes back as ADIFF900 among its diagnostics.
    /// </summary>
    public MethodAnalysisResult Analyze(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
        => analyses.GetOrAdd(KeyOf(method), _ => new Lazy<MethodAnalysisResult?>(() => Run(method, syntax, semanticModel, cancellationToken))).Value!;

    /// <summary>
    /// The chain that keeps <paramref name="callee"/> from getting derivatives: the calls after it, ending at the first
    /// method with an error of its own, why it fails and where; null when its derivatives are generated.
    /// </summary>
    public (IReadOnlyList<(IMethodSymbol Method, Location Call)> Path, IMethodSymbol Failing, string Reason, Location ErrorLocation)? BlockingChain(
        IMethodSymbol callee, CancellationToken cancellationToken)
    {
        // Breadth first, so the shortest chain is shown; a visited set stops at recursion.
        var start = callee.OriginalDefinition;
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { start };
        var queue = new Queue<(IMethodSymbol Method, List<(IMethodSymbol, Location)> Path)>();
        queue.Enqueue((start, new List<(IMethodSymbol, Location)>()));
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (method, path) = queue.Dequeue();
            if (AnalyzeCallee(method, cancellationToken) is not { } result) continue;
            if (result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error) return (path, method, $"error {error.Id}", error.Location);
            if (result.DoesNotCompile && method.Locations.FirstOrDefault(l => l.IsInSource) is { } declaration)
            {
                return (path, method, "errors from the compiler", declaration);
            }
            foreach (var call in result.SourceCalls)
            {
                var next = call.Callee.OriginalDefinition;
                if (!visited.Add(next)) continue;
                queue.Enqueue((next, new List<(IMethodSymbol, Location)>(path) { (next, call.Location) }));
            }
        }
        return null;
    }

    /// <summary>The analysis of a callee, found from its symbol; null when its source is not in this compilation.</summary>
    public MethodAnalysisResult? AnalyzeCallee(IMethodSymbol method, CancellationToken cancellationToken)
        => analyses.GetOrAdd(KeyOf(method), m => new Lazy<MethodAnalysisResult?>(() =>
        {
            if (MethodAnalysis.DeclarationIn(m, compilation, cancellationToken) is not { } syntax) return null;
            return Run(m, syntax, compilation.GetSemanticModel(syntax.SyntaxTree), cancellationToken);
        })).Value;

    /// <summary>A method's entry: its definition, and for a partial method its defining part (which calls bind to).</summary>
    private static IMethodSymbol KeyOf(IMethodSymbol method) => method.OriginalDefinition.PartialDefinitionPart ?? method.OriginalDefinition;

    private static MethodAnalysisResult Run(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        try
        {
            return MethodAnalysis.Analyze(method, syntax, semanticModel, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The generator skips the method in this case too (it catches the same failure).
            return new MethodAnalysisResult(null, new[]
            {
                Diagnostic.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), method.Name, exception.Message),
            });
        }
    }
}
