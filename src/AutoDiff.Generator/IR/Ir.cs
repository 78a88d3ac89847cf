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
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        void AddNested(IrBlock block)
        {
            foreach (var nested in block.Statements) names.UnionWith(NamesIn(nested));
        }
        switch (statement)
        {
            case IrAssign a:
                names.Add(a.Target);
                CollectVariables(a.Value, names);
                break;
            case IrAssignElement e:
                names.Add(e.Sequence);
                CollectVariables(e.Index, names);
                CollectVariables(e.Value, names);
                if (e.Column is { } column) CollectVariables(column, names);
                break;
            case IrDeclare d:
                names.Add(d.Name);
                if (d.Initializer is { } init) CollectVariables(init, names);
                break;
            case IrIf i:
                CollectVariables(i.Condition, names);
                AddNested(i.Then);
                AddNested(i.Else);
                break;
            case IrLoop l:
                CollectVariables(l.Condition, names);
                AddNested(l.Body);
                AddNested(l.Step);
                break;
            case IrBlock b:
                AddNested(b);
                break;
            case IrTapePush push:
                names.Add(push.Tape);
                CollectVariables(push.Value, names);
                break;
            case IrCopyInto copy:
                names.Add(copy.Source.Name);
                names.Add(copy.Target);
                break;
            case IrTapeRent rent:
                names.Add(rent.Tape);
                break;
            case IrTapeReturn ret:
                names.Add(ret.Tape);
                break;
            case IrReturn { Value: { } value }:
                CollectVariables(value, names);
                break;
            case IrExpressionStatement expressionStatement:
                CollectVariables(expressionStatement.Expression, names);
                break;
        }
        return names;
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
    public static IrVariable? SequenceOf(IrExpr argument) => argument switch
    {
        IrVariable { Type.IsSequence: true } variable => variable,
        IrSlice slice => slice.Sequence,
        _ => null,
    };

    /// <summary>True for a call statement of a vector-valued method, or of one that writes index arrays it is given.</summary>
    public static bool WritesOutputs(IrStatement statement)
        => statement is IrExpressionStatement { Expression: IrCall call } && WritesArguments(call);

    /// <summary>True for a call that writes into arrays or spans it is given.</summary>
    public static bool WritesArguments(IrCall call) => call.Method.Parameters.Any(p => p.IsWrittenByCall);

    /// <summary>Calls <paramref name="visit"/> on every statement, nested ones included, in textual order.</summary>
    public static void ForEachStatement(IrBlock block, System.Action<IrStatement> visit)
    {
        foreach (var statement in block.Statements)
        {
            visit(statement);
            switch (statement)
            {
                case IrIf ifStatement:
                    ForEachStatement(ifStatement.Then, visit);
                    ForEachStatement(ifStatement.Else, visit);
                    break;
                case IrLoop loop:
                    ForEachStatement(loop.Body, visit);
                    ForEachStatement(loop.Step, visit);
                    break;
                case IrBlock nested:
                    ForEachStatement(nested, visit);
                    break;
            }
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
    public static void ForEachRootExpression(IrBlock block, System.Action<IrExpr> visit)
    {
        ForEachStatement(block, statement =>
        {
            switch (statement)
            {
                case IrDeclare { Initializer: { } init }:
                    visit(init);
                    break;
                case IrAssign assign:
                    visit(assign.Value);
                    break;
                case IrAssignElement element:
                    visit(element.Index);
                    if (element.Column is { } column) visit(column);
                    visit(element.Value);
                    break;
                case IrIf ifStatement:
                    visit(ifStatement.Condition);
                    break;
                case IrLoop loop:
                    visit(loop.Condition);
                    break;
                case IrTapePush push:
                    visit(push.Value);
                    break;
                case IrReturn { Value: { } value }:
                    visit(value);
                    break;
                case IrExpressionStatement expressionStatement:
                    visit(expressionStatement.Expression);
                    break;
            }
        });
    }

    /// <summary>Calls <paramref name="visit"/> on an expression and all its sub-expressions, parents first.</summary>
    public static void ForEachNode(IrExpr expr, System.Action<IrExpr> visit)
    {
        visit(expr);
        switch (expr)
        {
            case IrUnary u:
                ForEachNode(u.Operand, visit);
                break;
            case IrBinary b:
                ForEachNode(b.Left, visit);
                ForEachNode(b.Right, visit);
                break;
            case IrConditional c:
                ForEachNode(c.Condition, visit);
                ForEachNode(c.WhenTrue, visit);
                ForEachNode(c.WhenFalse, visit);
                break;
            case IrConvert c:
                ForEachNode(c.Operand, visit);
                break;
            case IrStopDerivative s:
                ForEachNode(s.Operand, visit);
                break;
            case IrElement e:
                ForEachNode(e.Sequence, visit);
                ForEachNode(e.Index, visit);
                if (e.Column is { } column) ForEachNode(column, visit);
                break;
            case IrLength l:
                ForEachNode(l.Sequence, visit);
                break;
            case IrNewArray n:
                ForEachNode(n.Length, visit);
                if (n.Columns is { } columns) ForEachNode(columns, visit);
                break;
            case IrArrayCopy c:
                ForEachNode(c.Source, visit);
                break;
            case IrSlice s:
                ForEachNode(s.Sequence, visit);
                ForEachNode(s.Start, visit);
                ForEachNode(s.Length, visit);
                break;
            case IrMathCall m:
                foreach (var a in m.Arguments) ForEachNode(a, visit);
                break;
            case IrCall call:
                foreach (var a in call.Arguments) ForEachNode(a.Value, visit);
                break;
        }
    }
}
