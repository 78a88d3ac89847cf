using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Targets.Ilgpu;

/// <summary>A rewritten body: the array parameters whose lengths it reads, whether it needs the thread's index, and
/// the lengths of the local arrays it makes in the scratch row (in terms of <c>FKernelScratchWidth</c>'s parameters).</summary>
internal sealed record RewrittenKernel(IrBlock Body, List<string> Lengths, bool UsesIndex, List<IrExpr> ScratchLengths, bool AllocatesArrays);

/// <summary>
/// Rewrites one kernel's body (<see cref="KernelVariant"/>) to ILGPU's rules: arrays become views or slices of the thread's
/// scratch row, the tape lives at the row's end, the adjoints of the shared parameters are accumulated atomically (or into
/// the thread's row), vector primitives become device loops. What kernels cannot do is recorded in a
/// <see cref="KernelRefusal"/>, and the rewrite then gives no body.
/// </summary>
internal sealed partial class KernelRewriter
{
    /// <summary>The <c>Math</c> functions ILGPU compiles for every backend (checked by compiling them to PTX in the tests).</summary>
    public static readonly HashSet<MathFunction> SupportedMath = new()
    {
        MathFunction.Exp, MathFunction.Log, MathFunction.Log10, MathFunction.Log2, MathFunction.Sqrt, MathFunction.Pow,
        MathFunction.Sin, MathFunction.Cos, MathFunction.Tan, MathFunction.Asin, MathFunction.Acos, MathFunction.Atan,
        MathFunction.Atan2, MathFunction.Sinh, MathFunction.Cosh, MathFunction.Tanh, MathFunction.Abs, MathFunction.Max,
        MathFunction.Min, MathFunction.Floor, MathFunction.Ceiling,
    };

    private readonly KernelPlan plan;
    private readonly KernelVariant variant;

    /// <summary>Where what kernels cannot do is recorded.</summary>
    private readonly KernelRefusal refusal;

    /// <summary>The placeholder for a count that could not be worked out (the rewrite is refused then).</summary>
    private static readonly IrExpr Unknown = Ir.Lit(IrType.Int32, 1);
    private readonly List<string> lengths = new();
    private bool usesIndex;
    private int loopDepth;

    /// <summary>Local array → the locals holding its slice's start in the scratch row and its length, and its length for the host.</summary>
    private readonly Dictionary<string, (string At, string Length, IrExpr HostLength)> localArrays = new();

    /// <summary>The host lengths of the local arrays this body makes, in order, then its tape's capacity.</summary>
    private readonly List<IrExpr> scratchLengths = new();

    /// <summary>True when the body keeps values on its tape (which then lives in the scratch row).</summary>
    private bool tapeUsed;

    /// <summary>Adjoint (or adjoint tangent) name → the parameter it belongs to and the view it is accumulated into.</summary>
    private readonly Dictionary<string, (IrParameter Parameter, string Target)> accumulated = new();

    /// <summary>Variables whose writes are dropped (the pullback's adjoints and result tangent, in the H·v kernel).</summary>
    private readonly HashSet<string> dropped = new();

    /// <summary>Variables replaced by another expression (directions, the seed's tangent).</summary>
    private readonly Dictionary<string, IrExpr> replaced = new();

    /// <summary>
    /// The kernel's body rewritten (the variant's IR from the plan), or null when kernels cannot do what it does; then
    /// <paramref name="refusal"/> says why. The plan's names are shared: rewrite each variant once, in the order printed.
    /// </summary>
    public static RewrittenKernel? Rewrite(KernelPlan plan, KernelVariant variant, KernelRefusal refusal)
        => new KernelRewriter(plan, variant, refusal).Rewrite(plan.BodyOf(variant));

    private KernelRewriter(KernelPlan plan, KernelVariant variant, KernelRefusal refusal)
    {
        this.plan = plan;
        this.variant = variant;
        this.refusal = refusal;
        var adjoints = plan.Shared.ToDictionary(p => plan.Pullback.AdjointOf(p.Name), p => p);
        if (variant is KernelVariant.Backward or KernelVariant.PerSampleBackward)
        {
            foreach (var pair in adjoints) accumulated[pair.Key] = (pair.Value, pair.Key);
        }
        else if (variant == KernelVariant.HessianVector)
        {
            foreach (var adjoint in adjoints.Keys) dropped.Add(adjoint);
            // Forward mode gave a tangent parameter to each of the pullback's parameters that carries one, in order.
            var backward = plan.Backward.Parameters;
            var withTangents = backward.Where(DerivativeSignatures.HasTangent).ToList();
            var tangents = plan.BackwardTangent.Parameters.Skip(backward.Count).ToList();
            for (int i = 0; i < withTangents.Count; i++)
            {
                var of = withTangents[i];
                var tangent = tangents[i];
                if (adjoints.TryGetValue(of.Name, out var shared)) accumulated[tangent.Name] = (shared, plan.Products[shared.Name]);
                else if (of.Name == plan.Pullback.Seed) replaced[tangent.Name] = Ir.Lit(of.Type, 0);
                else if (plan.Directions.TryGetValue(of.Name, out var direction)) replaced[tangent.Name] = new IrVariable(tangent.Type, direction);
            }
            foreach (var extra in tangents.Skip(withTangents.Count)) dropped.Add(extra.Name);
        }
    }

    private RewrittenKernel? Rewrite(IrBlock body)
    {
        tapeUsed = Ir.AnyStatement(body, s => s is IrTapePush);
        // A replaced variable that the body assigns (the tangent of a shared scalar the method reassigns, or of a seed
        // the pullback reassigns) becomes a local that starts from its replacement: reads after the assignment see
        // the new value.
        var assigned = new HashSet<string>();
        Ir.ForEachStatement(body, s =>
        {
            if (s is IrAssign a) assigned.Add(a.Target);
        });
        var copies = new List<IrStatement>();
        foreach (var name in replaced.Keys.Where(assigned.Contains).OrderBy(n => n, StringComparer.Ordinal).ToList())
        {
            var replacement = replaced[name];
            if (replacement.Type.IsSequence)
            {
                refusal.Refuse($"its derivatives assign '{name}', an array");
                return null;
            }
            copies.Add(new IrDeclare(replacement.Type, name, replacement));
            replaced.Remove(name);
        }
        var block = Block(body);
        if (copies.Count > 0) block = new IrBlock(copies.Concat(block.Statements).ToEquatableArray());
        // The tape's capacity: every push counted as often as the loops around it can run (their trip counts, from
        // the host's values), each branch as if taken. Local arrays' lengths are known now.
        if (tapeUsed && !refusal.Refused) scratchLengths.Add(TapeCapacity(body));
        return refusal.Refused ? null : new RewrittenKernel(block, lengths, usesIndex, scratchLengths, localArrays.Count > 0);
    }

    private IrBlock Block(IrBlock block)
    {
        var statements = new List<IrStatement>();
        foreach (var statement in block.Statements)
        {
            // After a refusal the body is not used: nothing more is rewritten.
            if (refusal.Refused) break;
            // A vector primitive becomes device loops (KernelCalls), rewritten like the rest.
            if (ExpandedCall(statement) is { } expanded)
            {
                foreach (var part in expanded)
                {
                    // A hoisted call is itself expanded.
                    foreach (var piece in Direct(part) ?? new List<IrStatement> { part })
                    {
                        if (Statement(piece) is { } rewrittenPart) statements.Add(rewrittenPart);
                    }
                }
                continue;
            }
            // A local array's declaration declares the locals of its slice in the same scope.
            if (statement is IrDeclare { Type.IsSequence: true } array)
            {
                statements.AddRange(DeclareLocalArray(array));
                continue;
            }
            if (statement is IrTapePush push)
            {
                statements.AddRange(Push(push));
                continue;
            }
            // A statement that pops reads the tape's top element, and then the top moves up past it.
            int pops = Pops(statement);
            if (Statement(statement) is { } rewritten) statements.Add(rewritten);
            if (pops > 0) statements.Add(new IrAssign(plan.TapeTop, Ir.Add(TapeTopVariable, Ir.Lit(IrType.Int32, pops))));
        }
        return new IrBlock(statements.ToEquatableArray());
    }

    private List<IrStatement>? ExpandedCall(IrStatement statement)
    {
        if (Direct(statement) is { } direct) return direct;
        // The primal method is not normalised: a primitive may sit inside a local's value or a return
        // (z = VectorMath.Dot(...) + b). Each such call is computed first into a local of its own.
        var hoisted = new List<IrStatement>();
        IrStatement? replaced = statement switch
        {
            IrDeclare { Initializer: { } value } declare => declare with { Initializer = Hoist(value, hoisted) },
            IrAssign assign => assign with { Value = Hoist(assign.Value, hoisted) },
            IrAssignElement element => element with { Value = Hoist(element.Value, hoisted) },
            IrReturn { Value: { } value } ret => new IrReturn(Hoist(value, hoisted)),
            _ => null,
        };
        if (replaced is null || hoisted.Count == 0) return null;
        hoisted.Add(replaced);
        return hoisted;
    }

    /// <summary>Replaces the primitive calls in <paramref name="expr"/> (outside conditional branches) by locals computed first.</summary>
    private IrExpr Hoist(IrExpr expr, List<IrStatement> output)
    {
        switch (expr)
        {
            case IrCall call when KernelCalls.IsPrimitive(call) && call.Arguments.All(a => a.Kind == ArgumentKind.Value):
            {
                var local = plan.Names.Fresh("_call");
                output.Add(new IrDeclare(call.Type, local, call));
                return new IrVariable(call.Type, local);
            }
            case IrBinary { Op: not (BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr) } binary:
                return binary with { Left = Hoist(binary.Left, output), Right = Hoist(binary.Right, output) };
            case IrUnary unary:
                return unary with { Operand = Hoist(unary.Operand, output) };
            case IrConvert convert:
                return convert with { Operand = Hoist(convert.Operand, output) };
            case IrStopDerivative stop:
                return stop with { Operand = Hoist(stop.Operand, output) };
            case IrMathCall math:
                return math with { Arguments = math.Arguments.Select(a => Hoist(a, output)).ToEquatableArray() };
            default:
                return expr;
        }
    }

    private List<IrStatement>? Direct(IrStatement statement) => statement switch
    {
        IrDeclare { Initializer: IrCall call } declare when KernelCalls.IsPrimitive(call)
            => KernelCalls.Expand(call, plan.Names.Fresh, value => declare with { Initializer = value }, refusal),
        IrAssign { Value: IrCall call } assign when KernelCalls.IsPrimitive(call)
            => KernelCalls.Expand(call, plan.Names.Fresh, value => assign with { Value = value }, refusal),
        IrExpressionStatement { Expression: IrCall call } when KernelCalls.IsPrimitive(call)
            => KernelCalls.Expand(call, plan.Names.Fresh, null, refusal),
        _ => null,
    };

    private IrStatement? Statement(IrStatement statement)
    {
        switch (statement)
        {
            case IrDeclare declare:
                return declare with { Initializer = declare.Initializer is null ? null : Expr(declare.Initializer) };
            case IrAssign assign:
                return Assign(assign);
            case IrAssignElement element:
                return AssignElement(element);
            case IrIf ifStatement:
                return new IrIf(Expr(ifStatement.Condition), Block(ifStatement.Then), Block(ifStatement.Else));
            case IrLoop loop:
            {
                loopDepth++;
                var rewritten = loop with { Condition = Expr(loop.Condition), Body = Block(loop.Body), Step = Block(loop.Step) };
                loopDepth--;
                return rewritten;
            }
            case IrReturn ret:
                return new IrReturn(ret.Value is null ? null : Expr(ret.Value));
            case IrExpressionStatement { Expression: IrCall call } when IsDeviceCall(call) && call.Arguments.Any(IntoAdjoint):
                return CallIntoAdjoints(call);
            case IrExpressionStatement expression:
                return new IrExpressionStatement(Expr(expression.Expression));
            case IrBlock block:
                return Block(block);
            case IrComment or IrBreak or IrContinue:
                return statement;
            case IrTapeRent when tapeUsed:
                // The tape starts at the end of the thread's scratch row and grows down; local arrays grow up from its start.
                usesIndex = true;
                return new IrDeclare(IrType.Int32, plan.TapeTop, Ir.Mul(
                    Ir.Add(new IrVariable(IrType.Int32, plan.Index), Ir.Lit(IrType.Int32, 1)), new IrVariable(IrType.Int32, plan.ScratchWidth)));
            case IrTapeRent or IrTapeReturn:
                // Tape.Return prints nothing, nor does the rent of a pullback that keeps nothing on its tape (it rented
                // the tape only for its local arrays, which kernels keep in the scratch row).
                return null;
            case IrCopyInto:
                return refusal.Refuse("its pullback copies arrays, and kernels allocate nothing", (IrStatement?)null);
            default:
                return refusal.Refuse($"its derivatives use {statement.GetType().Name}, which kernels do not support", (IrStatement?)null);
        }
    }

    private IrVariable ScratchVariable => new(plan.Result.WithShape(TypeShape.Array), plan.Scratch);

    private IrVariable TapeTopVariable => new(IrType.Int32, plan.TapeTop);

    /// <summary><c>_tapeTop -= 1; scratch[_tapeTop] = value;</c></summary>
    private List<IrStatement> Push(IrTapePush push)
    {
        var value = Expr(push.Value);
        IrExpr stored = value.Type == plan.Result ? value
            : value.Type.Kind == ScalarKind.Boolean ? new IrConditional(plan.Result, value, Ir.Lit(plan.Result, 1), Ir.Lit(plan.Result, 0))
            : new IrConvert(plan.Result, value);
        return new List<IrStatement>
        {
            new IrAssign(plan.TapeTop, Ir.Sub(TapeTopVariable, Ir.Lit(IrType.Int32, 1))),
            new IrAssignElement(plan.Scratch, TapeTopVariable, stored),
        };
    }

    /// <summary>A popped element read back as <paramref name="type"/> (ints and bools are kept as the scratch's type).</summary>
    private IrExpr FromScratch(IrType type, IrExpr element)
        => type == plan.Result ? element
            : type.Kind == ScalarKind.Boolean ? Ir.Compare(BinaryOp.NotEqual, element, Ir.Lit(plan.Result, 0))
            : new IrConvert(type, element);

    /// <summary>How many values a simple statement pops (at most one); a pop in a branch's or loop's condition is refused.</summary>
    private int Pops(IrStatement statement)
    {
        int count = 0;
        bool Count(IrExpr e)
        {
            if (e is IrTapePop) count++;
            return false;
        }
        switch (statement)
        {
            case IrIf or IrLoop or IrBlock:
                var condition = statement switch { IrIf i => i.Condition, IrLoop l => l.Condition, _ => null };
                if (condition is not null && Ir.AnyNode(condition, e => e is IrTapePop))
                {
                    return refusal.Refuse("its pullback reads its tape in a condition, which kernels do not do", 0);
                }
                return 0;
            default:
                Ir.ForEachRootExpression(IrBlock.Of(statement), e => Ir.AnyNode(e, Count));
                break;
        }
        if (count > 1) return refusal.Refuse("its pullback pops its tape twice in one statement, which kernels do not do", count);
        return count;
    }

    /// <summary>
    /// A local array (<c>double[] a = new double[n]</c>, or declared and made later): it becomes a slice of the
    /// thread's scratch row, <c>_aAt</c> to <c>_aAt + _aLength</c>, taken from <see cref="KernelPlan.ScratchTop"/>.
    /// </summary>
    private List<IrStatement> DeclareLocalArray(IrDeclare declare)
    {
        if (declare.Type.Shape != TypeShape.Array || declare.Type.Element != plan.Result)
        {
            return refusal.Refuse($"it declares the local '{declare.Name}' of type {declare.Type.Keyword}; kernels keep local arrays of {plan.Result.Keyword} only, in the scratch row", new List<IrStatement>());
        }
        var at = plan.Names.Fresh("_" + NameAllocator.Unescaped(declare.Name).TrimStart('_') + "At");
        var length = plan.Names.Fresh("_" + NameAllocator.Unescaped(declare.Name).TrimStart('_') + "Length");
        localArrays[declare.Name] = (at, length, Ir.Lit(IrType.Int32, 0));
        switch (declare.Initializer)
        {
            case null:
                return new List<IrStatement>
                {
                    new IrDeclare(IrType.Int32, at, Ir.Lit(IrType.Int32, 0)),
                    new IrDeclare(IrType.Int32, length, Ir.Lit(IrType.Int32, 0)),
                };
            case IrNewArray made:
                return Allocate(declare.Name, made, declare: true);
            default:
                return refusal.Refuse($"it declares the array local '{declare.Name}' from another array (kernels give each local array its own slice of the thread's scratch row)", new List<IrStatement>());
        }
    }

    /// <summary>Takes the array's slice from the scratch row and zeroes it, as <c>new T[n]</c> would.</summary>
    private List<IrStatement> Allocate(string name, IrNewArray made, bool declare)
    {
        if (made.Columns is not null) return refusal.Refuse($"it makes the matrix '{name}'; kernels keep one-dimensional local arrays only", new List<IrStatement>());
        if (loopDepth > 0)
        {
            return refusal.Refuse($"it makes the array '{name}' inside a loop; kernels give each local array one slice of the thread's scratch row, so make it once before the loop", new List<IrStatement>());
        }
        var (at, length, _) = localArrays[name];
        var hostLength = HostValue(made.Length, _ => LengthRefusal(name));
        localArrays[name] = (at, length, hostLength);
        scratchLengths.Add(hostLength);
        usesIndex = true;
        var int32 = IrType.Int32;
        var top = new IrVariable(int32, plan.ScratchTop);
        var lengthValue = Expr(made.Length);
        var statements = declare
            ? new List<IrStatement> { new IrDeclare(int32, length, lengthValue), new IrDeclare(int32, at, top) }
            : new List<IrStatement> { new IrAssign(length, lengthValue), new IrAssign(at, top) };
        statements.Add(new IrAssign(plan.ScratchTop, Ir.Add(top, new IrVariable(int32, length))));
        // for (int i = 0; i < length; i++) scratch[at + i] = 0;
        var i = new IrVariable(int32, plan.Names.Fresh("_i"));
        var zero = new IrAssignElement(plan.Scratch, Ir.Add(new IrVariable(int32, at), i), Ir.Lit(plan.Result, 0));
        statements.Add(new IrBlock(EquatableArray.Of<IrStatement>(
            new IrDeclare(int32, i.Name, Ir.Lit(int32, 0)),
            new IrLoop(Ir.Compare(BinaryOp.Less, i, new IrVariable(int32, length)), new IrBlock(EquatableArray.Of<IrStatement>(zero)),
                new IrBlock(EquatableArray.Of<IrStatement>(new IrAssign(i.Name, Ir.Add(i, Ir.Lit(int32, 1)))))))));
        return statements;
    }

    /// <summary>True for a call of a device function: one of the runtime's, or a user method the kernel may call.</summary>
    private bool IsDeviceCall(IrCall call) => KernelCalls.IsDeviceFunction(call.Method) || plan.Model.CalleeOf(call.Method) is { Refusal: null };

    /// <summary>True for a <c>ref</c> or <c>out</c> argument that is a shared parameter's adjoint (kernels only accumulate into it) or a dropped one.</summary>
    private bool IntoAdjoint(IrArgument argument)
        => argument.Kind != ArgumentKind.Value && argument.Value is IrVariable v && (accumulated.ContainsKey(v.Name) || dropped.Contains(v.Name));

    /// <summary>
    /// A device function's pullback that adds into a shared parameter's adjoint (<c>GBackward(b, seed, ref dB)</c>):
    /// it adds into a local instead, which is then accumulated like any other amount (<c>Atomic.Add</c>, or the
    /// thread's row); a dropped adjoint's local is left unread.
    /// </summary>
    private IrStatement CallIntoAdjoints(IrCall call)
    {
        var before = new List<IrStatement>();
        var after = new List<IrStatement>();
        var arguments = new List<IrArgument>();
        foreach (var argument in call.Arguments)
        {
            if (!IntoAdjoint(argument))
            {
                arguments.Add(argument with { Value = Expr(argument.Value) });
                continue;
            }
            var adjoint = (IrVariable)argument.Value;
            var local = plan.Names.Fresh("_" + NameAllocator.Unescaped(adjoint.Name).TrimStart('_') + "_call");
            before.Add(new IrDeclare(adjoint.Type, local, Ir.Lit(adjoint.Type, 0)));
            arguments.Add(argument with { Value = new IrVariable(adjoint.Type, local) });
            if (accumulated.TryGetValue(adjoint.Name, out var target))
            {
                after.Add(Accumulate(target.Parameter.Type.Element, target.Target, null, new IrVariable(adjoint.Type, local)));
            }
        }
        before.Add(new IrExpressionStatement(call with { Arguments = arguments.ToEquatableArray() }));
        before.AddRange(after);
        return new IrBlock(before.ToEquatableArray());
    }

    private IrStatement? Assign(IrAssign assign)
    {
        if (localArrays.ContainsKey(assign.Target))
        {
            if (assign.Value is not IrNewArray made)
            {
                return refusal.Refuse($"it assigns the array local '{assign.Target}' other than from new (kernels give each local array its own slice of the thread's scratch row)", (IrStatement?)null);
            }
            return new IrBlock(Allocate(assign.Target, made, declare: false).ToEquatableArray());
        }
        if (dropped.Contains(assign.Target)) return null;
        if (accumulated.TryGetValue(assign.Target, out var adjoint))
        {
            // A shared scalar's adjoint: dB = dB + e.
            var added = Increment(assign.Value, e => e is IrVariable v && v.Name == assign.Target)
                ?? refusal.Refuse<IrExpr>($"its pullback assigns the adjoint '{assign.Target}' other than by accumulation", Ir.Lit(plan.Result, 0));
            return Accumulate(adjoint.Parameter.Type.Element, adjoint.Target, null, added);
        }
        if (plan.Roles.TryGetValue(assign.Target, out var role) && role is KernelRole.PerSampleScalar or KernelRole.SharedArray or KernelRole.PerSampleArray)
        {
            return refusal.Refuse($"it assigns its parameter '{assign.Target}'; copy it into a local first", (IrStatement?)null);
        }
        return new IrAssign(assign.Target, Expr(assign.Value));
    }

    private IrStatement? AssignElement(IrAssignElement element)
    {
        if (localArrays.TryGetValue(element.Sequence, out var slice))
        {
            if (element.Column is not null) return refusal.Refuse($"it writes '{element.Sequence}' as a matrix", (IrStatement?)null);
            var value = Expr(element.Value);
            // a[i] -= 0 (the seed's tangent, replaced by 0 in the H·v kernel) does nothing.
            if (value is IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Right: IrLiteral { Value: 0 } or IrUnary { Operand: IrLiteral { Value: 0 } } }
                && element.Value is IrBinary { Left: IrElement self } && self.Sequence.Name == element.Sequence && self.Index == element.Index)
            {
                return null;
            }
            return new IrAssignElement(plan.Scratch, Ir.Add(new IrVariable(IrType.Int32, slice.At), Expr(element.Index)), value);
        }
        if (dropped.Contains(element.Sequence)) return null;
        if (accumulated.TryGetValue(element.Sequence, out var adjoint) && element.Column is null)
        {
            var added = Increment(element.Value, e => e is IrElement read && read.Sequence.Name == element.Sequence && read.Index == element.Index && read.Column is null)
                ?? refusal.Refuse<IrExpr>($"its pullback writes the adjoint '{element.Sequence}' other than by accumulation", Ir.Lit(plan.Result, 0));
            return Accumulate(adjoint.Parameter.Type.Element, adjoint.Target, Expr(element.Index), added);
        }
        return refusal.Refuse($"it writes elements of '{element.Sequence}' (threads share their inputs, so kernels only read them)", (IrStatement?)null);
    }

    /// <summary>For <c>target + e</c> or <c>target - e</c>, the rewritten amount added (e or −e); null for another form.</summary>
    private IrExpr? Increment(IrExpr value, Func<IrExpr, bool> isTarget)
    {
        if (value is not IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract } binary || !isTarget(binary.Left)) return null;
        var amount = Expr(binary.Right);
        return binary.Op == BinaryOp.Add ? amount : Ir.Neg(amount);
    }

    /// <summary>
    /// Adds <paramref name="amount"/> into element <paramref name="index"/> of <paramref name="target"/> (element 0 for
    /// a scalar): atomically for the batch-summed kernels, into the thread's row for per-sample gradients.
    /// </summary>
    private IrStatement Accumulate(IrType element, string target, IrExpr? index, IrExpr amount)
    {
        if (variant == KernelVariant.PerSampleBackward)
        {
            usesIndex = true;
            var thread = new IrVariable(IrType.Int32, plan.Index);
            var place = index is null
                ? new IrElement(element, new IrVariable(element.WithShape(TypeShape.Array), target), thread)
                : new IrElement(element, new IrVariable(element.WithShape(TypeShape.Matrix), target), thread) { Column = index };
            return new IrAssignElement(target, place.Index, Ir.Add(place, amount)) { Column = place.Column };
        }
        var atomic = new IrMethodRef("global::ILGPU.Atomic", "Add", false, EquatableArray<IrParameter>.Empty);
        var cell = new IrElement(element, new IrVariable(element.WithShape(TypeShape.Array), target), index ?? Ir.Lit(IrType.Int32, 0));
        return new IrExpressionStatement(new IrCall(element, atomic, EquatableArray.Of(new IrArgument(cell, ArgumentKind.Ref), new IrArgument(amount))));
    }

    private IrExpr Expr(IrExpr expr)
    {
        switch (expr)
        {
            case IrLiteral:
                return expr;
            case IrVariable variable:
                if (replaced.TryGetValue(variable.Name, out var replacement)) return replacement;
                if (dropped.Contains(variable.Name) || accumulated.ContainsKey(variable.Name))
                {
                    return refusal.Refuse($"its derivatives read the adjoint '{variable.Name}', which kernels only accumulate into", expr);
                }
                if (variable.Type.IsSequence) return refusal.Refuse($"it uses the array '{variable.Name}' other than by element or length", expr);
                if (plan.Roles.TryGetValue(variable.Name, out var role) && role == KernelRole.PerSampleScalar)
                {
                    return new IrElement(variable.Type, variable with { Type = variable.Type.WithShape(TypeShape.Array) }, new IrVariable(IrType.Int32, plan.Sample));
                }
                return variable;
            case IrStaticField field:
                return refusal.Refuse(field.ContainingType == IrStaticField.This
                    ? $"it reads '{field.Name}' of its object"
                    : $"it reads the static member '{field.Name}' (kernels read their parameters and constants only)", expr);
            case IrUnary unary:
                return unary with { Operand = Expr(unary.Operand) };
            case IrBinary binary:
                return binary with { Left = Expr(binary.Left), Right = Expr(binary.Right) };
            case IrConditional conditional:
                return conditional with { Condition = Expr(conditional.Condition), WhenTrue = Expr(conditional.WhenTrue), WhenFalse = Expr(conditional.WhenFalse) };
            case IrConvert convert:
                return convert with { Operand = Expr(convert.Operand) };
            case IrStopDerivative stop:
                // Only differentiation reads the marker; the value is the operand's.
                return Expr(stop.Operand);
            case IrMathCall call:
                if (!SupportedMath.Contains(call.Function)) return refusal.Refuse($"its derivatives call Math.{call.Function}, which ILGPU does not compile", expr);
                return call with { Arguments = call.Arguments.Select(Expr).ToEquatableArray() };
            case IrElement element:
                return Element(element);
            case IrLength length:
                return Length(length);
            case IrCall call when IsDeviceCall(call):
                // A device function: the runtime's, or a user method checked by KernelCallees.
                return call with { Arguments = call.Arguments.Select(a => a with { Value = Expr(a.Value) }).ToEquatableArray() };
            case IrCall call when plan.Model.CalleeOf(call.Method) is { Refusal: { } calleeRefusal }:
                return refusal.Refuse(calleeRefusal, expr);
            case IrCall call when KernelCalls.IsPrimitive(call):
                return refusal.Refuse($"it calls 'VectorMath.{call.Method.Name}' inside an expression (kernels expand vector primitives only where the call is a statement or a local's value)", expr);
            case IrCall call:
                return refusal.Refuse($"it calls '{call.Method.Name}', which kernels cannot call (they call the vector primitives of AutoDiff.Primitives.VectorMath, the runtime's scalar functions Losses.Softplus and Losses.Activate, and [Differentiable] methods of this project that take and return scalars; write other callees' code inline)", expr);
            case IrNewArray or IrArrayCopy:
                return refusal.Refuse("it or its derivatives allocate an array, and kernels allocate nothing", expr);
            case IrTapePop pop:
                return FromScratch(pop.Type, new IrElement(plan.Result, ScratchVariable, TapeTopVariable));
            default:
                return refusal.Refuse($"its derivatives use {expr.GetType().Name}, which kernels do not support", expr);
        }
    }

    private IrExpr Element(IrElement element)
    {
        var name = element.Sequence.Name;
        if (localArrays.TryGetValue(name, out var slice) && element.Column is null)
        {
            var scratch = new IrVariable(element.Type.WithShape(TypeShape.Array), plan.Scratch);
            return new IrElement(element.Type, scratch, Ir.Add(new IrVariable(IrType.Int32, slice.At), Expr(element.Index)));
        }
        if (replaced.TryGetValue(name, out var replacement) && replacement is IrVariable direction)
        {
            return element with { Sequence = direction, Index = Expr(element.Index) };
        }
        if (dropped.Contains(name) || accumulated.ContainsKey(name))
        {
            return refusal.Refuse($"its derivatives read the adjoint '{name}', which kernels only accumulate into", (IrExpr)element);
        }
        if (element.Column is not null || !plan.Roles.TryGetValue(name, out var role))
        {
            return refusal.Refuse($"it reads elements of '{name}', which is not a one-dimensional array parameter", (IrExpr)element);
        }
        var index = Expr(element.Index);
        return role == KernelRole.PerSampleArray
            ? element with { Index = new IrVariable(IrType.Int32, plan.Sample), Column = index }
            : element with { Index = index };
    }

    private IrExpr Length(IrLength length)
    {
        var name = length.Sequence.Name;
        if (localArrays.TryGetValue(name, out var slice) && length.Dimension is null) return new IrVariable(IrType.Int32, slice.Length);
        if (length.Dimension is not null || !plan.Lengths.TryGetValue(name, out var local))
        {
            if (replaced.TryGetValue(name, out var direction) && direction is IrVariable v && plan.Directions.ContainsValue(v.Name))
            {
                // A direction has the length of its parameter.
                var parameter = plan.Directions.First(d => d.Value == v.Name).Key;
                return Length(new IrLength(new IrVariable(length.Sequence.Type, parameter)));
            }
            return refusal.Refuse($"it reads the length of '{name}', which is not a one-dimensional array parameter", (IrExpr)length);
        }
        if (!lengths.Contains(name)) lengths.Add(name);
        return new IrVariable(IrType.Int32, local);
    }
}
