using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator.Analysis;

/// <summary>
/// ADIFF013: a member the generator would write for a method has the name and parameter types of a member already in
/// the type, one the user wrote (<c>LGradient(double)</c> beside <c>[Differentiable] L(double)</c>) or one generated for
/// an overload (<c>L(double w, double b)</c> and <c>L(double w, [NoDerivative] double lr, [NoDerivative] double lambda)</c>
/// both get <c>LTangent(double, double, double, double)</c>). The generated file would not compile (CS0111), and a
/// compilation with errors hides every other diagnostic of the project, so such a method gets no file at all.
/// </summary>
/// <remarks>
/// The members compared are those the emitter actually writes: the method's file is emitted and its declarations parsed.
/// That costs an emission only for methods that have a user member named after them with a capitalised suffix, or a
/// <c>[Differentiable]</c> overload; every other method returns at once.
/// </remarks>
internal static class MemberCollisions
{
    /// <summary>Set while the overloads of a method are analysed, so that their own checks do not analyse it back.</summary>
    [ThreadStatic] private static bool checkingOverloads;

    /// <summary>
    /// The ADIFF013 diagnostics of <paramref name="method"/>, whose generated file <paramref name="emitted"/> gives (called
    /// only when some member could collide); empty when nothing collides.
    /// </summary>
    public static List<Diagnostic> Find(IMethodSymbol method, Func<string> emitted, Location identifier, Compilation compilation,
        CancellationToken cancellationToken)
    {
        var found = new List<Diagnostic>();
        var name = method.Name;
        var userMembers = NamesStartingWith(compilation, method.ContainingType, name)
            .Where(memberName => MayBeGeneratedName(memberName, name))
            .SelectMany(memberName => method.ContainingType.GetMembers(memberName).OfType<IMethodSymbol>())
            .Where(m => !IsGenerated(m))
            .ToList();
        var overloads = checkingOverloads
            ? new List<IMethodSymbol>()
            : method.ContainingType.GetMembers(name).OfType<IMethodSymbol>()
                .Where(m => !IsPartOf(m, method) && TypeMapping.IsDifferentiable(m))
                .ToList();
        if (userMembers.Count == 0 && overloads.Count == 0) return found;

        var generated = GeneratedSignatures(emitted(), cancellationToken);
        foreach (var member in userMembers)
        {
            var key = Key(member);
            if (!generated.Contains(key)) continue;
            found.Add(Diagnostic.Create(DiagnosticDescriptors.GeneratedMemberCollision, identifier, member.Locations.Where(l => l.IsInSource),
                method.Name, Display(key), $"'{member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is declared in '{method.ContainingType.Name}' already",
                $"rename '{member.Name}' or '{method.Name}'"));
        }

        checkingOverloads = true;
        try
        {
            foreach (var overload in overloads)
            {
                if (MethodAnalysis.DeclarationIn(overload, compilation, cancellationToken) is not { } declaration) continue;
                var other = MethodAnalysis.Analyze(overload, declaration, compilation.GetSemanticModel(declaration.SyntaxTree), cancellationToken).Model;
                if (other is null) continue;
                var shared = GeneratedSignatures(DerivativeFileEmitter.Emit(other, Differentiator.Run(other, secondOrder: true)), cancellationToken).Intersect(generated).OrderBy(k => k, StringComparer.Ordinal).ToList();
                if (shared.Count == 0) continue;
                found.Add(Diagnostic.Create(DiagnosticDescriptors.GeneratedMemberCollision, identifier, overload.Locations.Where(l => l.IsInSource),
                    method.Name, Display(shared[0]), $"the overload '{overload.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' gets one too",
                    $"rename one of the overloads (their derivatives differ only in parameters that [NoDerivative] leaves out)"));
            }
        }
        finally
        {
            checkingOverloads = false;
        }
        return found;
    }

    /// <summary>
    /// The names of the type's members that start with <paramref name="prefix"/>, in ordinal order: the type's names are
    /// sorted once per compilation, so that a type of many methods is not walked for each of them.
    /// </summary>
    private static IEnumerable<string> NamesStartingWith(Compilation compilation, INamedTypeSymbol type, string prefix)
    {
        var names = SortedMemberNames.Get(compilation, type, t => t.MemberNames.OrderBy(n => n, StringComparer.Ordinal).ToArray());
        int low = 0, high = names.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (string.CompareOrdinal(names[middle], prefix) < 0) low = middle + 1;
            else high = middle;
        }
        for (int i = low; i < names.Length && names[i].StartsWith(prefix, StringComparison.Ordinal); i++) yield return names[i];
    }

    private static readonly PerCompilation<INamedTypeSymbol, string[]> SortedMemberNames = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when <paramref name="member"/> could be a generated member of <paramref name="method"/>: every generated name is
    /// the method's and a suffix that starts with a capital (<c>Gradient</c>, <c>BackwardTangent</c>), so <c>F10</c> is
    /// not one of <c>F1</c>'s.
    /// </summary>
    private static bool MayBeGeneratedName(string member, string method)
        => member.Length > method.Length && member.StartsWith(method, StringComparison.Ordinal) && char.IsUpper(member[method.Length]);

    /// <summary>True when <paramref name="member"/> is the method, or the other part of the partial method it is.</summary>
    private static bool IsPartOf(IMethodSymbol member, IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals(member.PartialDefinitionPart ?? member, method.PartialDefinitionPart ?? method);

    /// <summary>A member the generator wrote (the analyzer's compilation holds the generated files).</summary>
    private static bool IsGenerated(IMethodSymbol member)
        => member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute"
            && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == GeneratorIdentity.Name);

    /// <summary>The methods a generated file declares, as <see cref="Key"/>s.</summary>
    private static HashSet<string> GeneratedSignatures(string text, CancellationToken cancellationToken)
    {
        var root = CSharpSyntaxTree.ParseText(text, cancellationToken: cancellationToken).GetRoot(cancellationToken);
        return new HashSet<string>(root.DescendantNodes(node => node is not (MethodDeclarationSyntax or AccessorListSyntax))
            .OfType<MethodDeclarationSyntax>()
            .Select(m => m.Identifier.ValueText + "(" + string.Join(",", m.ParameterList.Parameters.Select(p => ByRef(p.Modifiers) + Normalized(p.Type?.ToString() ?? ""))) + ")"),
            StringComparer.Ordinal);
    }

    /// <summary><c>Name(type,ref type,...)</c>: what C# compares to tell overloads apart (ref, out and in alike).</summary>
    private static string Key(IMethodSymbol member)
        => member.Name + "(" + string.Join(",", member.Parameters.Select(p => (p.RefKind == RefKind.None ? "" : "ref ")
            + Normalized(p.Type.ToDisplayString(TypeFormat)))) + ")";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static string ByRef(SyntaxTokenList modifiers)
        => modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword)) ? "ref " : "";

    private static string Normalized(string type) => new string(type.Replace("global::", "").Where(c => !char.IsWhiteSpace(c)).ToArray());

    /// <summary>A key as a reader would write it: <c>LTangent(double, double, double, double)</c>.</summary>
    private static string Display(string key) => key.Replace(",", ", ");
}
