using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator.Lowering;

/// <summary>Finds the <see cref="StructModel"/> of a type, or says why the type cannot be differentiated through.</summary>
internal static class StructLayout
{
    /// <summary>True for a struct AutoDiff could scalarise (whether or not it then succeeds): a named value type that is
    /// not a number, an enum, a span, or a nullable.</summary>
    public static bool IsCandidate(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Struct, IsRefLikeType: false } named
           && named.SpecialType == SpecialType.None
           && !(named.IsGenericType && named.ConstructedFrom.SpecialType == SpecialType.System_Nullable_T);

    /// <summary>The layout of <paramref name="type"/>, or null with the reason in <paramref name="why"/>.</summary>
    /// <param name="type">The type.</param>
    /// <param name="why">Why the type cannot be differentiated through, when it cannot.</param>
    /// <param name="within">The type whose code reads and builds the values (members must be accessible from it).</param>
    public static StructModel? Of(ITypeSymbol? type, INamedTypeSymbol? within, out string why)
        => Of(type, within, out why, depth: 0);

    private static StructModel? Of(ITypeSymbol? type, INamedTypeSymbol? within, out string why, int depth)
    {
        why = "";
        if (!IsCandidate(type))
        {
            why = $"'{type?.ToDisplayString()}' is not a struct";
            return null;
        }
        var named = (INamedTypeSymbol)type!;
        if (depth > 8)
        {
            why = $"'{named.Name}' nests structs too deeply";
            return null;
        }
        var fullName = TypeMapping.FullyQualified(named);
        var display = named.ToDisplayString();
        switch (display)
        {
            case "System.Numerics.Vector2":
                return Known(fullName, named.Name, IrType.Single, "X", "Y");
            case "System.Numerics.Vector3":
                return Known(fullName, named.Name, IrType.Single, "X", "Y", "Z");
            case "System.Numerics.Vector4":
                return Known(fullName, named.Name, IrType.Single, "X", "Y", "Z", "W");
            case "System.Numerics.Complex":
                return Known(fullName, named.Name, IrType.Double, "Real", "Imaginary");
        }
        if (named.IsTupleType)
        {
            // A tuple (a local, or the result of a generated FGradient or FTangent): its elements, by their names.
            var elements = new List<StructMember>();
            foreach (var element in named.TupleElements)
            {
                if (TypeMapping.ToIr(element.Type) is { Shape: TypeShape.Scalar } scalar) elements.Add(new StructMember(TypeMapping.Identifier(element.Name), scalar, null, false));
                else if (Of(element.Type, within, out var elementWhy, depth + 1) is { } nested) elements.Add(new StructMember(TypeMapping.Identifier(element.Name), null, nested, false));
                else
                {
                    why = $"its element '{element.Name}' is of type '{element.Type.ToDisplayString()}'" + (elementWhy.Length > 0 && IsCandidate(element.Type) ? ": " + elementWhy : "");
                    return null;
                }
            }
            return new StructModel(fullName, "tuple", elements.ToEquatableArray(), elements.Select(e => e.Name).ToEquatableArray()) { IsTuple = true };
        }
        if (named.DeclaringSyntaxReferences.Length == 0)
        {
            why = $"'{named.Name}' is declared in another assembly, and AutoDiff knows only System.Numerics' Vector2, Vector3, Vector4 and Complex there";
            return null;
        }
        if (named.IsGenericType)
        {
            why = $"'{named.Name}' is generic; write it for double or float";
            return null;
        }

        var members = new List<StructMember>();
        var writable = new List<bool>();
        foreach (var symbol in named.GetMembers())
        {
            if (symbol is not IFieldSymbol { IsStatic: false, IsConst: false } field) continue;
            if (field.IsFixedSizeBuffer)
            {
                why = $"the fixed buffer '{field.Name}' of '{named.Name}' cannot be differentiated; use separate fields";
                return null;
            }
            // An auto-property's value lives in a hidden field: the member is the property.
            ISymbol member = field.AssociatedSymbol is IPropertySymbol property ? property : field;
            bool canWrite = member is IPropertySymbol p ? p.SetMethod is { } set && IsAccessible(set, within) : !field.IsReadOnly;
            if (!IsAccessible(member, within))
            {
                why = $"its member '{member.Name}' is not accessible here; make it internal or public";
                return null;
            }
            bool noDerivative = member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeMapping.NoDerivativeAttributeName);
            var memberType = field.Type;
            if (memberType.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean)
            {
                members.Add(new StructMember(TypeMapping.Identifier(member.Name), TypeMapping.ToIr(memberType), null, noDerivative));
            }
            else if (Of(memberType, within, out var nestedWhy, depth + 1) is { } nested)
            {
                members.Add(new StructMember(TypeMapping.Identifier(member.Name), null, nested, noDerivative));
            }
            else
            {
                why = IsCandidate(memberType)
                    ? $"its member '{member.Name}': {nestedWhy}"
                    : $"its member '{member.Name}' is of type '{memberType.ToDisplayString()}' (members must be double, float, int, long, bool or such structs)";
                return null;
            }
            writable.Add(canWrite);
        }
        if (members.Count == 0)
        {
            why = $"'{named.Name}' has no fields";
            return null;
        }
        var order = EquatableArray<string>.Empty;
        if (writable.Any(w => !w))
        {
            // Read-only members: generated code builds values through the constructor that takes one argument per member.
            var constructor = MemberwiseConstructor(named, members, within);
            if (constructor is null)
            {
                why = $"'{named.Name}' has read-only members and no constructor that takes exactly one argument per member (named like them); add one, or make the members settable";
                return null;
            }
            order = constructor.Value;
        }
        return new StructModel(fullName, named.Name, members.ToEquatableArray(), order);
    }

    private static StructModel Known(string fullName, string name, IrType type, params string[] members)
        => new(fullName, name, members.Select(m => new StructMember(m, type, null, false)).ToEquatableArray(), members.ToEquatableArray());

    private static bool IsAccessible(ISymbol symbol, INamedTypeSymbol? within)
    {
        if (within is null) return symbol.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal;
        for (var type = within; type is not null; type = type.ContainingType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, symbol.ContainingType)) return true;
        }
        return symbol.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;
    }

    /// <summary>
    /// The members in the order of a constructor that takes one parameter per member, named like it (ignoring case), and
    /// only assigns each member its parameter (or is a record struct's primary constructor); null when there is none.
    /// </summary>
    public static EquatableArray<string>? MemberwiseConstructor(INamedTypeSymbol type, IReadOnlyList<StructMember> members, INamedTypeSymbol? within)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.Length != members.Count || !IsAccessible(constructor, within)) continue;
            var order = new List<string>();
            foreach (var parameter in constructor.Parameters)
            {
                var member = members.FirstOrDefault(m => string.Equals(m.Name.TrimStart('@'), parameter.Name, System.StringComparison.OrdinalIgnoreCase));
                if (member is null || order.Contains(member.Name)) break;
                order.Add(member.Name);
            }
            if (order.Count != members.Count) continue;
            if (ConstructorAssignments(constructor) is { } assignments
                && members.All(m => assignments.TryGetValue(m.Name.TrimStart('@'), out var parameter)
                                    && string.Equals(parameter, m.Name.TrimStart('@'), System.StringComparison.OrdinalIgnoreCase)))
            {
                return order.ToEquatableArray();
            }
        }
        return null;
    }

    /// <summary>
    /// For a constructor whose body only assigns parameters to members (<c>X = x;</c>, <c>this.Y = y;</c>), or a
    /// record struct's primary constructor: member name → parameter name. Null for any other constructor.
    /// </summary>
    public static Dictionary<string, string>? ConstructorAssignments(IMethodSymbol constructor)
    {
        var result = new Dictionary<string, string>();
        if (constructor.DeclaringSyntaxReferences.Length != 1) return null;
        var syntax = constructor.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax is RecordDeclarationSyntax { ParameterList: { } primary })
        {
            foreach (var parameter in primary.Parameters) result[parameter.Identifier.ValueText] = parameter.Identifier.ValueText;
            return result;
        }
        if (syntax is not ConstructorDeclarationSyntax { Initializer: null } declaration) return null;
        IEnumerable<ExpressionSyntax> expressions;
        if (declaration.ExpressionBody is { } arrow) expressions = new[] { arrow.Expression };
        else if (declaration.Body is { } body && body.Statements.All(s => s is ExpressionStatementSyntax))
            expressions = body.Statements.Cast<ExpressionStatementSyntax>().Select(s => s.Expression);
        else return null;
        foreach (var expression in expressions)
        {
            if (expression is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment) return null;
            var target = assignment.Left switch
            {
                IdentifierNameSyntax name => name.Identifier.ValueText,
                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax name } => name.Identifier.ValueText,
                _ => null,
            };
            if (target is null || assignment.Right is not IdentifierNameSyntax source) return null;
            result[target] = source.Identifier.ValueText;
        }
        return result;
    }
}
