using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// Finds the variables whose values depend on a differentiable parameter ("varied" variables) and so
/// carry an adjoint. Flow-insensitive and iterated to a fixed point: a variable is varied when any
/// assignment to it is, which stays correct when loops arrive.
/// </summary>
internal sealed class ActivityAnalysis
{
    private readonly HashSet<string> varied;

    private ActivityAnalysis(HashSet<string> varied) => this.varied = varied;

    /// <summary>Analyses a method whose locals are declared by <see cref="IrDeclare"/> statements.</summary>
    public static ActivityAnalysis Compute(IrMethod method, System.Func<IrParameter, bool>? isInput = null)
    {
        var localTypes = new Dictionary<string, IrType>();
        Ir.ForEachStatement(method.Body, statement =>
        {
            if (statement is IrDeclare declare) localTypes[declare.Name] = declare.Type;
        });
        return Compute(method.Parameters, localTypes, method.Body, isInput);
    }

    /// <summary>Analyses a body whose locals are listed apart (as after hoisting).</summary>
    /// <param name="parameters">The method's parameters.</param>
    /// <param name="localTypes">The locals and their types.</param>
    /// <param name="body">The statements.</param>
    /// <param name="isInput">Which parameters are differentiated; by default the differentiable value parameters.
    /// Forward mode over a pullback also counts its ref adjoints, which are inputs as well as outputs.</param>
    public static ActivityAnalysis Compute(IEnumerable<IrParameter> parameters, IReadOnlyDictionary<string, IrType> localTypes, IrBlock body,
        System.Func<IrParameter, bool>? isInput = null)
    {
        var parameterList = parameters.ToList();
        isInput ??= p => p.IsDifferentiable;
        var varied = new HashSet<string>(parameterList.Where(isInput).Select(p => p.Name));
        var analysis = new ActivityAnalysis(varied);
        var writes = new List<(string Target, IrType Type, IrExpr Value)>();
        var declaredTypes = parameterList.ToDictionary(p => p.Name, p => p.Type);
        foreach (var local in localTypes) declaredTypes[local.Key] = local.Value;
        Ir.ForEachStatement(body, statement =>
        {
            switch (statement)
            {
                case IrDeclare { Initializer: { } init } declare:
                    writes.Add((declare.Name, declare.Type, init));
                    break;
                case IrAssign assign when declaredTypes.TryGetValue(assign.Target, out var type):
                    writes.Add((assign.Target, type, assign.Value));
                    break;
                case IrAssignElement element when declaredTypes.TryGetValue(element.Sequence, out var sequenceType):
                    writes.Add((element.Sequence, sequenceType, element.Value));
                    break;
            }
        });
        // A variable passed by ref or out to a call is written by it.
        Ir.ForEachRootExpression(body, root => Ir.ForEachNode(root, node =>
        {
            if (node is not IrCall call) return;
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                var argument = call.Arguments[i];
                // Written: ref and out arguments, and arrays passed to span parameters (a pullback's adjoints).
                bool written = argument.Kind != ArgumentKind.Value
                    || argument.Value.Type.IsSequence && i < call.Method.Parameters.Count && call.Method.Parameters[i].Type.Shape == TypeShape.Span;
                if (written && Ir.VariableOf(argument.Value) is { } target && declaredTypes.TryGetValue(target.Name, out var type))
                {
                    writes.Add((target.Name, type, call));
                }
            }
        }));

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (target, type, value) in writes)
            {
                if (type.CarriesDerivative && !varied.Contains(target) && analysis.IsActive(value))
                {
                    varied.Add(target);
                    changed = true;
                }
            }
        }
        return analysis;
    }

    public bool IsVaried(string variable) => varied.Contains(variable);

    /// <summary>True when the expression is floating-point and its value depends on a differentiable parameter.</summary>
    public bool IsActive(IrExpr expr)
    {
        if (expr is IrVariable { Type.IsFloatingPointSequence: true } sequence) return varied.Contains(sequence.Name);
        if (expr is IrSlice { Type.IsFloatingPointSequence: true } slice) return varied.Contains(slice.Sequence.Name);
        if (expr is IrArrayCopy { Type.IsFloatingPointSequence: true } copy) return varied.Contains(copy.Source.Name);
        // A call of a vector-valued method (a statement): its outputs depend on the inputs when any argument does, the
        // outputs' own contents on entry included.
        if (expr is IrCall { Type.IsVoid: true } effect) return effect.Arguments.Any(a => IsActive(a.Value));
        // A call that returns an array: its elements depend on the inputs when an argument does.
        if (expr is IrCall { Type.IsFloatingPointSequence: true } made) return made.Arguments.Any(a => IsActive(a.Value));
        if (!expr.Type.IsFloatingPoint) return false;
        return expr switch
        {
            IrVariable v => varied.Contains(v.Name),
            IrUnary u => IsActive(u.Operand),
            IrBinary b => IsActive(b.Left) || IsActive(b.Right),
            IrConditional c => IsActive(c.WhenTrue) || IsActive(c.WhenFalse),
            IrConvert c => IsActive(c.Operand),
            IrMathCall m => !m.Function.IsPiecewiseConstant() && m.Arguments.Any(IsActive),
            IrCall call => call.Arguments.Any(a => IsActive(a.Value)),
            IrElement element => varied.Contains(element.Sequence.Name),
            _ => false,
        };
    }

}
