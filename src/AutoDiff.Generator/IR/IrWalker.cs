using System;
using System.Collections.Generic;

namespace AutoDiff.Generator.IR;

/// <summary>
/// Visits an IR tree: a virtual method per node, each of which by default visits the node's children (statements, then
/// expressions, in the order the code runs them), as Roslyn's <c>OperationWalker</c> does. A pass overrides only its own
/// cases and calls the base method to go on into the children. The two dispatchers are the only switches over every kind
/// of node, and throw on one they do not know, so a new node cannot be missed silently
/// (<c>IrTraversalTests</c> checks that both know every node).
/// </summary>
internal abstract class IrWalker
{
    public virtual void VisitBlock(IrBlock block)
    {
        foreach (var statement in block.Statements) Visit(statement);
    }

    /// <summary>Dispatches to the statement's own method.</summary>
    public void Visit(IrStatement statement)
    {
        BeforeVisit(statement);
        switch (statement)
        {
            case IrBlock block: VisitBlock(block); break;
            case IrDeclare declare: VisitDeclare(declare); break;
            case IrAssign assign: VisitAssign(assign); break;
            case IrAssignElement element: VisitAssignElement(element); break;
            case IrIf ifStatement: VisitIf(ifStatement); break;
            case IrLoop loop: VisitLoop(loop); break;
            case IrReturn ret: VisitReturn(ret); break;
            case IrExpressionStatement expression: VisitExpressionStatement(expression); break;
            case IrTapePush push: VisitTapePush(push); break;
            case IrCopyInto copy: VisitCopyInto(copy); break;
            case IrBreak or IrContinue or IrComment or IrTapeRent or IrTapeReturn: VisitLeafStatement(statement); break;
            default: throw Unknown(statement);
        }
    }

    public virtual void VisitDeclare(IrDeclare declare)
    {
        if (declare.Initializer is { } initializer) VisitRoot(initializer);
    }

    public virtual void VisitAssign(IrAssign assign) => VisitRoot(assign.Value);

    public virtual void VisitAssignElement(IrAssignElement element)
    {
        VisitRoot(element.Index);
        if (element.Column is { } column) VisitRoot(column);
        VisitRoot(element.Value);
    }

    public virtual void VisitIf(IrIf ifStatement)
    {
        VisitRoot(ifStatement.Condition);
        VisitBlock(ifStatement.Then);
        VisitBlock(ifStatement.Else);
    }

    public virtual void VisitLoop(IrLoop loop)
    {
        VisitRoot(loop.Condition);
        VisitBlock(loop.Body);
        VisitBlock(loop.Step);
    }

    public virtual void VisitReturn(IrReturn ret)
    {
        if (ret.Value is { } value) VisitRoot(value);
    }

    public virtual void VisitExpressionStatement(IrExpressionStatement statement) => VisitRoot(statement.Expression);

    public virtual void VisitTapePush(IrTapePush push) => VisitRoot(push.Value);

    public virtual void VisitCopyInto(IrCopyInto copy) => VisitRoot(copy.Source);

    /// <summary><c>break</c>, <c>continue</c>, a comment, renting and returning a tape: no children.</summary>
    public virtual void VisitLeafStatement(IrStatement statement)
    {
    }

    /// <summary>Called on every statement <see cref="Visit(IrStatement)"/> reaches (not on the blocks of an if or a loop), before its own method.</summary>
    protected virtual void BeforeVisit(IrStatement statement)
    {
    }

    /// <summary>An expression a statement holds (the root of an expression tree): by default, visited with its sub-expressions.</summary>
    public virtual void VisitRoot(IrExpr expr) => Visit(expr);

    /// <summary>Dispatches to the expression's own method.</summary>
    public void Visit(IrExpr expr)
    {
        BeforeVisit(expr);
        switch (expr)
        {
            case IrVariable variable: VisitVariable(variable); break;
            case IrLiteral or IrStaticField or IrTapePop: VisitLeaf(expr); break;
            case IrBinary binary: VisitBinary(binary); break;
            case IrUnary unary: VisitUnary(unary); break;
            case IrConvert convert: VisitConvert(convert); break;
            case IrConditional conditional: VisitConditional(conditional); break;
            case IrMathCall math: VisitMathCall(math); break;
            case IrCall call: VisitCall(call); break;
            case IrStopDerivative stop: VisitStopDerivative(stop); break;
            case IrElement element: VisitElement(element); break;
            case IrLength length: VisitLength(length); break;
            case IrNewArray newArray: VisitNewArray(newArray); break;
            case IrArrayCopy copy: VisitArrayCopy(copy); break;
            case IrSlice slice: VisitSlice(slice); break;
            default: throw Unknown(expr);
        }
    }

    /// <summary>Called on every expression <see cref="Visit(IrExpr)"/> reaches, parents before children, before its own method.</summary>
    protected virtual void BeforeVisit(IrExpr expr)
    {
    }

    public virtual void VisitVariable(IrVariable variable)
    {
    }

    /// <summary>A literal, a static field or a tape pop: no children, and no variable.</summary>
    public virtual void VisitLeaf(IrExpr expr)
    {
    }

    public virtual void VisitBinary(IrBinary binary)
    {
        Visit(binary.Left);
        Visit(binary.Right);
    }

    public virtual void VisitUnary(IrUnary unary) => Visit(unary.Operand);

    public virtual void VisitConvert(IrConvert convert) => Visit(convert.Operand);

    public virtual void VisitConditional(IrConditional conditional)
    {
        Visit(conditional.Condition);
        Visit(conditional.WhenTrue);
        Visit(conditional.WhenFalse);
    }

    public virtual void VisitMathCall(IrMathCall math)
    {
        foreach (var argument in math.Arguments) Visit(argument);
    }

    public virtual void VisitCall(IrCall call)
    {
        foreach (var argument in call.Arguments) Visit(argument.Value);
    }

    public virtual void VisitStopDerivative(IrStopDerivative stop) => Visit(stop.Operand);

    public virtual void VisitElement(IrElement element)
    {
        Visit(element.Sequence);
        Visit(element.Index);
        if (element.Column is { } column) Visit(column);
    }

    public virtual void VisitLength(IrLength length) => Visit(length.Sequence);

    public virtual void VisitNewArray(IrNewArray newArray)
    {
        Visit(newArray.Length);
        if (newArray.Columns is { } columns) Visit(columns);
    }

    public virtual void VisitArrayCopy(IrArrayCopy copy) => Visit(copy.Source);

    public virtual void VisitSlice(IrSlice slice)
    {
        Visit(slice.Sequence);
        Visit(slice.Start);
        Visit(slice.Length);
    }

    internal static InvalidOperationException Unknown(object node)
        => new($"The IR traversal has no case for {node.GetType().Name}: add it to IrWalker and IrRewriter.");
}

/// <summary>
/// Rebuilds an IR tree: a virtual method per node, each of which by default rebuilds the node from its rewritten children
/// (keeping its other properties, its <c>Origin</c> included, with <c>with</c>) and returns the node itself when no child
/// changed. A pass overrides only the nodes it changes.
/// </summary>
internal abstract class IrRewriter
{
    public virtual IrBlock RewriteBlock(IrBlock block)
    {
        List<IrStatement>? changed = null;
        for (int i = 0; i < block.Statements.Count; i++)
        {
            var statement = block.Statements[i];
            var rewritten = Rewrite(statement);
            if (changed is null && !ReferenceEquals(rewritten, statement))
            {
                changed = new List<IrStatement>(block.Statements.Count);
                for (int j = 0; j < i; j++) changed.Add(block.Statements[j]);
            }
            changed?.Add(rewritten);
        }
        return changed is null ? block : block with { Statements = changed.ToEquatableArray() };
    }

    /// <summary>Dispatches to the statement's own method.</summary>
    public IrStatement Rewrite(IrStatement statement) => statement switch
    {
        IrBlock block => RewriteBlock(block),
        IrDeclare declare => RewriteDeclare(declare),
        IrAssign assign => RewriteAssign(assign),
        IrAssignElement element => RewriteAssignElement(element),
        IrIf ifStatement => RewriteIf(ifStatement),
        IrLoop loop => RewriteLoop(loop),
        IrReturn ret => RewriteReturn(ret),
        IrExpressionStatement expression => RewriteExpressionStatement(expression),
        IrTapePush push => RewriteTapePush(push),
        IrCopyInto copy => RewriteCopyInto(copy),
        IrBreak or IrContinue or IrComment or IrTapeRent or IrTapeReturn => statement,
        _ => throw IrWalker.Unknown(statement),
    };

    public virtual IrStatement RewriteDeclare(IrDeclare declare)
        => declare.Initializer is { } initializer && Changed(initializer, Rewrite(initializer), out var value) ? declare with { Initializer = value } : declare;

    public virtual IrStatement RewriteAssign(IrAssign assign)
        => Changed(assign.Value, Rewrite(assign.Value), out var value) ? assign with { Value = value } : assign;

    public virtual IrStatement RewriteAssignElement(IrAssignElement element)
    {
        var index = Rewrite(element.Index);
        var column = element.Column is { } c ? Rewrite(c) : null;
        var value = Rewrite(element.Value);
        return ReferenceEquals(index, element.Index) && ReferenceEquals(column, element.Column) && ReferenceEquals(value, element.Value)
            ? element
            : element with { Index = index, Column = column, Value = value };
    }

    public virtual IrStatement RewriteIf(IrIf ifStatement)
    {
        var condition = Rewrite(ifStatement.Condition);
        var then = RewriteBlock(ifStatement.Then);
        var otherwise = RewriteBlock(ifStatement.Else);
        return ReferenceEquals(condition, ifStatement.Condition) && ReferenceEquals(then, ifStatement.Then) && ReferenceEquals(otherwise, ifStatement.Else)
            ? ifStatement
            : ifStatement with { Condition = condition, Then = then, Else = otherwise };
    }

    public virtual IrStatement RewriteLoop(IrLoop loop)
    {
        var condition = Rewrite(loop.Condition);
        var body = RewriteBlock(loop.Body);
        var step = RewriteBlock(loop.Step);
        return ReferenceEquals(condition, loop.Condition) && ReferenceEquals(body, loop.Body) && ReferenceEquals(step, loop.Step)
            ? loop
            : loop with { Condition = condition, Body = body, Step = step };
    }

    public virtual IrStatement RewriteReturn(IrReturn ret)
        => ret.Value is { } v && Changed(v, Rewrite(v), out var value) ? ret with { Value = value } : ret;

    public virtual IrStatement RewriteExpressionStatement(IrExpressionStatement statement)
        => Changed(statement.Expression, Rewrite(statement.Expression), out var value) ? statement with { Expression = value } : statement;

    public virtual IrStatement RewriteTapePush(IrTapePush push)
        => Changed(push.Value, Rewrite(push.Value), out var value) ? push with { Value = value } : push;

    public virtual IrStatement RewriteCopyInto(IrCopyInto copy)
        => Changed(copy.Source, Rewrite(copy.Source), out var source) && source is IrVariable variable ? copy with { Source = variable } : copy;

    /// <summary>Dispatches to the expression's own method.</summary>
    public IrExpr Rewrite(IrExpr expr) => expr switch
    {
        IrVariable variable => RewriteVariable(variable),
        IrLiteral or IrStaticField or IrTapePop => RewriteLeaf(expr),
        IrBinary binary => RewriteBinary(binary),
        IrUnary unary => RewriteUnary(unary),
        IrConvert convert => RewriteConvert(convert),
        IrConditional conditional => RewriteConditional(conditional),
        IrMathCall math => RewriteMathCall(math),
        IrCall call => RewriteCall(call),
        IrStopDerivative stop => RewriteStopDerivative(stop),
        IrElement element => RewriteElement(element),
        IrLength length => RewriteLength(length),
        IrNewArray newArray => RewriteNewArray(newArray),
        IrArrayCopy copy => RewriteArrayCopy(copy),
        IrSlice slice => RewriteSlice(slice),
        _ => throw IrWalker.Unknown(expr),
    };

    public virtual IrExpr RewriteVariable(IrVariable variable) => variable;

    /// <summary>A literal, a static field or a tape pop.</summary>
    public virtual IrExpr RewriteLeaf(IrExpr expr) => expr;

    public virtual IrExpr RewriteBinary(IrBinary binary)
    {
        var left = Rewrite(binary.Left);
        var right = Rewrite(binary.Right);
        return ReferenceEquals(left, binary.Left) && ReferenceEquals(right, binary.Right) ? binary : binary with { Left = left, Right = right };
    }

    public virtual IrExpr RewriteUnary(IrUnary unary)
        => Changed(unary.Operand, Rewrite(unary.Operand), out var operand) ? unary with { Operand = operand } : unary;

    public virtual IrExpr RewriteConvert(IrConvert convert)
        => Changed(convert.Operand, Rewrite(convert.Operand), out var operand) ? convert with { Operand = operand } : convert;

    public virtual IrExpr RewriteConditional(IrConditional conditional)
    {
        var condition = Rewrite(conditional.Condition);
        var whenTrue = Rewrite(conditional.WhenTrue);
        var whenFalse = Rewrite(conditional.WhenFalse);
        return ReferenceEquals(condition, conditional.Condition) && ReferenceEquals(whenTrue, conditional.WhenTrue) && ReferenceEquals(whenFalse, conditional.WhenFalse)
            ? conditional
            : conditional with { Condition = condition, WhenTrue = whenTrue, WhenFalse = whenFalse };
    }

    public virtual IrExpr RewriteMathCall(IrMathCall math)
    {
        var arguments = RewriteAll(math.Arguments, Rewrite);
        return arguments is null ? math : math with { Arguments = arguments.Value };
    }

    public virtual IrExpr RewriteCall(IrCall call)
    {
        var arguments = RewriteAll(call.Arguments, a => Changed(a.Value, Rewrite(a.Value), out var value) ? a with { Value = value } : a);
        return arguments is null ? call : call with { Arguments = arguments.Value };
    }

    public virtual IrExpr RewriteStopDerivative(IrStopDerivative stop)
        => Changed(stop.Operand, Rewrite(stop.Operand), out var operand) ? stop with { Operand = operand } : stop;

    public virtual IrExpr RewriteElement(IrElement element)
    {
        var sequence = Rewrite(element.Sequence);
        var index = Rewrite(element.Index);
        var column = element.Column is { } c ? Rewrite(c) : null;
        return ReferenceEquals(sequence, element.Sequence) && ReferenceEquals(index, element.Index) && ReferenceEquals(column, element.Column)
            ? element
            : element with { Sequence = AsVariable(sequence, element), Index = index, Column = column };
    }

    public virtual IrExpr RewriteLength(IrLength length)
        => Changed(length.Sequence, Rewrite(length.Sequence), out var sequence) ? length with { Sequence = AsVariable(sequence, length) } : length;

    public virtual IrExpr RewriteNewArray(IrNewArray newArray)
    {
        var size = Rewrite(newArray.Length);
        var columns = newArray.Columns is { } c ? Rewrite(c) : null;
        return ReferenceEquals(size, newArray.Length) && ReferenceEquals(columns, newArray.Columns) ? newArray : newArray with { Length = size, Columns = columns };
    }

    public virtual IrExpr RewriteArrayCopy(IrArrayCopy copy)
        => Changed(copy.Source, Rewrite(copy.Source), out var source) ? copy with { Source = AsVariable(source, copy) } : copy;

    public virtual IrExpr RewriteSlice(IrSlice slice)
    {
        var sequence = Rewrite(slice.Sequence);
        var start = Rewrite(slice.Start);
        var length = Rewrite(slice.Length);
        return ReferenceEquals(sequence, slice.Sequence) && ReferenceEquals(start, slice.Start) && ReferenceEquals(length, slice.Length)
            ? slice
            : slice with { Sequence = AsVariable(sequence, slice), Start = start, Length = length };
    }

    private static bool Changed<T>(T original, T rewritten, out T result) where T : class
    {
        result = rewritten;
        return !ReferenceEquals(original, rewritten);
    }

    /// <summary>The rewritten items, or null when none changed.</summary>
    private static EquatableArray<T>? RewriteAll<T>(EquatableArray<T> items, Func<T, T> rewrite) where T : class, IEquatable<T>
    {
        List<T>? changed = null;
        for (int i = 0; i < items.Count; i++)
        {
            var rewritten = rewrite(items[i]);
            if (changed is null && !ReferenceEquals(rewritten, items[i]))
            {
                changed = new List<T>(items.Count);
                for (int j = 0; j < i; j++) changed.Add(items[j]);
            }
            changed?.Add(rewritten);
        }
        return changed?.ToEquatableArray();
    }

    /// <summary>Arrays are named by variables: a rewrite may rename one, not replace it by another kind of expression.</summary>
    private static IrVariable AsVariable(IrExpr rewritten, IrExpr node)
        => rewritten as IrVariable ?? throw new InvalidOperationException($"A rewrite replaced the array of {node.GetType().Name} by a {rewritten.GetType().Name}.");
}
