using System;
using System.Globalization;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Emission;

/// <summary>Prints IR statements and expressions as C#, with no more parentheses than precedence needs.</summary>
internal static class CSharpWriter
{
    private enum Precedence
    {
        Conditional,
        ConditionalOr,
        ConditionalAnd,
        LogicalOr,
        LogicalXor,
        LogicalAnd,
        Equality,
        Relational,
        Additive,
        Multiplicative,
        Unary,
        Primary,
    }

    public static void WriteBlock(SourceWriter writer, IrBlock block)
    {
        foreach (var statement in block.Statements) WriteStatement(writer, statement);
    }

    public static void WriteStatement(SourceWriter writer, IrStatement statement)
    {
        if (statement is not (IrBlock or IrComment)) writer.MapTo(statement.Origin);
        switch (statement)
        {
            case IrDeclare declare:
                writer.Line(declare.Initializer is null
                    ? $"{declare.Type.Keyword} {declare.Name};"
                    : $"{declare.Type.Keyword} {declare.Name} = {Expression(declare.Initializer)};");
                break;
            case IrAssign assign:
                writer.Line(Assignment(assign) + ";");
                break;
            case IrAssignElement element:
            {
                var place = new IrElement(element.Value.Type, new IrVariable(element.Value.Type, element.Sequence), element.Index) { Column = element.Column };
                writer.Line(Assignment(Expression(place), element.Value, self => self is IrElement e && e.Sequence.Name == element.Sequence && e.Index == element.Index && e.Column == element.Column) + ";");
                break;
            }
            case IrIf ifStatement:
                WriteIf(writer, ifStatement, prefix: "if");
                break;
            case IrReturn ret:
                writer.Line(ret.Value is null ? "return;" : $"return {Expression(ret.Value)};");
                break;
            case IrExpressionStatement expressionStatement:
                writer.Line(Expression(expressionStatement.Expression) + ";");
                break;
            case IrComment comment:
                writer.Line("// " + comment.Text);
                break;
            case IrLoop { TestFirst: true, Step.Statements.Count: 1 } forLoop when forLoop.Step.Statements[0] is IrAssign step:
                // A single increment prints as a for loop, where continue still runs it.
                writer.Line($"for (; {Expression(forLoop.Condition)}; {Assignment(step)})");
                writer.OpenBrace();
                WriteBlock(writer, forLoop.Body);
                writer.CloseBrace();
                break;
            case IrLoop loop:
                if (loop.TestFirst)
                {
                    writer.Line($"while ({Expression(loop.Condition)})");
                    writer.OpenBrace();
                    WriteBlock(writer, loop.Body);
                    WriteBlock(writer, loop.Step);
                    writer.CloseBrace();
                }
                else
                {
                    writer.Line("do");
                    writer.OpenBrace();
                    WriteBlock(writer, loop.Body);
                    WriteBlock(writer, loop.Step);
                    writer.CloseBrace($" while ({Expression(loop.Condition)});");
                }
                break;
            case IrCopyInto copy:
                writer.Line($"global::System.MemoryExtensions.AsSpan({copy.Source.Name}).CopyTo({copy.Target});");
                break;
            case IrTapeRent rent:
                writer.Line($"var {rent.Tape} = global::AutoDiff.Tape.Rent();");
                break;
            case IrTapeReturn tapeReturn:
                writer.Line($"global::AutoDiff.Tape.Return({tapeReturn.Tape});");
                break;
            case IrTapePush push:
                writer.Line($"{push.Tape}.Push({Expression(push.Value)});");
                break;
            case IrBreak:
                writer.Line("break;");
                break;
            case IrContinue:
                writer.Line("continue;");
                break;
            case IrBlock block:
                writer.OpenBrace();
                WriteBlock(writer, block);
                writer.CloseBrace();
                break;
            default:
                throw new InvalidOperationException($"Cannot print {statement.GetType().Name}.");
        }
    }

    private static void WriteIf(SourceWriter writer, IrIf ifStatement, string prefix)
    {
        writer.Line($"{prefix} ({Expression(ifStatement.Condition)})");
        writer.OpenBrace();
        WriteBlock(writer, ifStatement.Then);
        writer.CloseBrace();
        if (ifStatement.Else.IsEmpty) return;
        if (ifStatement.Else.Statements.Count == 1 && ifStatement.Else.Statements[0] is IrIf elseIf)
        {
            WriteIf(writer, elseIf, "else if");
            return;
        }
        writer.Line("else");
        writer.OpenBrace();
        WriteBlock(writer, ifStatement.Else);
        writer.CloseBrace();
    }

    private static string Assignment(IrAssign assign)
        => Assignment(assign.Target, assign.Value, self => self is IrVariable v && v.Name == assign.Target);

    /// <summary>Prints <c>x = x + e</c> as <c>x += e</c> and <c>x = x + -e</c> as <c>x -= e</c>, for a variable or an element.</summary>
    /// <param name="target">The place written, as C#.</param>
    /// <param name="value">The value.</param>
    /// <param name="isTarget">True for the expression that reads the place back.</param>
    private static string Assignment(string target, IrExpr value, Func<IrExpr, bool> isTarget)
    {
        if (value is IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract } binary && isTarget(binary.Left))
        {
            var op = binary.Op;
            var right = binary.Right;
            if (right is IrUnary { Op: UnaryOp.Negate } negated)
            {
                op = op == BinaryOp.Add ? BinaryOp.Subtract : BinaryOp.Add;
                right = negated.Operand;
            }
            return $"{target} {(op == BinaryOp.Add ? "+=" : "-=")} {Expression(right)}";
        }
        return $"{target} = {Expression(value)}";
    }

    public static string Expression(IrExpr expr) => Write(expr, Precedence.Conditional);

    private static string Write(IrExpr expr, Precedence context)
    {
        var (text, precedence) = WriteWithPrecedence(expr);
        return precedence < context ? "(" + text + ")" : text;
    }

    private static (string Text, Precedence Precedence) WriteWithPrecedence(IrExpr expr)
    {
        switch (expr)
        {
            case IrLiteral literal:
            {
                var text = Literal(literal);
                return (text, text.StartsWith("-") ? Precedence.Unary : Precedence.Primary);
            }
            case IrVariable variable:
                return (variable.Name, Precedence.Primary);
            case IrStaticField field:
                return ($"{field.ContainingType}.{field.Name}", Precedence.Primary);
            case IrUnary unary:
            {
                var symbol = unary.Op == UnaryOp.Negate ? "-" : "!";
                var operand = Write(unary.Operand, Precedence.Unary);
                // "- -x" and "--x" differ: keep a space between two minus signs.
                if (symbol == "-" && operand.StartsWith("-")) operand = "(" + operand + ")";
                return (symbol + operand, Precedence.Unary);
            }
            case IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Right: IrUnary { Op: UnaryOp.Negate } negated } binary:
            {
                // a + -b is a - b, and a - -b is a + b (exactly, in IEEE arithmetic).
                var op = binary.Op == BinaryOp.Add ? BinaryOp.Subtract : BinaryOp.Add;
                return WriteWithPrecedence(new IrBinary(binary.Type, op, binary.Left, negated.Operand));
            }
            case IrBinary binary:
            {
                var precedence = PrecedenceOf(binary.Op);
                var left = Write(binary.Left, precedence);
                // Operators are left-associative: a right operand of equal precedence needs parentheses.
                var right = Write(binary.Right, precedence + 1);
                return ($"{left} {Symbol(binary.Op)} {right}", precedence);
            }
            case IrConditional conditional:
                return ($"{Write(conditional.Condition, Precedence.ConditionalOr)} ? {Write(conditional.WhenTrue, Precedence.Conditional)} : {Write(conditional.WhenFalse, Precedence.Conditional)}",
                    Precedence.Conditional);
            case IrConvert convert:
                return ($"({convert.Type.Keyword}){Write(convert.Operand, Precedence.Unary + 1)}", Precedence.Unary);
            case IrElement element:
                return ($"{element.Sequence.Name}[{Expression(element.Index)}{(element.Column is { } column ? ", " + Expression(column) : "")}]", Precedence.Primary);
            case IrLength length:
                return (length.Dimension is { } dimension ? $"{length.Sequence.Name}.GetLength({dimension})" : $"{length.Sequence.Name}.Length", Precedence.Primary);
            case IrNewArray { Type.Shape: TypeShape.Span } onStack:
                return ($"stackalloc {onStack.Type.ElementKeyword}[{Expression(onStack.Length)}]", Precedence.Primary);
            case IrNewArray { Pool: { } pool } pooled:
                return (pooled.Columns is { } pooledColumns
                    ? $"{pool}.Rent{pooled.Type.Kind}Matrix({Expression(pooled.Length)}, {Expression(pooledColumns)})"
                    : $"{pool}.Rent{pooled.Type.Kind}Array({Expression(pooled.Length)})", Precedence.Primary);
            case IrNewArray { Columns: null, Length: IrLiteral { Value: 0 } } empty:
                return ($"global::System.Array.Empty<{empty.Type.ElementKeyword}>()", Precedence.Primary);
            case IrNewArray array:
                return ($"new {array.Type.ElementKeyword}[{Expression(array.Length)}{(array.Columns is { } columns ? ", " + Expression(columns) : "")}]", Precedence.Primary);
            case IrArrayCopy { Source.Type.Shape: TypeShape.Array } arrayCopy:
                return ($"({arrayCopy.Source.Type.ElementKeyword}[]){arrayCopy.Source.Name}.Clone()", Precedence.Unary);
            case IrArrayCopy copy:
                return ($"{copy.Source.Name}.ToArray()", Precedence.Primary);
            case IrSlice slice:
            {
                // The view's own type first: the sequence may be an array, a span or a read-only span (a tangent parameter).
                var view = slice.Type.Shape == TypeShape.Span ? "Span" : "ReadOnlySpan";
                return ($"((global::System.{view}<{slice.Type.ElementKeyword}>){slice.Sequence.Name}).Slice({Expression(slice.Start)}, {Expression(slice.Length)})", Precedence.Primary);
            }
            case IrTapePop pop:
                return ($"{pop.Tape}.Pop{pop.Type.Kind}()", Precedence.Primary);
            case IrStopDerivative stop:
                return ($"global::AutoDiff.Ad.WithoutDerivative({Expression(stop.Operand)})", Precedence.Primary);
            case IrMathCall call:
                return ($"{MathClass(call)}.{MathName(call.Function)}({string.Join(", ", call.Arguments.Select(Expression))})", Precedence.Primary);
            case IrCall call:
            {
                var arguments = call.Arguments.Select(a => a.Kind switch
                {
                    ArgumentKind.Ref => "ref ",
                    ArgumentKind.Out => "out ",
                    _ => "",
                } + Expression(a.Value));
                if (call.Method.TapeArgument is { } tape) arguments = arguments.Append(tape);
                return ($"{call.Method.ContainingType}.{call.Method.Name}({string.Join(", ", arguments)})", Precedence.Primary);
            }
            default:
                throw new InvalidOperationException($"Cannot print {expr.GetType().Name}.");
        }
    }

    public static string Literal(IrLiteral literal)
    {
        double value = literal.Value;
        switch (literal.Type.Kind)
        {
            case ScalarKind.Boolean:
                return value != 0 ? "true" : "false";
            case ScalarKind.Int32:
                return ((long)value).ToString(CultureInfo.InvariantCulture);
            case ScalarKind.Int64:
                return ((long)value).ToString(CultureInfo.InvariantCulture) + "L";
            case ScalarKind.Single:
            {
                float f = (float)value;
                if (float.IsNaN(f)) return "float.NaN";
                if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
                if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
                return f.ToString("R", CultureInfo.InvariantCulture) + "f";
            }
            default:
            {
                if (double.IsNaN(value)) return "double.NaN";
                if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
                if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
                var text = value.ToString("R", CultureInfo.InvariantCulture);
                return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
            }
        }
    }

    private static string MathClass(IrMathCall call)
        => call.Type.Kind == ScalarKind.Single && call.Function != MathFunction.Clamp
           && call.Arguments.All(a => a.Type.Kind == ScalarKind.Single)
            ? "global::System.MathF"
            : "global::System.Math";

    private static string MathName(MathFunction function) => function switch
    {
        MathFunction.LogBase => "Log",
        _ => function.ToString(),
    };

    private static Precedence PrecedenceOf(BinaryOp op) => op switch
    {
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder => Precedence.Multiplicative,
        BinaryOp.Add or BinaryOp.Subtract => Precedence.Additive,
        BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual => Precedence.Relational,
        BinaryOp.Equal or BinaryOp.NotEqual => Precedence.Equality,
        BinaryOp.And => Precedence.LogicalAnd,
        BinaryOp.Xor => Precedence.LogicalXor,
        BinaryOp.Or => Precedence.LogicalOr,
        BinaryOp.ConditionalAnd => Precedence.ConditionalAnd,
        _ => Precedence.ConditionalOr,
    };

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Remainder => "%",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.ConditionalAnd => "&&",
        BinaryOp.ConditionalOr => "||",
        BinaryOp.And => "&",
        BinaryOp.Or => "|",
        _ => "^",
    };
}
