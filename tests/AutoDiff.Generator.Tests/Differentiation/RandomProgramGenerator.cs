using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>
/// Generates random straight-line and branching IR methods (locals, overwrites that read the old value,
/// if/else, early returns, conditional expressions, Math functions on safe domains, calls) to find what
/// hand-written tests miss.
/// </summary>
internal sealed class RandomProgramGenerator
{
    private readonly Random random;
    private IrMethodRef? callee;
    private List<string> variables = new();
    private int localCount;

    public RandomProgramGenerator(Random random) => this.random = random;

    public IrMethod Method(string name, string[] parameters, IrMethodRef? callee)
    {
        this.callee = callee;
        variables = parameters.ToList();
        localCount = 0;
        var body = Statements(depth: 0, count: random.Next(2, 7));
        body.Add(Ret(Expr(3)));
        return IrBuilder.Method(name, parameters, body.ToArray());
    }

    private List<IrStatement> Statements(int depth, int count)
    {
        var statements = new List<IrStatement>();
        for (int i = 0; i < count; i++)
        {
            int choice = random.Next(10);
            if (choice < 4 || variables.Count < 2)
            {
                var name = "v" + localCount++;
                statements.Add(Let(name, Expr(3)));
                // Locals declared inside a branch stay local to it.
                if (depth == 0) variables.Add(name);
            }
            else if (choice < 7)
            {
                var target = variables[random.Next(variables.Count)];
                statements.Add(Set(target, Expr(3)));
            }
            else if (depth < 2)
            {
                var saved = variables.ToList();
                var then = Statements(depth + 1, random.Next(1, 3));
                variables = saved.ToList();
                if (random.Next(3) == 0) then.Add(Ret(Expr(2)));
                var otherwise = Statements(depth + 1, random.Next(0, 3));
                variables = saved;
                statements.Add(new IrIf(Condition(), IrBlock.Of(then.ToArray()), IrBlock.Of(otherwise.ToArray())));
            }
        }
        return statements;
    }

    private IrExpr Condition()
    {
        var comparison = Ir.Compare(random.Next(2) == 0 ? BinaryOp.Greater : BinaryOp.Less, Expr(1), Expr(1));
        return random.Next(4) switch
        {
            0 => new IrBinary(IrType.Boolean, BinaryOp.ConditionalAnd, comparison, Ir.Compare(BinaryOp.Greater, Expr(1), L(-0.5))),
            1 => Ir.Not(comparison),
            _ => comparison,
        };
    }

    /// <summary>An expression whose value stays moderate for inputs in [-1, 1].</summary>
    private IrExpr Expr(int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            return random.Next(4) == 0 ? L(Math.Round(random.NextDouble() * 4 - 2, 2)) : V(variables[random.Next(variables.Count)]);
        }
        IrExpr Sub() => Expr(depth - 1);
        IrExpr Bounded() => M(MathFunction.Tanh, Sub());
        IrExpr Positive() => Ir.Add(L(1.25), Ir.Mul(Bounded(), Bounded()));
        switch (random.Next(16))
        {
            case 0: return Ir.Add(Sub(), Sub());
            case 1: return Ir.Sub(Sub(), Sub());
            case 2: return Ir.Mul(Bounded(), Sub());
            case 3: return Ir.Div(Sub(), Positive());
            case 4: return Ir.Neg(Sub());
            case 5: return M(MathFunction.Sin, Sub());
            case 6: return M(MathFunction.Exp, Bounded());
            case 7: return M(MathFunction.Log, Positive());
            case 8: return M(MathFunction.Sqrt, Positive());
            case 9: return M(MathFunction.Pow, Positive(), Bounded());
            case 10: return M(MathFunction.Atan, Sub());
            case 11: return Bounded();
            case 12: return new IrConditional(D, Condition(), Sub(), Sub());
            case 13 when callee is not null:
                return new IrCall(D, callee, EquatableArray.Of(new IrArgument(Bounded()), new IrArgument(Sub())));
            case 14: return M(MathFunction.Max, Sub(), Sub());
            default: return Ir.Mul(Sub(), L(0.5));
        }
    }
}
