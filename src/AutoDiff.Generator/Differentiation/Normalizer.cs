using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

/// <summary>Brings a lowered method into <see cref="NormalizedMethod"/> form.</summary>
internal sealed class Normalizer
{
    private readonly IrMethod method;
    private readonly NameAllocator names;
    private readonly Dictionary<string, IrType> locals = new();
    private readonly List<string> temporaries = new();
    private ActivityAnalysis activity = null!;
    private Dictionary<string, int> assignmentCounts = new();

    private readonly System.Func<IrParameter, bool>? isInput;

    private Normalizer(IrMethod method, NameAllocator names, System.Func<IrParameter, bool>? isInput)
    {
        this.method = method;
        this.names = names;
        this.isInput = isInput;
    }

    /// <param name="method">The method to normalise.</param>
    /// <param name="names">Hands out the names of temporaries.</param>
    /// <param name="isInput">The parameters differentiated with respect to (see <see cref="ActivityAnalysis.Compute(IrMethod, System.Func{IrParameter, bool})"/>).</param>
    public static NormalizedMethod Normalize(IrMethod method, NameAllocator names, System.Func<IrParameter, bool>? isInput = null)
        => new Normalizer(method, names, isInput).Run();

    private NormalizedMethod Run()
    {
        // 1. Hoist locals (lowering gave them unique names) and flatten nested blocks.
        var hoisted = Hoist(method.Body);

        // 2. One exit: returns become assignments to the result variable.
        var result = Ir.Var(method.ReturnType, names.Fresh("_result"));
        locals[result.Name] = result.Type;
        var returned = names.Fresh("_returned");
        var eliminator = new ReturnEliminator(result.Name, returned);
        var singleExit = eliminator.Eliminate(hoisted);
        if (eliminator.UsedFlag)
        {
            locals[returned] = IrType.Boolean;
            singleExit = new IrBlock(new[] { Ir.Assign(returned, Ir.Lit(IrType.Boolean, 0)) }.Concat(singleExit.Statements).ToEquatableArray());
        }
        else
        {
            singleExit = StripFlag(singleExit, returned);
        }

        // 3. Activity, then A-normal form where derivative rules need values.
        activity = ActivityAnalysis.Compute(method.Parameters, locals, singleExit, isInput);
        assignmentCounts = CountAssignments(singleExit);
        var normalized = NormalizeBlock(singleExit);
        activity = ActivityAnalysis.Compute(method.Parameters, locals, normalized, isInput);
        assignmentCounts = CountAssignments(normalized);
        return new NormalizedMethod(method, locals, normalized, result, activity, assignmentCounts, temporaries);
    }

    private Dictionary<string, int> CountAssignments(IrBlock body)
    {
        var counts = method.Parameters.ToDictionary(p => p.Name, _ => 1);
        Ir.ForEachStatement(body, statement =>
        {
            if (statement is IrAssign assign)
            {
                counts.TryGetValue(assign.Target, out var count);
                counts[assign.Target] = count + 1;
            }
        });
        return counts;
    }

    private IrBlock Hoist(IrBlock block)
    {
        var output = new List<IrStatement>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IrDeclare declare:
                    locals[declare.Name] = declare.Type;
                    if (declare.Initializer is { } init) output.Add(Ir.Assign(declare.Name, init));
                    break;
                case IrBlock nested:
                    output.AddRange(Hoist(nested).Statements);
                    break;
                case IrIf ifStatement:
                    output.Add(new IrIf(ifStatement.Condition, Hoist(ifStatement.Then), Hoist(ifStatement.Else)));
                    break;
                case IrComment:
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return new IrBlock(output.ToEquatableArray());
    }

    private static IrBlock StripFlag(IrBlock block, string flag)
    {
        var output = new List<IrStatement>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IrAssign assign when assign.Target == flag:
                    break;
                case IrIf ifStatement:
                    output.Add(new IrIf(ifStatement.Condition, StripFlag(ifStatement.Then, flag), StripFlag(ifStatement.Else, flag)));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return new IrBlock(output.ToEquatableArray());
    }

    private IrBlock NormalizeBlock(IrBlock block)
    {
        var output = new List<IrStatement>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IrAssign assign when activity.IsActive(assign.Value):
                {
                    // The target can hold the root's value for the reverse sweep when it is written only here.
                    bool targetHoldsResult = assignmentCounts.TryGetValue(assign.Target, out var count) && count == 1
                        && !method.Parameters.Any(p => p.Name == assign.Target);
                    var value = NormalizeExpr(assign.Value, output, isRoot: targetHoldsResult);
                    output.Add(Ir.Assign(assign.Target, value));
                    break;
                }
                case IrIf ifStatement:
                    output.Add(new IrIf(ifStatement.Condition, NormalizeBlock(ifStatement.Then), NormalizeBlock(ifStatement.Else)));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return new IrBlock(output.ToEquatableArray());
    }

    /// <summary>
    /// Rewrites an active expression so that every value a derivative rule reads is an atom, emitting the
    /// temporaries into <paramref name="pre"/>. Inactive sub-expressions are left whole.
    /// </summary>
    private IrExpr NormalizeExpr(IrExpr expr, List<IrStatement> pre, bool isRoot = false)
    {
        if (!activity.IsActive(expr)) return expr;
        switch (expr)
        {
            case IrUnary unary:
                return unary with { Operand = NormalizeExpr(unary.Operand, pre) };
            case IrConvert convert:
                return convert with { Operand = NormalizeExpr(convert.Operand, pre) };
            case IrBinary binary:
            {
                var left = NormalizeExpr(binary.Left, pre);
                var right = NormalizeExpr(binary.Right, pre);
                bool leftActive = activity.IsActive(binary.Left);
                bool rightActive = activity.IsActive(binary.Right);
                switch (binary.Op)
                {
                    case BinaryOp.Multiply:
                        if (rightActive) left = Materialize(left, pre);
                        if (leftActive) right = Materialize(right, pre);
                        break;
                    case BinaryOp.Divide:
                    case BinaryOp.Remainder:
                        right = Materialize(right, pre);
                        if (rightActive) left = Materialize(left, pre);
                        break;
                }
                return binary with { Left = left, Right = right };
            }
            case IrConditional conditional:
            {
                // c ? a : b becomes an if statement, so that each branch is evaluated (and reversed) only when taken.
                var temp = NewTemporary(conditional.Type);
                var thenBlock = new List<IrStatement>();
                thenBlock.Add(Ir.Assign(temp.Name, NormalizeExpr(conditional.WhenTrue, thenBlock)));
                var elseBlock = new List<IrStatement>();
                elseBlock.Add(Ir.Assign(temp.Name, NormalizeExpr(conditional.WhenFalse, elseBlock)));
                pre.Add(new IrIf(conditional.Condition, new IrBlock(thenBlock.ToEquatableArray()), new IrBlock(elseBlock.ToEquatableArray())));
                return temp;
            }
            case IrMathCall call:
            {
                var arguments = call.Arguments.Select(a => NormalizeExpr(a, pre)).ToList();
                if (DerivativeRules.NeedsArguments(call.Function))
                {
                    arguments = arguments.Select(a => Materialize(a, pre)).ToList();
                }
                var rewritten = call with { Arguments = arguments.ToEquatableArray() };
                return DerivativeRules.NeedsResult(call, activity.IsActive) && !isRoot ? Materialize(rewritten, pre) : rewritten;
            }
            case IrCall call:
            {
                // The pullback call needs every argument again, and the call is reversed as a statement of its own.
                var arguments = call.Arguments
                    .Select(a => a with { Value = Materialize(NormalizeExpr(a.Value, pre), pre) })
                    .ToEquatableArray();
                var rewritten = call with { Arguments = arguments };
                return isRoot ? rewritten : Materialize(rewritten, pre);
            }
            default:
                return expr;
        }
    }

    private IrExpr Materialize(IrExpr expr, List<IrStatement> pre)
    {
        if (Ir.IsAtom(expr)) return expr;
        var temp = NewTemporary(expr.Type);
        pre.Add(Ir.Assign(temp.Name, expr));
        return temp;
    }

    private IrVariable NewTemporary(IrType type)
    {
        var name = names.Numbered("_t");
        locals[name] = type;
        temporaries.Add(name);
        return Ir.Var(type, name);
    }

    /// <summary>Turns <c>return</c> statements into assignments to the result, keeping one exit.</summary>
    private sealed class ReturnEliminator
    {
        private readonly string result;
        private readonly string flag;

        public ReturnEliminator(string result, string flag)
        {
            this.result = result;
            this.flag = flag;
        }

        public bool UsedFlag { get; private set; }

        public IrBlock Eliminate(IrBlock body) => Eliminate(body.Statements.ToList());

        private IrBlock Eliminate(IReadOnlyList<IrStatement> statements)
        {
            var output = new List<IrStatement>();
            for (int i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (statement is IrReturn ret)
                {
                    if (ret.Value is { } value) output.Add(Ir.Assign(result, value));
                    output.Add(Ir.Assign(flag, Ir.True));
                    break; // what follows a return is unreachable
                }
                if (statement is not IrIf ifStatement || !MayReturn(statement))
                {
                    output.Add(statement);
                    continue;
                }

                var rest = statements.Skip(i + 1).ToList();
                bool thenReturns = AlwaysReturns(ifStatement.Then);
                bool elseReturns = AlwaysReturns(ifStatement.Else);
                if (thenReturns && elseReturns)
                {
                    output.Add(new IrIf(ifStatement.Condition, Eliminate(ifStatement.Then.Statements.ToList()), Eliminate(ifStatement.Else.Statements.ToList())));
                }
                else if (thenReturns && !MayReturn(ifStatement.Else))
                {
                    // if (c) { ...; return a; } rest  ==>  if (c) { ...; result = a; } else { rest }
                    output.Add(new IrIf(ifStatement.Condition, Eliminate(ifStatement.Then.Statements.ToList()),
                        Eliminate(ifStatement.Else.Statements.Concat(rest).ToList())));
                }
                else if (elseReturns && !MayReturn(ifStatement.Then))
                {
                    output.Add(new IrIf(ifStatement.Condition, Eliminate(ifStatement.Then.Statements.Concat(rest).ToList()),
                        Eliminate(ifStatement.Else.Statements.ToList())));
                }
                else
                {
                    // General case: a flag records whether a return happened; the rest runs only if not.
                    UsedFlag = true;
                    output.Add(new IrIf(ifStatement.Condition, Eliminate(ifStatement.Then.Statements.ToList()), Eliminate(ifStatement.Else.Statements.ToList())));
                    if (rest.Count > 0)
                    {
                        output.Add(new IrIf(Ir.Not(Ir.Var(IrType.Boolean, flag)), Eliminate(rest), IrBlock.Empty));
                    }
                }
                break;
            }
            return new IrBlock(output.ToEquatableArray());
        }

        private static bool MayReturn(IrStatement statement) => statement switch
        {
            IrReturn => true,
            IrIf s => s.Then.Statements.Any(MayReturn) || s.Else.Statements.Any(MayReturn),
            IrBlock b => b.Statements.Any(MayReturn),
            _ => false,
        };

        private static bool AlwaysReturns(IrBlock block) => block.Statements.Any(s => s switch
        {
            IrReturn => true,
            IrIf i => AlwaysReturns(i.Then) && AlwaysReturns(i.Else),
            IrBlock b => AlwaysReturns(b),
            _ => false,
        });
    }
}
