using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// Which parameters a <c>[Differentiable]</c> method of this compilation writes into: <c>Span&lt;T&gt;</c> outputs of a
/// vector-valued method (results to its callers, their contents on entry inputs), <c>int[]</c>, <c>long[]</c> and
/// <c>bool[]</c> index scratch (whose contents a caller keeps and restores around the call), and <c>double[]</c> or
/// <c>float[]</c> inputs updated in place. A parameter is written when the body assigns one of its elements (<c>=</c>, a
/// compound assignment, <c>++</c>) or passes it on to a parameter that its own callee writes, directly, as a slice
/// (<c>s.Slice(i, b)</c>, <c>s.AsSpan(i, b)</c>, <c>s[i..j]</c>) or through a span local viewing it. The method's own analysis
/// finds the same set from its IR (<see cref="IR.Ir.ElementWriteTargets"/>); this finds it from the callee's source, so
/// that a caller can be lowered without the callee's model.
/// </summary>
internal static class WrittenParameters
{
    private static readonly PerCompilation<IMethodSymbol, bool[]> Cache = new(SymbolEqualityComparer.Default);

    /// <summary>For each parameter of <paramref name="method"/>, in order: whether it is a span or array the method writes.</summary>
    public static bool[] Of(IMethodSymbol method, Compilation compilation)
        => Find(method.OriginalDefinition, compilation, new Dictionary<IMethodSymbol, bool[]>(SymbolEqualityComparer.Default),
            new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

    /// <summary>
    /// What <paramref name="method"/> writes, from the cache or from its body. A callee already being worked out further up
    /// (recursion) is taken at what it is known to write so far (<paramref name="inProgress"/>), and is added to
    /// <paramref name="assumed"/>; a method that reaches itself so is worked out again until its answer stops growing (a
    /// recursive call may pass an array on in another parameter's place: <c>R(x, b, a)</c> inside <c>R(x, a, b)</c>). Only
    /// answers that assume nothing of a method still in progress are kept, so every method's body is walked once per
    /// compilation, however many callers reach it.
    /// </summary>
    private static bool[] Find(IMethodSymbol method, Compilation compilation, Dictionary<IMethodSymbol, bool[]> inProgress, HashSet<IMethodSymbol> assumed)
    {
        if (Cache.TryGet(compilation, method, out var known)) return known;
        if (inProgress.TryGetValue(method, out var soFar))
        {
            assumed.Add(method);
            return soFar;
        }
        inProgress[method] = new bool[method.Parameters.Length];
        while (true)
        {
            var assumedHere = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            var written = Walk(method, compilation, inProgress, assumedHere);
            if (assumedHere.Remove(method) && !written.SequenceEqual(inProgress[method]))
            {
                inProgress[method] = written;
                continue;
            }
            inProgress.Remove(method);
            if (assumedHere.Count == 0) Cache.Set(compilation, method, written);
            else assumed.UnionWith(assumedHere);
            return written;
        }
    }

    /// <summary>One pass over the method's body: the parameters it writes, its callees taken from <see cref="Find"/>.</summary>
    private static bool[] Walk(IMethodSymbol method, Compilation compilation, Dictionary<IMethodSymbol, bool[]> inProgress, HashSet<IMethodSymbol> assumed)
    {
        var written = new bool[method.Parameters.Length];
        var viewsFollowed = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        IOperation? body = null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not MethodDeclarationSyntax syntax || (syntax.Body ?? (SyntaxNode?)syntax.ExpressionBody) is null) continue;
            var model = compilation.GetSemanticModel(syntax.SyntaxTree);
            body = model.GetOperation(syntax);
            if (body is null) continue;
            foreach (var operation in body.Descendants())
            {
                switch (operation)
                {
                    case IAssignmentOperation assignment:
                        Mark(assignment.Target);
                        break;
                    case IIncrementOrDecrementOperation increment:
                        Mark(increment.Target);
                        break;
                    case IInvocationOperation invocation when TypeMapping.IsDifferentiable(invocation.TargetMethod):
                        var calleeWrites = invocation.TargetMethod.DeclaringSyntaxReferences.Length > 0
                            ? Find(invocation.TargetMethod.OriginalDefinition, compilation, inProgress, assumed)
                            : new bool[invocation.TargetMethod.Parameters.Length];
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Parameter is { } parameter && parameter.Ordinal < calleeWrites.Length && calleeWrites[parameter.Ordinal]) MarkParameter(argument.Value);
                        }
                        break;
                }
            }
        }
        return written;

        // The values a span local is declared with and assigned in the body being walked.
        IEnumerable<IOperation> ValuesOf(ILocalSymbol local)
        {
            if (body is null) yield break;
            foreach (var operation in body.Descendants())
            {
                if (operation is IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local)) yield return initial;
                if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment && SymbolEqualityComparer.Default.Equals(target.Local, local)) yield return assignment.Value;
            }
        }

        void Mark(IOperation target)
        {
            if (target is IPropertyReferenceOperation { Property.IsIndexer: true } indexer) MarkParameter(indexer.Instance);
            if (target is IArrayElementReferenceOperation element) MarkParameter(element.ArrayReference);
        }

        void MarkParameter(IOperation? operation)
        {
            if (operation is null) return;
            operation = Viewed(OperationLowerer.Unwrapped(operation));
            if (operation is IParameterReferenceOperation { Parameter: { } parameter } && (IsWritableSpan(parameter.Type) || parameter.Type is IArrayTypeSymbol { Rank: 1 })
                && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, method.OriginalDefinition))
            {
                written[parameter.Ordinal] = true;
            }
            // A span local is a view: a write through it writes what it was declared (or assigned) to view.
            if (operation is ILocalReferenceOperation { Local: { } local } && IsWritableSpan(local.Type) && viewsFollowed.Add(local))
            {
                foreach (var source in ValuesOf(local)) MarkParameter(source);
            }
        }
    }

    /// <summary>What a slice views: <c>x</c> for <c>x.AsSpan(...)</c>, <c>x.Slice(...)</c> and <c>x[i..j]</c>, through any nesting (a range of an array is a copy, not a view).</summary>
    private static IOperation Viewed(IOperation operation)
    {
        while (OperationLowerer.SliceFormOf(operation) is { Copies: false } form) operation = OperationLowerer.Unwrapped(form.Source);
        return operation;
    }

    /// <summary>True for <c>int[]</c>, <c>long[]</c> and <c>bool[]</c>: arrays a method may write as index scratch.</summary>
    public static bool IsIndexArray(ITypeSymbol type)
        => type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean };

    /// <summary>True for <c>double[]</c> and <c>float[]</c>: arrays a method may update in place.</summary>
    public static bool IsFloatingPointArray(ITypeSymbol type)
        => type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single };

    /// <summary>True for <c>System.Span&lt;T&gt;</c>.</summary>
    public static bool IsWritableSpan(ITypeSymbol type)
        => type is INamedTypeSymbol { Name: "Span", Arity: 1 } named && named.ContainingNamespace?.ToDisplayString() == "System";
}
