using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Generator.Lowering;

internal static class TypeMapping
{
    public const string DifferentiableAttributeName = "AutoDiff.DifferentiableAttribute";
    public const string CustomDerivativeAttributeName = "AutoDiff.CustomDerivativeAttribute";
    public const string NoDerivativeAttributeName = "AutoDiff.NoDerivativeAttribute";
    public const string StopDerivativeClassName = "AutoDiff.Ad";

    public static bool HasNoDerivative(IParameterSymbol parameter)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == NoDerivativeAttributeName) return true;
        }
        return false;
    }

    /// <summary>The IR type of a Roslyn type, or null when the IR has none for it.</summary>
    public static IrType? ToIr(ITypeSymbol? type)
    {
        switch (type)
        {
            case IArrayTypeSymbol { Rank: 1 or 2 } array when ToIr(array.ElementType) is { Shape: TypeShape.Scalar } element:
                return element.WithShape(array.Rank == 1 ? TypeShape.Array : TypeShape.Matrix);
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                when named.ContainingNamespace?.ToDisplayString() == "System" && named.Name is "Span" or "ReadOnlySpan"
                     && ToIr(named.TypeArguments[0]) is { Shape: TypeShape.Scalar } spanElement:
                return spanElement.WithShape(named.Name == "Span" ? TypeShape.Span : TypeShape.ReadOnlySpan);
        }
        return type?.SpecialType switch
        {
            SpecialType.System_Double => IrType.Double,
            SpecialType.System_Single => IrType.Single,
            SpecialType.System_Int32 => IrType.Int32,
            SpecialType.System_Int64 => IrType.Int64,
            SpecialType.System_Boolean => IrType.Boolean,
            _ => null,
        };
    }

    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>An identifier as C# source needs it: keywords get an '@'.</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The C# keyword of a parameter's ref kind ("ref", "out", "in", "ref readonly").</summary>
    public static string RefKindKeyword(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref",
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => "ref readonly",
    };

    /// <summary>
    /// True for a <c>[Differentiable]</c> or <c>[CustomDerivative]</c> method that gets derivatives. A <c>[Differentiable]</c>
    /// method of integers only (<see cref="ComputesIntegersOnly"/>) does not: there is nothing to differentiate.
    /// </summary>
    public static bool IsDifferentiable(IMethodSymbol method)
        => (HasAttribute(method, DifferentiableAttributeName) && !ComputesIntegersOnly(method)) || IsCustomDerivative(method);

    /// <summary>
    /// True for a method whose parameters and result are all <c>int</c>, <c>long</c> or <c>bool</c> (an index formula,
    /// <c>int T(int i, int j)</c>): marked <c>[Differentiable]</c>, it gets no derivatives and no error, and calls to it
    /// are plain calls, as they are without the mark.
    /// </summary>
    public static bool ComputesIntegersOnly(IMethodSymbol method)
        => IsIntegerOrBool(method.ReturnType) && method.Parameters.All(p => p.RefKind == RefKind.None && IsIntegerOrBool(p.Type));

    private static bool IsIntegerOrBool(ITypeSymbol type) => ToIr(type) is { IsInteger: true } or { Kind: ScalarKind.Boolean, Shape: TypeShape.Scalar };

    public static bool IsCustomDerivative(IMethodSymbol method) => HasAttribute(method, CustomDerivativeAttributeName);

    /// <summary>
    /// True when a <c>[CustomDerivative]</c> method's type also declares the optional value-free rule <c>FReverse</c>: static,
    /// returning void, with <c>FBackward</c>'s parameters (the method's, the seed, one adjoint per differentiable parameter)
    /// and at least the method's accessibility. Generated callers then call it instead of <c>FBackward</c>.
    /// </summary>
    public static bool HasValueFreeRule(IMethodSymbol method, int differentiableParameters)
        => IsCustomDerivative(method) && HasVoidMethod(method, DerivativeKind.Reverse.Suffix(), method.Parameters.Length + 1 + differentiableParameters);

    /// <summary>
    /// True when the type also declares <c>FReverseTangent</c>: <c>FBackwardTangent</c>'s parameters without
    /// <c>out resultTangent</c>, returning void. Second-order derivatives of callers then call it instead of <c>FBackwardTangent</c>.
    /// </summary>
    public static bool HasValueFreeTangentRule(IMethodSymbol method, EquatableArray<IrParameter> parameters)
    {
        var pullback = DerivativeSignatures.PullbackOf(new IrMethodRef("", method.Name, true, parameters), IrType.Double);
        int expected = pullback.Parameters.Count + pullback.Parameters.Count(DerivativeSignatures.HasTangent);
        return HasVoidMethod(method, DerivativeKind.Reverse.Suffix() + DerivativeKind.Tangent.Suffix(), expected);
    }

    /// <summary>
    /// True when callers can use the split pullback <c>FForward</c> / <c>FReverse</c> of a generated <c>[Differentiable]</c>
    /// method: every method of this compilation gets one; a method of another assembly has one when that assembly was
    /// built by a generator that writes them (its metadata shows <c>FForward</c>).
    /// </summary>
    /// <remarks>
    /// A callee of this compilation decides for itself whether keeping its values pays (otherwise its <c>FForward</c> and
    /// <c>FReverse</c> call F and FBackward); callers skip the split form, and the tape it needs, for callees whose text has
    /// no loop, no call and no transcendental <c>Math</c> function, which never pay.
    /// </remarks>
    public static bool HasSplitPullback(IMethodSymbol method)
        => HasAttribute(method, DifferentiableAttributeName) && !IsCustomDerivative(method) && method.IsStatic
            && (method.DeclaringSyntaxReferences.Length > 0
                ? (method.PartialImplementationPart ?? method).DeclaringSyntaxReferences.Any(r => MayBeWorthSplitting(r.GetSyntax()))
                : method.ContainingType.GetMembers(method.Name + DerivativeKind.Forward.Suffix()).OfType<IMethodSymbol>().Any(m => m.IsStatic));

    private static readonly string[] CheapMathFunctions = { "Abs", "Max", "Min", "Clamp", "Floor", "Ceiling", "Round", "Truncate", "Sign", "Sqrt" };

    private static bool MayBeWorthSplitting(SyntaxNode declaration)
    {
        foreach (var node in declaration.DescendantNodes())
        {
            switch (node)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.CommonForEachStatementSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.WhileStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.DoStatementSyntax:
                    return true;
                case Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax invocation:
                    if (invocation.Expression is not Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Expression: var receiver, Name: var name }
                        || receiver.ToString() is not ("Math" or "MathF" or "System.Math" or "System.MathF")
                        || !CheapMathFunctions.Contains(name.Identifier.ValueText))
                    {
                        return true;
                    }
                    break;
            }
        }
        return false;
    }

    private static bool HasVoidMethod(IMethodSymbol method, string suffix, int parameterCount)
        => method.ContainingType.GetMembers(method.Name + suffix).OfType<IMethodSymbol>()
            .Any(m => m.IsStatic && m.ReturnsVoid && m.Parameters.Length == parameterCount && !m.IsGenericMethod
                && (m.DeclaredAccessibility == Accessibility.Public || m.DeclaredAccessibility == method.DeclaredAccessibility));

    /// <summary>The method a [CustomDerivative(typeof(T), "Name")] forwarder stands for: its type and name, or null.</summary>
    public static (INamedTypeSymbol Type, string Name)? CustomDerivativeTarget(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != CustomDerivativeAttributeName || attribute.ConstructorArguments.Length != 2) continue;
            if (attribute.ConstructorArguments[0].Value is INamedTypeSymbol type && attribute.ConstructorArguments[1].Value is string name) return (type, name);
        }
        return null;
    }

    /// <summary>A [CustomDerivative] forwarder in this compilation that stands for <paramref name="method"/>, if any.</summary>
    public static IMethodSymbol? RegisteredForwarder(IMethodSymbol method, Compilation compilation)
    {
        // A forwarder has the name of the method it stands for, so the compilation's name index finds it.
        foreach (var symbol in compilation.GetSymbolsWithName(method.Name, SymbolFilter.Member))
        {
            if (symbol is not IMethodSymbol forwarder || !forwarder.IsStatic || CustomDerivativeTarget(forwarder) is not { } target) continue;
            if (target.Name != method.Name || !SymbolEqualityComparer.Default.Equals(target.Type, method.ContainingType)) continue;
            if (forwarder.Parameters.Length != method.Parameters.Length) continue;
            bool same = true;
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                same &= SymbolEqualityComparer.Default.Equals(forwarder.Parameters[i].Type, method.Parameters[i].Type);
            }
            if (same && SymbolEqualityComparer.Default.Equals(forwarder.ReturnType, method.ReturnType)) return forwarder;
        }
        return null;
    }

    private static bool HasAttribute(IMethodSymbol method, string name)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == name) return true;
        }
        return false;
    }
}
