namespace AutoDiff.Generator.IR;

/// <summary>Facts about loops that more than one pass needs: reverse mode's tape plan, and the kernel target's scratch sizing.</summary>
internal static class IrLoops
{
    /// <summary>The index and step of a loop whose step is <c>i = i ± constant</c> and whose body leaves <c>i</c> alone.</summary>
    public static (IrVariable Index, long Step)? CountedIndex(IrLoop loop)
    {
        if (loop.Step.Statements.Count != 1 || loop.Step.Statements[0] is not IrAssign step) return null;
        if (step.Value is not IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: IrVariable index, Right: IrLiteral amount } binary) return null;
        if (index.Name != step.Target || !index.Type.IsInteger) return null;
        bool assignedInBody = false;
        Ir.ForEachStatement(loop.Body, s => assignedInBody |= s is IrAssign a && a.Target == index.Name);
        if (assignedInBody) return null;
        long value = (long)amount.Value;
        return (index, binary.Op == BinaryOp.Add ? value : -value);
    }
}
