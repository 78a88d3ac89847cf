using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator.Diagnostics;

/// <summary>
/// For one compilation, whether each [Differentiable] method analysed so far has errors of its own and which
/// [Differentiable] methods of the compilation it calls. The analyzer asks it, for each call, whether an error down the
/// chain of calls keeps the callee from getting derivatives (ADIFF011), and where.
/// </summary>
internal sealed class CalleeOutcomes
{
    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<Outcome>> outcomes = new(SymbolEqualityComparer.Default);

    public CalleeOutcomes(Compilation compilation) => this.compilation = compilation;

    /// <summary>A method's own first error (null when it has none) and its calls to [Differentiable] methods of the compilation.</summary>
    internal sealed record Outcome(Diagnostic? FirstError, IReadOnlyList<SourceCall> Calls)
    {
        /// <summary>Where the method is declared, when the compiler rejects it (it then has no error of AutoDiff's).</summary>
        public Location? DoesNotCompileAt { get; init; }
    }

    /// <summary>Records the analysis the analyzer has just made of a method, so that callers need not repeat it.</summary>
    public void Record(IMethodSymbol method, MethodAnalysisResult result)
        => outcomes.TryAdd(method.OriginalDefinition, new Lazy<Outcome>(() => OutcomeOf(result, method.Locations.FirstOrDefault(l => l.IsInSource))));

    /// <summary>
    /// The chain that keeps <paramref name="callee"/> from getting derivatives: the calls after it, ending at the first
    /// method with an error of its own, and that error; null when its derivatives are generated.
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
            var outcome = Get(method, cancellationToken);
            if (outcome.FirstError is { } error) return (path, method, $"error {error.Id}", error.Location);
            if (outcome.DoesNotCompileAt is { } declaration) return (path, method, "errors from the compiler", declaration);
            foreach (var call in outcome.Calls)
            {
                var next = call.Callee.OriginalDefinition;
                if (!visited.Add(next)) continue;
                queue.Enqueue((next, new List<(IMethodSymbol, Location)>(path) { (next, call.Location) }));
            }
        }
        return null;
    }

    private Outcome Get(IMethodSymbol method, CancellationToken cancellationToken)
        => outcomes.GetOrAdd(method, m => new Lazy<Outcome>(() => Analyze(m, cancellationToken))).Value;

    private Outcome Analyze(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax
            || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return new Outcome(null, Array.Empty<SourceCall>());
        }
        try
        {
            var semanticModel = compilation.GetSemanticModel(syntax.SyntaxTree);
            return OutcomeOf(MethodAnalysis.Analyze(method, syntax, semanticModel, verifyEmission: true, cancellationToken), syntax.Identifier.GetLocation());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new Outcome(Diagnostic.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), method.Name, exception.Message),
                Array.Empty<SourceCall>());
        }
    }

    private static Outcome OutcomeOf(MethodAnalysisResult result, Location? declaration)
        => new(result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error), result.SourceCalls)
        {
            DoesNotCompileAt = result.DoesNotCompile ? declaration : null,
        };
}
