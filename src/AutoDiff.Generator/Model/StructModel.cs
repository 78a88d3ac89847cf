using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Model;

/// <summary>One member of a differentiable struct: a number, or a nested differentiable struct.</summary>
/// <param name="Name">The field's or auto-property's name, as C# reads and writes it.</param>
/// <param name="Scalar">The member's type when it is a number.</param>
/// <param name="Struct">The member's layout when it is a struct.</param>
/// <param name="NoDerivative">True for a member marked [NoDerivative]: carried, not differentiated.</param>
internal sealed record StructMember(string Name, IrType? Scalar, StructModel? Struct, bool NoDerivative);

/// <summary>One number inside a struct value, reached through a path of members.</summary>
/// <param name="Path">The members from the struct down to the number, such as <c>Position.X</c>.</param>
/// <param name="Type">The number's type.</param>
/// <param name="Differentiable">True when it carries a derivative: double or float, and nothing on the path is [NoDerivative].</param>
internal sealed record StructLeaf(string Path, IrType Type, bool Differentiable);

/// <summary>
/// How AutoDiff sees a struct it differentiates through (a user struct, <c>System.Numerics.Vector2/3/4</c> or
/// <c>System.Numerics.Complex</c>): its numbers, in order, and how generated code builds a value from them. Inside
/// differentiated code a struct value is scalarised: each of its numbers is a variable of its own.
/// </summary>
/// <param name="FullName">The type as C# writes it, with <c>global::</c>.</param>
/// <param name="DisplayName">The type's short name, for messages.</param>
/// <param name="Members">The members, in declaration order.</param>
/// <param name="ConstructorOrder">The members in the order of the constructor that sets them all, or empty when generated
/// code builds the value with an object initializer.</param>
internal sealed record StructModel(string FullName, string DisplayName, EquatableArray<StructMember> Members, EquatableArray<string> ConstructorOrder)
{
    private List<StructLeaf>? leaves;

    /// <summary>True for a value tuple: a value inside differentiated code only (never a parameter or a result).</summary>
    public bool IsTuple { get; init; }

    /// <summary>Every number of the struct, depth first in member order.</summary>
    public IReadOnlyList<StructLeaf> Leaves => leaves ??= ComputeLeaves();

    /// <summary>True when every number is of one floating-point type: an array of it can be read as an array of that type.</summary>
    public bool IsHomogeneousFloatingPoint
        => Leaves.Count > 0 && Leaves.All(l => l.Type.IsFloatingPoint && l.Type == Leaves[0].Type);

    /// <summary>The index of the first leaf of a member, and how many leaves it has.</summary>
    public (int Start, int Count) LeafRange(string member)
    {
        int start = 0;
        foreach (var m in Members)
        {
            int count = m.Struct?.Leaves.Count ?? 1;
            if (m.Name == member) return (start, count);
            start += count;
        }
        return (-1, 0);
    }

    /// <summary>A C# expression that builds a value of the struct from C# expressions for its leaves, in order.</summary>
    public string Construct(IReadOnlyList<string> leafValues)
    {
        int next = 0;
        return Build(this, leafValues, ref next);
    }

    private static string Build(StructModel model, IReadOnlyList<string> values, ref int next)
    {
        var parts = new Dictionary<string, string>();
        foreach (var member in model.Members)
        {
            parts[member.Name] = member.Struct is { } nested ? Build(nested, values, ref next) : values[next++];
        }
        if (model.ConstructorOrder.Count > 0)
        {
            return $"new {model.FullName}({string.Join(", ", model.ConstructorOrder.Select(m => parts[m]))})";
        }
        return $"new {model.FullName} {{ {string.Join(", ", model.Members.Select(m => $"{m.Name} = {parts[m.Name]}"))} }}";
    }

    private List<StructLeaf> ComputeLeaves()
    {
        var list = new List<StructLeaf>();
        foreach (var member in Members)
        {
            if (member.Struct is { } nested)
            {
                list.AddRange(nested.Leaves.Select(l => new StructLeaf(member.Name + "." + l.Path, l.Type, l.Differentiable && !member.NoDerivative)));
            }
            else
            {
                list.Add(new StructLeaf(member.Name, member.Scalar!, member.Scalar!.IsFloatingPoint && !member.NoDerivative));
            }
        }
        return list;
    }

    public bool Equals(StructModel? other)
        => other is not null && FullName == other.FullName && Members.Equals(other.Members) && ConstructorOrder.Equals(other.ConstructorOrder);

    public override int GetHashCode() => FullName.GetHashCode();

    public override string ToString() => FullName;
}

/// <summary>
/// A parameter of a [Differentiable] method as its user sees it, and the parameters of the scalarised method that stand
/// for it: itself for a number or an array of numbers, one per number for a struct, one flat span for an array of structs.
/// </summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="TypeKeyword">Its type as C# writes it.</param>
/// <param name="Struct">The struct's layout, for a struct or an array of structs; null otherwise.</param>
/// <param name="IsArray">True for an array of structs.</param>
/// <param name="Flat">The names of the scalarised method's parameters that stand for it, in order.</param>
internal sealed record BoundaryParameter(string Name, string TypeKeyword, StructModel? Struct, bool IsArray, EquatableArray<string> Flat)
{
    /// <summary>The boundary name of the struct an instance method is called on (its leaves are <c>this_X</c>, ...).</summary>
    public const string This = "this";

    /// <summary>True for the struct an instance method of a struct is called on: differentiated like a parameter.</summary>
    public bool IsThis => Name == This;
}
