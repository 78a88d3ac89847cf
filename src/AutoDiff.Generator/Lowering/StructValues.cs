using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Lowering;

/// <summary>A struct value during lowering: one IR expression per number of the struct (its leaves, in order).</summary>
internal sealed class StructValue
{
    public StructValue(StructModel model, IReadOnlyList<IrExpr> leaves)
    {
        Model = model;
        Leaves = leaves;
    }

    public StructModel Model { get; }

    public IReadOnlyList<IrExpr> Leaves { get; }

    /// <summary>The leaves of one member: one expression for a number, several for a nested struct.</summary>
    public IReadOnlyList<IrExpr> Member(string name)
    {
        var (start, count) = Model.LeafRange(name);
        return start < 0 ? System.Array.Empty<IrExpr>() : Leaves.Skip(start).Take(count).ToList();
    }
}

/// <summary>Where a struct value lives: in one local or parameter per leaf, or in a flat array of numbers.</summary>
internal sealed class StructPlace
{
    private readonly IReadOnlyList<string>? leafNames;
    private readonly IrVariable? array;
    private readonly IrExpr? firstIndex;

    /// <summary>A struct local or parameter, scalarised into one variable per leaf.</summary>
    public StructPlace(StructModel model, IReadOnlyList<string> leafNames, int offset = 0)
    {
        Model = model;
        this.leafNames = leafNames;
        Offset = offset;
    }

    /// <summary>An element of an array of structs, stored flat: leaf j of element i is at <c>i·n + j</c>.</summary>
    public StructPlace(StructModel model, IrVariable array, IrExpr firstIndex, int offset = 0)
    {
        Model = model;
        this.array = array;
        this.firstIndex = firstIndex;
        Offset = offset;
    }

    public StructModel Model { get; }

    /// <summary>For a member of a bigger struct: the position of its first leaf in the whole.</summary>
    public int Offset { get; }

    public IrExpr Read(int leaf)
    {
        var type = Model.Leaves[leaf].Type;
        int position = Offset + leaf;
        return leafNames is not null
            ? Ir.Var(type, leafNames[position])
            : new IrElement(type, array!, position == 0 ? firstIndex! : Ir.Add(firstIndex!, Ir.Lit(IrType.Int32, position)));
    }

    public IrStatement Write(int leaf, IrExpr value)
    {
        var type = Model.Leaves[leaf].Type;
        int position = Offset + leaf;
        value = Ir.Convert(type, value);
        return leafNames is not null
            ? Ir.Assign(leafNames[position], value)
            : new IrAssignElement(array!.Name, position == 0 ? firstIndex! : Ir.Add(firstIndex!, Ir.Lit(IrType.Int32, position)), value);
    }

    /// <summary>The names of the variables or the array that hold the value.</summary>
    public IEnumerable<string> Storage => leafNames is not null ? leafNames.Skip(Offset).Take(Model.Leaves.Count) : new[] { array!.Name };

    public StructValue Value => new(Model, Enumerable.Range(0, Model.Leaves.Count).Select(Read).ToList());

    /// <summary>The place of a member that is itself a struct.</summary>
    public StructPlace Member(StructMember member)
    {
        var (start, _) = Model.LeafRange(member.Name);
        return leafNames is not null
            ? new StructPlace(member.Struct!, leafNames, Offset + start)
            : new StructPlace(member.Struct!, array!, firstIndex!, Offset + start);
    }
}
