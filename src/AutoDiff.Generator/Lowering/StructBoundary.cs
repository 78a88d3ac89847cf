using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Lowering;

/// <summary>The scalarised parameters of a method and how they map to the user's.</summary>
internal sealed class FlatSignature
{
    public FlatSignature(List<IrParameter> parameters, List<BoundaryParameter> boundary)
    {
        Parameters = parameters;
        Boundary = boundary;
    }

    public List<IrParameter> Parameters { get; }

    public List<BoundaryParameter> Boundary { get; }
}

/// <summary>
/// Methods that take structs are differentiated in a scalarised form (<c>FScalarized</c>, whose parameters are numbers and
/// arrays of numbers). The derivatives the user calls (<c>FBackward</c>, <c>FGradient</c>, ...) take and return the structs,
/// and forward to the scalarised ones.
/// </summary>
internal static class StructBoundary
{
    public const string ScalarizedSuffix = "Scalarized";

    /// <summary>True for an instance method of a struct: <c>this</c> is a value the method is differentiated with respect to.</summary>
    /// <remarks>A struct AutoDiff cannot differentiate through (no number fields, a string member) is a constant instead,
    /// like the object of a class's instance method.</remarks>
    public static bool HasStructThis(IMethodSymbol method)
        => !method.IsStatic && method.ContainingType is { TypeKind: TypeKind.Struct, IsRefLikeType: false } type
           && !type.IsTupleType && StructLayout.Of(type, type, out _) is not null;

    /// <summary>The name of the scalarised form of method <paramref name="name"/>.</summary>
    public static string ScalarizedName(string name) => name.TrimStart('@') + ScalarizedSuffix;

    /// <summary>True when a parameter of the method is a struct AutoDiff scalarises, or an array of one.</summary>
    public static bool TakesStructs(IMethodSymbol method)
        => HasStructThis(method) || method.Parameters.Any(p => StructLayout.IsCandidate(p.Type) || p.Type is IArrayTypeSymbol { Rank: 1 } array && StructLayout.IsCandidate(array.ElementType));

    /// <summary>The scalarised parameters of a method, or null with the reason (naming the parameter).</summary>
    public static FlatSignature? Flatten(IMethodSymbol method, INamedTypeSymbol? within, out string why)
        => Flatten(method, within, out why, out _);

    /// <summary>As <see cref="Flatten(IMethodSymbol, INamedTypeSymbol?, out string)"/>, with the failing parameter's position.</summary>
    public static FlatSignature? Flatten(IMethodSymbol method, INamedTypeSymbol? within, out string why, out int failed)
    {
        why = "";
        failed = -1;
        var taken = new HashSet<string>(method.Parameters.Select(p => TypeMapping.Identifier(p.Name)));
        var parameters = new List<IrParameter>();
        var boundary = new List<BoundaryParameter>();
        if (HasStructThis(method))
        {
            // The struct the method is called on comes first, scalarised like a struct parameter.
            var model = StructLayout.Of(method.ContainingType, within, out var thisWhy);
            if (model is null)
            {
                why = $"its struct: {thisWhy}";
                return null;
            }
            var names = model.Leaves.Select(leaf => Unique("this_" + leaf.Path.Replace(".", "_").Replace("@", ""), taken)).ToList();
            parameters.AddRange(model.Leaves.Select((leaf, i) => new IrParameter(names[i], leaf.Type) { NoDerivative = !leaf.Differentiable }));
            boundary.Add(new BoundaryParameter(BoundaryParameter.This, TypeMapping.FullyQualified(method.ContainingType), model, false, names.ToEquatableArray()));
        }
        foreach (var parameter in method.Parameters)
        {
            failed = parameter.Ordinal;
            var name = TypeMapping.Identifier(parameter.Name);
            bool noDerivative = TypeMapping.HasNoDerivative(parameter);
            var typeKeyword = TypeMapping.FullyQualified(parameter.Type);
            if (parameter.RefKind != RefKind.None)
            {
                why = $"parameter '{parameter.Name}' is passed by {TypeMapping.RefKindKeyword(parameter.RefKind)}";
                return null;
            }
            if (parameter.Type.IsTupleType)
            {
                why = $"parameter '{parameter.Name}' is a tuple; take its elements as separate parameters, or declare a struct";
                return null;
            }
            if (StructLayout.IsCandidate(parameter.Type))
            {
                var model = StructLayout.Of(parameter.Type, within, out var structWhy);
                if (model is null)
                {
                    why = $"parameter '{parameter.Name}': {structWhy}";
                    return null;
                }
                var names = new List<string>();
                foreach (var leaf in model.Leaves)
                {
                    var leafName = Unique(name.TrimStart('@') + "_" + leaf.Path.Replace(".", "_").Replace("@", ""), taken);
                    names.Add(leafName);
                    parameters.Add(new IrParameter(leafName, leaf.Type) { NoDerivative = noDerivative || !leaf.Differentiable });
                }
                boundary.Add(new BoundaryParameter(name, typeKeyword, model, false, names.ToEquatableArray()));
                continue;
            }
            var elementType = parameter.Type switch
            {
                IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
                INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span => span.TypeArguments[0],
                _ => null,
            };
            if (elementType is not null && StructLayout.IsCandidate(elementType))
            {
                var model = StructLayout.Of(elementType, within, out var structWhy);
                if (model is null || !model.IsHomogeneousFloatingPoint)
                {
                    why = model is null ? $"parameter '{parameter.Name}': {structWhy}"
                        : $"parameter '{parameter.Name}': arrays of structs need every field of one floating-point type (all double or all float)";
                    return null;
                }
                parameters.Add(new IrParameter(name, model.Leaves[0].Type.WithShape(TypeShape.ReadOnlySpan)) { NoDerivative = noDerivative });
                boundary.Add(new BoundaryParameter(name, typeKeyword, model, true, new[] { name }.ToEquatableArray()));
                continue;
            }
            var type = TypeMapping.ToIr(parameter.Type);
            if (type is null)
            {
                why = $"parameter '{parameter.Name}' is of type '{parameter.Type.ToDisplayString()}'";
                return null;
            }
            parameters.Add(new IrParameter(name, type) { NoDerivative = noDerivative });
            boundary.Add(new BoundaryParameter(name, typeKeyword, null, false, new[] { name }.ToEquatableArray()));
        }
        failed = -1;
        return new FlatSignature(parameters, boundary);
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = TypeMapping.Identifier(name);
        for (int i = 2; !taken.Add(candidate); i++) candidate = TypeMapping.Identifier(name + "_" + i);
        return candidate;
    }
}
