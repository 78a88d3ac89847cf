using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Differentiation;

/// <summary>Reverse mode's chain rule inside an expression: the seed propagated to the adjoint of every variable read.</summary>
internal static partial class ReverseMode
{
    private sealed partial class Builder
    {
        /// <summary>Adds <c>seed · ∂expr/∂v</c> to the adjoint of every variable <c>v</c> the expression reads.</summary>
        private void Propagate(IrExpr expr, IrExpr seed, IrExpr? result, List<IrStatement> output)
        {
            if (!method.Activity.IsActive(expr)) return;
            switch (expr)
            {
                case IrVariable variable:
                    output.Add(Ir.AddAssign(adjoints[variable.Name], seed));
                    break;
                case IrElement element:
                {
                    var adjoint = adjoints[element.Sequence.Name];
                    var adjointElement = element.In(adjoint);
                    output.Add(new IrAssignElement(adjoint.Name, element.Index, Ir.Add(adjointElement, seed)) { Column = element.Column });
                    break;
                }
                case IrUnary { Op: UnaryOp.Negate } unary:
                    Propagate(unary.Operand, Negate(seed), null, output);
                    break;
                case IrConvert convert:
                    Propagate(convert.Operand, Ir.Convert(convert.Operand.Type, seed), null, output);
                    break;
                case IrBinary binary:
                    PropagateBinary(binary, seed, output);
                    break;
                case IrMathCall call:
                {
                    var activeArguments = call.Arguments.Count(IsActive);
                    if (!DerivativeRules.UsesSeedOnce(call.Function) || activeArguments > 1) seed = Bind(seed, output);
                    var contributions = DerivativeRules.Adjoints(call, result, seed, IsActive);
                    for (int i = 0; i < contributions.Count; i++)
                    {
                        if (contributions[i] is { } contribution) Propagate(call.Arguments[i], contribution, null, output);
                    }
                    break;
                }
                case IrCall call:
                    output.Add(PullbackCall(call, seed, split: false));
                    break;
                default:
                    throw new InvalidOperationException($"Reverse mode cannot propagate through {expr.GetType().Name}.");
            }
        }

        private void PropagateBinary(IrBinary binary, IrExpr seed, List<IrStatement> output)
        {
            bool leftActive = IsActive(binary.Left);
            bool rightActive = IsActive(binary.Right);
            if (leftActive && rightActive) seed = Bind(seed, output);
            var left = binary.Left;
            var right = binary.Right;
            switch (binary.Op)
            {
                case BinaryOp.Add:
                    Propagate(left, seed, null, output);
                    Propagate(right, seed, null, output);
                    break;
                case BinaryOp.Subtract:
                    Propagate(left, seed, null, output);
                    Propagate(right, Negate(seed), null, output);
                    break;
                case BinaryOp.Multiply:
                    Propagate(left, Multiply(seed, right), null, output);
                    Propagate(right, Multiply(seed, left), null, output);
                    break;
                case BinaryOp.Divide:
                    // d(l/r) = dl / r - (l/r) · dr / r
                    Propagate(left, Ir.Div(seed, right), null, output);
                    if (rightActive) Propagate(right, Negate(Ir.Div(Ir.Mul(seed, Ir.Div(left, right)), right)), null, output);
                    break;
                case BinaryOp.Remainder:
                    // l % r = l - trunc(l / r) · r
                    Propagate(left, seed, null, output);
                    if (rightActive) Propagate(right, Negate(Ir.Mul(seed, Ir.Math(MathFunction.Truncate, Ir.Div(left, right)))), null, output);
                    break;
                default:
                    throw new InvalidOperationException($"Reverse mode cannot propagate through the operator {binary.Op}.");
            }
        }
    }
}
