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
        var eliminator = new JumpEliminator(result.Name, returned, names, locals);
        var singleExit = eliminator.Eliminate(hoisted);
        if (eliminator.UsedReturnFlag)
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
        var normalized = NormalizeBlock(singleExit, inLoop: false);
        activity = ActivityAnalysis.Compute(method.Parameters, locals, normalized, isInput);
        assignmentCounts = CountAssignments(normalized);
        return new NormalizedMethod(method, locals, normalized, result, activity, assignmentCounts);
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
                    if (declare.Initializer is { } init) output.Add(new IrAssign(declare.Name, init) { Origin = declare.Origin });
                    break;
                case IrBlock nested:
                    output.AddRange(Hoist(nested).Statements);
                    break;
                case IrIf ifStatement:
                    output.Add(ifStatement with { Then = Hoist(ifStatement.Then), Else = Hoist(ifStatement.Else) });
                    break;
                case IrLoop loop:
                    output.Add(loop with { Body = Hoist(loop.Body), Step = Hoist(loop.Step) });
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
                    output.Add(ifStatement with { Then = StripFlag(ifStatement.Then, flag), Else = StripFlag(ifStatement.Else, flag) });
                    break;
                case IrLoop loop:
                    output.Add(loop with { Body = StripFlag(loop.Body, flag), Step = StripFlag(loop.Step, flag) });
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return new IrBlock(output.ToEquatableArray());
    }

    /// <param name="block">The statements.</param>
    /// <param name="inLoop">True inside a loop, where every assignment may overwrite a value from an earlier iteration.</param>
    private IrBlock NormalizeBlock(IrBlock block, bool inLoop)
    {
        var output = new List<IrStatement>();
        foreach (var statement in block.Statements)
        {
            int start = output.Count;
            NormalizeStatement(statement, output, inLoop);
            // The temporaries a statement splits into keep its source line.
            Ir.StampSource(output, start, statement.Origin);
        }
        return new IrBlock(output.ToEquatableArray());
    }

    private void NormalizeStatement(IrStatement statement, List<IrStatement> output, bool inLoop)
    {
        {
            switch (statement)
            {
                case IrAssign assign when activity.IsActive(assign.Value):
                {
                    // The target holds the root's value: the reverse sweep reads it there (copying it first
                    // if it restores the target's older value), so the root itself is never a temporary.
                    var value = NormalizeExpr(assign.Value, output, isRoot: true);
                    output.Add(Ir.Assign(assign.Target, value));
                    break;
                }
                case IrAssignElement element when IndexReadsTheSequence(element):
                {
                    // slots[slots[k]] = e changes the element its own index reads: the index goes to a temporary first, so
                    // that the reverse sweep restores (and takes the adjoint of) the element the forward sweep wrote.
                    IrVariable Hoisted(IrExpr value)
                    {
                        var temporary = NewTemporary(value.Type);
                        output.Add(Ir.Assign(temporary.Name, value));
                        return temporary;
                    }
                    var index = Hoisted(element.Index);
                    var column = element.Column is null ? null : Hoisted(element.Column);
                    NormalizeStatement(element with { Index = index, Column = column }, output, inLoop);
                    break;
                }
                case IrAssignElement element when activity.IsActive(element.Value):
                    // A call's result goes to a temporary first: calls are reversed and tangents taken as whole statements.
                    output.Add(element with { Value = NormalizeExpr(element.Value, output, isRoot: element.Value is not IrCall) });
                    break;
                case IrExpressionStatement { Expression: IrCall call } when Ir.WritesOutputs(statement) && activity.IsActive(call):
                    // A vector-valued callee's pullback is called with the same arguments, and its adjoints go to variables.
                    output.Add(new IrExpressionStatement(NormalizeExpr(call, output, isRoot: true)));
                    break;
                case IrIf ifStatement:
                    output.Add(ifStatement with { Then = NormalizeBlock(ifStatement.Then, inLoop), Else = NormalizeBlock(ifStatement.Else, inLoop) });
                    break;
                case IrLoop loop:
                    output.Add(loop with { Body = NormalizeBlock(loop.Body, inLoop: true), Step = NormalizeBlock(loop.Step, inLoop: true) });
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
    }

    private static bool IndexReadsTheSequence(IrAssignElement element)
        => Ir.VariablesOf(element.Index).Contains(element.Sequence)
            || element.Column is not null && Ir.VariablesOf(element.Column).Contains(element.Sequence);

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
                // A slice stays a view: its start and length are read again, as indices are.
                var arguments = call.Arguments
                    .Select(a => a.Value is IrSlice ? a : a with { Value = Materialize(NormalizeExpr(a.Value, pre), pre, keepCheap: false) })
                    .ToEquatableArray();
                var rewritten = call with { Arguments = arguments };
                return isRoot ? rewritten : Materialize(rewritten, pre);
            }
            default:
                return expr;
        }
    }

    /// <param name="expr">The value.</param>
    /// <param name="pre">Where the temporary's assignment goes.</param>
    /// <param name="keepCheap">Leave cheap expressions (<c>(double)i</c>) in place; a call's arguments need true atoms,
    /// since their adjoints are passed by ref.</param>
    private IrExpr Materialize(IrExpr expr, List<IrStatement> pre, bool keepCheap = true)
    {
        if (keepCheap ? Ir.IsCheap(expr) : Ir.IsAtom(expr)) return expr;
        var temp = NewTemporary(expr.Type);
        pre.Add(Ir.Assign(temp.Name, expr));
        return temp;
    }

    private IrVariable NewTemporary(IrType type)
    {
        var name = names.Numbered("_t");
        locals[name] = type;
        return Ir.Var(type, name);
    }

    /// <summary>
    /// Removes <c>return</c>, <c>break</c> and <c>continue</c>: a return assigns the result; jumps set flags
    /// (<c>_returned</c>, <c>_breakN</c>, <c>_continueN</c>), the statements after a possible jump run only if no
    /// flag is set, and a loop with a break flag tests it in its condition. Outside loops, a branch that
    /// always returns takes the rest of the block into its other branch instead of a flag.
    /// </summary>
    private sealed class JumpEliminator
    {
        private readonly string result;
        private readonly string returnedFlag;
        private readonly NameAllocator names;
        private readonly Dictionary<string, IrType> locals;
        private readonly List<LoopFlags> loops = new();

        public JumpEliminator(string result, string returnedFlag, NameAllocator names, Dictionary<string, IrType> locals)
        {
            this.result = result;
            this.returnedFlag = returnedFlag;
            this.names = names;
            this.locals = locals;
        }

        public bool UsedReturnFlag { get; private set; }

        private sealed class LoopFlags
        {
            public string? Break;
            public string? Continue;
        }

        public IrBlock Eliminate(IrBlock body) => Eliminate(body.Statements.ToList());

        private string Flag(string prefix)
        {
            var name = names.Numbered(prefix);
            locals[name] = IrType.Boolean;
            return name;
        }

        private IrBlock Eliminate(IReadOnlyList<IrStatement> statements)
        {
            var output = new List<IrStatement>();
            for (int i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                // What follows the statement, for the cases that move it under a guard (made only then: copying it for every
                // statement made this pass quadratic).
                List<IrStatement> Rest() => statements.Skip(i + 1).ToList();
                switch (statement)
                {
                    case IrReturn ret:
                        if (ret.Value is { } value) output.Add(new IrAssign(result, value) { Origin = ret.Origin });
                        output.Add(Ir.Assign(returnedFlag, Ir.True));
                        foreach (var loop in loops)
                        {
                            loop.Break ??= Flag("_break");
                            output.Add(Ir.Assign(loop.Break, Ir.True));
                        }
                        return Block(output); // what follows a jump is unreachable
                    case IrBreak:
                    {
                        var loop = loops[loops.Count - 1];
                        loop.Break ??= Flag("_break");
                        output.Add(Ir.Assign(loop.Break, Ir.True));
                        return Block(output);
                    }
                    case IrContinue:
                    {
                        var loop = loops[loops.Count - 1];
                        loop.Continue ??= Flag("_continue");
                        output.Add(Ir.Assign(loop.Continue, Ir.True));
                        return Block(output);
                    }
                    case IrIf ifStatement when MayJump(ifStatement):
                    {
                        if (loops.Count == 0)
                        {
                            bool thenReturns = AlwaysReturns(ifStatement.Then);
                            bool elseReturns = AlwaysReturns(ifStatement.Else);
                            if (thenReturns && elseReturns)
                            {
                                output.Add(ifStatement with { Then = Eliminate(ifStatement.Then.Statements.ToList()), Else = Eliminate(ifStatement.Else.Statements.ToList()) });
                                return Block(output);
                            }
                            if (thenReturns && !MayJump(ifStatement.Else))
                            {
                                // if (c) { ...; return a; } rest  ==>  if (c) { ...; result = a; } else { rest }
                                output.Add(ifStatement with { Then = Eliminate(ifStatement.Then.Statements.ToList()), Else = Eliminate(ifStatement.Else.Statements.Concat(Rest()).ToList()) });
                                return Block(output);
                            }
                            if (elseReturns && !MayJump(ifStatement.Then))
                            {
                                output.Add(ifStatement with { Then = Eliminate(ifStatement.Then.Statements.Concat(Rest()).ToList()), Else = Eliminate(ifStatement.Else.Statements.ToList()) });
                                return Block(output);
                            }
                        }
                        output.Add(ifStatement with { Then = Eliminate(ifStatement.Then.Statements.ToList()), Else = Eliminate(ifStatement.Else.Statements.ToList()) });
                        if (i + 1 < statements.Count) output.Add(new IrIf(Ir.Not(Guard(ifStatement)), Eliminate(Rest()), IrBlock.Empty));
                        return Block(output);
                    }
                    case IrLoop loop:
                    {
                        var flags = new LoopFlags();
                        loops.Add(flags);
                        var body = Eliminate(loop.Body.Statements.ToList());
                        loops.RemoveAt(loops.Count - 1);
                        var condition = loop.Condition;
                        var step = loop.Step;
                        if (flags.Continue is { } continueFlag)
                        {
                            body = new IrBlock(new[] { Ir.Assign(continueFlag, Ir.Lit(IrType.Boolean, 0)) }.Concat(body.Statements).ToEquatableArray());
                        }
                        if (flags.Break is { } breakFlag)
                        {
                            output.Add(Ir.Assign(breakFlag, Ir.Lit(IrType.Boolean, 0)));
                            condition = new IrBinary(IrType.Boolean, BinaryOp.ConditionalAnd, Ir.Not(Ir.Var(IrType.Boolean, breakFlag)), condition);
                            // A break skips the increment.
                            if (!step.IsEmpty) step = IrBlock.Of(new IrIf(Ir.Not(Ir.Var(IrType.Boolean, breakFlag)), step, IrBlock.Empty));
                        }
                        output.Add(loop with { Condition = condition, Body = body, Step = step });
                        if (MayReturn(loop) && i + 1 < statements.Count)
                        {
                            UsedReturnFlag = true;
                            output.Add(new IrIf(Ir.Not(Ir.Var(IrType.Boolean, returnedFlag)), Eliminate(Rest()), IrBlock.Empty));
                            return Block(output);
                        }
                        break;
                    }
                    default:
                        output.Add(statement);
                        break;
                }
            }
            return Block(output);
        }

        /// <summary>The flags that a jump inside <paramref name="statement"/> may have set, or-ed together.</summary>
        private IrExpr Guard(IrStatement statement)
        {
            var flags = new List<string>();
            if (MayReturn(statement))
            {
                UsedReturnFlag = true;
                flags.Add(returnedFlag);
            }
            if (loops.Count > 0)
            {
                var loop = loops[loops.Count - 1];
                if (ContainsLoopJump<IrBreak>(statement) && loop.Break is { } b) flags.Add(b);
                if (ContainsLoopJump<IrContinue>(statement) && loop.Continue is { } c) flags.Add(c);
            }
            IrExpr guard = Ir.Var(IrType.Boolean, flags[0]);
            foreach (var flag in flags.Skip(1)) guard = new IrBinary(IrType.Boolean, BinaryOp.ConditionalOr, guard, Ir.Var(IrType.Boolean, flag));
            return guard;
        }

        private static IrBlock Block(List<IrStatement> statements) => new(statements.ToEquatableArray());

        private static bool MayJump(IrStatement statement)
            => MayReturn(statement) || ContainsLoopJump<IrBreak>(statement) || ContainsLoopJump<IrContinue>(statement);

        private static bool MayJump(IrBlock block) => block.Statements.Any(MayJump);

        private static bool MayReturn(IrStatement statement) => statement switch
        {
            IrReturn => true,
            IrIf s => s.Then.Statements.Any(MayReturn) || s.Else.Statements.Any(MayReturn),
            IrLoop l => l.Body.Statements.Any(MayReturn),
            IrBlock b => b.Statements.Any(MayReturn),
            _ => false,
        };

        /// <summary>A break or continue that leaves the current loop (not one inside a nested loop).</summary>
        private static bool ContainsLoopJump<TJump>(IrStatement statement) where TJump : IrStatement => statement switch
        {
            TJump => true,
            IrIf s => s.Then.Statements.Any(ContainsLoopJump<TJump>) || s.Else.Statements.Any(ContainsLoopJump<TJump>),
            IrBlock b => b.Statements.Any(ContainsLoopJump<TJump>),
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
