using System.Collections.Generic;
using System.Linq;

namespace AutoDiff.Generator.IR;

/// <summary>Short factories and queries for IR trees.</summary>
internal static class Ir
{
    public static IrVariable Var(IrType type, string name) => new(type, name);

    public static IrLiteral Lit(IrType type, double value) => new(type, value);

    public static IrLiteral True => new(IrType.Boolean, 1);

    /// <summary>
    /// The value a local starts from before its first assignment: zero for a number or a bool, an empty array (of zero
    /// rows and columns for a matrix) for a sequence.
    /// </summary>
    public static IrExpr Zero(IrType type) => type.IsSequence
        ? new IrNewArray(type.IsMatrix ? type : type.WithShape(TypeShape.Array), Lit(IrType.Int32, 0)) { Columns = type.IsMatrix ? Lit(IrType.Int32, 0) : null }
        : Lit(type, 0);

    public static IrExpr Add(IrExpr left, IrExpr right) => new IrBinary(left.Type, BinaryOp.Add, left, right);

    public static IrExpr Sub(IrExpr left, IrExpr right) => new IrBinary(left.Type, BinaryOp.Subtract, left, right);

    public static IrExpr Mul(IrExpr left, IrExpr right) => new IrBinary(left.Type, BinaryOp.Multiply, left, right);

    public static IrExpr Div(IrExpr left, IrExpr right) => new IrBinary(left.Type, BinaryOp.Divide, left, right);

    public static IrExpr Neg(IrExpr operand) => new IrUnary(operand.Type, UnaryOp.Negate, operand);

    public static IrExpr Not(IrExpr operand) => new IrUnary(IrType.Boolean, UnaryOp.Not, operand);

    public static IrExpr Compare(BinaryOp op, IrExpr left, IrExpr right) => new IrBinary(IrType.Boolean, op, left, right);

    public static IrExpr Math(MathFunction function, params IrExpr[] arguments)
        => new IrMathCall(arguments[0].Type, function, arguments.ToEquatableArray());

    public static IrExpr Convert(IrType type, IrExpr operand) => operand.Type == type ? operand : new IrConvert(type, operand);

    public static IrStatement Assign(string target, IrExpr value) => new IrAssign(target, value);

    /// <summary>Gives the statements added to <paramref name="statements"/> from <paramref name="start"/> on the source line
    /// <paramref name="source"/>, where they have none of their own (the statements one user statement turns into).</summary>
    public static void StampSource(List<IrStatement> statements, int start, SourceLine? source)
    {
        if (source is null) return;
        for (int i = start; i < statements.Count; i++)
        {
            if (statements[i].Origin is null && statements[i] is not (IrBlock or IrComment)) statements[i] = statements[i] with { Origin = source };
        }
    }

    /// <summary><c>-expr</c>, unwrapping a negation instead of adding a second one.</summary>
    public static IrExpr Negated(IrExpr expr) => expr is IrUnary { Op: UnaryOp.Negate } inner ? inner.Operand : Neg(expr);

    /// <summary>True when some node of the expression (itself included) satisfies <paramref name="predicate"/>.</summary>
    public static bool AnyNode(IrExpr expr, System.Func<IrExpr, bool> predicate)
    {
        bool found = false;
        ForEachNode(expr, node => found |= predicate(node));
        return found;
    }

    /// <summary><c>target += value</c>, written as an assignment so every pass sees one kind of write.</summary>
    public static IrStatement AddAssign(IrVariable target, IrExpr value)
        => new IrAssign(target.Name, Add(target, value));

    /// <summary>True for leaves: literals, variables and static fields, whose value costs nothing to read again.</summary>
    public static bool IsAtom(IrExpr expr) => expr is IrLiteral or IrVariable or IrStaticField;

    /// <summary>
    /// True for atoms and for conversions and negations of atoms (<c>(double)i</c>, <c>-x</c>): evaluating them
    /// again in the reverse sweep costs less than keeping them.
    /// </summary>
    public static bool IsCheap(IrExpr expr) => expr switch
    {
        IrConvert convert => IsCheap(convert.Operand),
        IrElement element => IsCheap(element.Index) && (element.Column is null || IsCheap(element.Column)),
        IrLength => true,
        IrBinary { Type.IsInteger: true, Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } index => IsCheap(index.Left) && IsCheap(index.Right),
        IrUnary { Op: UnaryOp.Negate } negate => IsCheap(negate.Operand),
        _ => IsAtom(expr),
    };

    /// <summary>A new zeroed array with the shape of <paramref name="like"/> (rows and columns for a <c>T[,]</c>).</summary>
    public static IrNewArray ZerosLike(IrVariable like, IrType type)
        => like.Type.IsMatrix
            ? new IrNewArray(type.WithShape(TypeShape.Matrix), new IrLength(like) { Dimension = 0 }) { Columns = new IrLength(like) { Dimension = 1 } }
            : new IrNewArray(type.WithShape(TypeShape.Array), new IrLength(like));

    /// <summary>The names of the variables an expression reads.</summary>
    public static HashSet<string> VariablesOf(IrExpr expr)
    {
        var names = new HashSet<string>();
        CollectVariables(expr, names);
        return names;
    }

    public static void CollectVariables(IrExpr expr, ISet<string> names)
        => ForEachNode(expr, node =>
        {
            if (node is IrVariable variable) names.Add(variable.Name);
        });

    /// <summary>
    /// The variables a statement, or one nested in it, reads or writes (tapes and the arrays a statement writes into
    /// included). IR is immutable, so the set is worked out once per statement object and kept beside it: passes that
    /// ask "does this statement mention x?" for many names and many statements pay a hash lookup each, not a walk of
    /// the statement's expressions (which made sinking declarations quadratic in the size of a method). A loop or a
    /// branch rebuilt around the same statements reuses their sets.
    /// </summary>
    public static IReadOnlyCollection<string> NamesIn(IrStatement statement) => NamesCache.GetValue(statement, ComputeNamesIn);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IrStatement, HashSet<string>> NamesCache = new();

    private static HashSet<string> ComputeNamesIn(IrStatement statement)
    {
        var walker = new NamesWalker();
        walker.Visit(statement);
        return walker.Names;
    }

    /// <summary>Collects the names a statement mentions; a nested statement's through <see cref="NamesIn"/>, so that its set is reused.</summary>
    private sealed class NamesWalker : IrWalker
    {
        public HashSet<string> Names { get; } = new(System.StringComparer.Ordinal);

        public override void VisitBlock(IrBlock block)
        {
            foreach (var nested in block.Statements) Names.UnionWith(NamesIn(nested));
        }

        public override void VisitDeclare(IrDeclare declare)
        {
            Names.Add(declare.Name);
            base.VisitDeclare(declare);
        }

        public override void VisitAssign(IrAssign assign)
        {
            Names.Add(assign.Target);
            base.VisitAssign(assign);
        }

        public override void VisitAssignElement(IrAssignElement element)
        {
            Names.Add(element.Sequence);
            base.VisitAssignElement(element);
        }

        public override void VisitTapePush(IrTapePush push)
        {
            Names.Add(push.Tape);
            base.VisitTapePush(push);
        }

        public override void VisitCopyInto(IrCopyInto copy)
        {
            Names.Add(copy.Target);
            base.VisitCopyInto(copy);
        }

        public override void VisitLeafStatement(IrStatement statement)
        {
            if (statement is IrTapeRent rent) Names.Add(rent.Tape);
            else if (statement is IrTapeReturn ret) Names.Add(ret.Tape);
        }

        public override void VisitVariable(IrVariable variable) => Names.Add(variable.Name);
    }

    /// <summary>The arrays and spans whose elements the block writes.</summary>
    public static HashSet<string> ElementWriteTargets(IrBlock block)
    {
        var targets = new HashSet<string>();
        ForEachStatement(block, statement =>
        {
            if (statement is IrAssignElement element) targets.Add(element.Sequence);
        });
        // Calls write their outputs and the index arrays they are given, wherever they stand.
        ForEachRootExpression(block, root => ForEachNode(root, node =>
        {
            if (node is not IrCall call) return;
            foreach (var output in OutputArguments(call)) targets.Add(output.Name);
        }));
        return targets;
    }

    /// <summary>The arrays and spans a call of a vector-valued method writes: its arguments for output parameters.</summary>
    public static IEnumerable<IrVariable> OutputArguments(IrCall call) => OutputViews(call).Select(o => o.Sequence);

    /// <summary>
    /// The elements a call of a vector-valued method writes, for each output parameter: the array or span passed, and the
    /// first element and the count of the slice passed (null for the whole sequence).
    /// </summary>
    public static IEnumerable<IrView> OutputViews(IrCall call)
    {
        for (int i = 0; i < call.Arguments.Count && i < call.Method.Parameters.Count; i++)
        {
            if (!call.Method.Parameters[i].IsWrittenByCall) continue;
            switch (call.Arguments[i].Value)
            {
                case IrVariable output:
                    yield return new IrView(output, null, null);
                    break;
                case IrSlice slice:
                    yield return new IrView(slice.Sequence, slice.Start, slice.Length);
                    break;
            }
        }
    }

    /// <summary>The variable an argument passes: itself, or the sequence a slice views; null for other expressions.</summary>
    public static IrVariable? VariableOf(IrExpr argument) => argument as IrVariable ?? (argument as IrSlice)?.Sequence;

    /// <summary>The array or span an argument passes, whole or as a slice; null for other arguments.</summary>
    public static IrVariable? SequenceOf(IrExpr argument) => VariableOf(argument) is { Type.IsSequence: true } sequence ? sequence : null;

    /// <summary>True for a call statement of a vector-valued method, or of one that writes index arrays it is given.</summary>
    public static bool WritesOutputs(IrStatement statement)
        => statement is IrExpressionStatement { Expression: IrCall call } && WritesArguments(call);

    /// <summary>True for a call that writes into arrays or spans it is given.</summary>
    public static bool WritesArguments(IrCall call) => call.Method.Parameters.Any(p => p.IsWrittenByCall);

    /// <summary>Calls <paramref name="visit"/> on every statement, nested ones included, in textual order.</summary>
    public static void ForEachStatement(IrBlock block, System.Action<IrStatement> visit) => new StatementVisitor(visit).VisitBlock(block);

    private sealed class StatementVisitor : IrWalker
    {
        private readonly System.Action<IrStatement> visit;

        public StatementVisitor(System.Action<IrStatement> visit) => this.visit = visit;

        protected override void BeforeVisit(IrStatement statement) => visit(statement);

        public override void VisitRoot(IrExpr expr)
        {
        }
    }

    /// <summary>True when some statement of the block, nested ones included, satisfies <paramref name="predicate"/>.</summary>
    public static bool AnyStatement(IrBlock block, System.Func<IrStatement, bool> predicate)
    {
        bool found = false;
        ForEachStatement(block, statement => found |= predicate(statement));
        return found;
    }

    /// <summary>Calls <paramref name="visit"/> on every expression tree root a block holds.</summary>
    public static void ForEachRootExpression(IrBlock block, System.Action<IrExpr> visit) => new RootVisitor(visit).VisitBlock(block);

    private sealed class RootVisitor : IrWalker
    {
        private readonly System.Action<IrExpr> visit;

        public RootVisitor(System.Action<IrExpr> visit) => this.visit = visit;

        public override void VisitRoot(IrExpr expr) => visit(expr);
    }

    /// <summary>Calls <paramref name="visit"/> on an expression and all its sub-expressions, parents first.</summary>
    public static void ForEachNode(IrExpr expr, System.Action<IrExpr> visit) => new NodeVisitor(visit).Visit(expr);

    private sealed class NodeVisitor : IrWalker
    {
        private readonly System.Action<IrExpr> visit;

        public NodeVisitor(System.Action<IrExpr> visit) => this.visit = visit;

        protected override void BeforeVisit(IrExpr expr) => visit(expr);
    }
}
