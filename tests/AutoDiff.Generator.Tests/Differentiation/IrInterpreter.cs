using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>
/// Runs IR methods directly, so that the differentiation layer is tested without a compiler: a generated
/// pullback is executed here and compared with finite differences of the executed original.
/// Values are doubles; float results are rounded to float and integers truncated as C# does.
/// </summary>
internal sealed class IrInterpreter
{
    private readonly Dictionary<string, IrMethod> methods = new();

    public sealed class Box
    {
        public Box(double value) => Value = value;

        public double Value { get; set; }

        /// <summary>The elements, when the variable is an array or span.</summary>
        public double[]? Array { get; set; }
    }

    /// <summary>How many values every method run here has pushed onto its tape: the cost the tape plan keeps down.</summary>
    public long TapePushes { get; private set; }

    /// <summary>Makes a method callable by IR calls to <c>containingType.Name</c>.</summary>
    public void Register(string containingType, IrMethod method) => methods[containingType + "." + method.Name] = method;

    public double Invoke(IrMethod method, params Box[] arguments)
    {
        if (arguments.Length != method.Parameters.Count) throw new ArgumentException("argument count");
        var frame = new Frame();
        for (int i = 0; i < arguments.Length; i++)
        {
            var parameter = method.Parameters[i];
            frame[parameter.Name] = parameter.Kind != ParameterKind.Value || parameter.Type.IsSequence
                ? arguments[i]
                : new Box(Round(parameter.Type, arguments[i].Value));
        }
        if (Execute(method.Body, frame) != Flow.Return) throw new InvalidOperationException($"{method.Name} ended without returning.");
        return frame.ReturnValue;
    }

    public double Invoke(IrMethod method, params double[] arguments) => Invoke(method, arguments.Select(a => new Box(a)).ToArray());

    private enum Flow
    {
        Next,
        Return,
        Break,
        Continue,
    }

    private sealed class Frame : Dictionary<string, Box>
    {
        public double ReturnValue;
        public readonly Dictionary<string, Stack<double>> Tapes = new();
    }

    private Flow Execute(IrBlock block, Frame frame)
    {
        foreach (var statement in block.Statements)
        {
            var flow = Execute(statement, frame);
            if (flow != Flow.Next) return flow;
        }
        return Flow.Next;
    }

    private Flow Execute(IrStatement statement, Frame frame)
    {
        switch (statement)
        {
            case IrDeclare { Initializer: IrNewArray newArray } declare:
                frame[declare.Name] = new Box(0) { Array = new double[(int)Evaluate(newArray.Length, frame)] };
                return Flow.Next;
            case IrAssign { Value: IrNewArray newArray } assign:
                frame[assign.Target].Array = new double[(int)Evaluate(newArray.Length, frame)];
                return Flow.Next;
            case IrAssignElement element:
            {
                var array = frame[element.Sequence].Array ?? throw new InvalidOperationException($"'{element.Sequence}' is not an array.");
                int index = (int)Evaluate(element.Index, frame);
                array[index] = Round(element.Value.Type, Evaluate(element.Value, frame));
                return Flow.Next;
            }
            case IrDeclare declare:
                frame[declare.Name] = new Box(declare.Initializer is null ? 0 : Round(declare.Type, Evaluate(declare.Initializer, frame)));
                return Flow.Next;
            case IrAssign assign:
            {
                var box = frame.TryGetValue(assign.Target, out var existing) ? existing : throw new InvalidOperationException($"'{assign.Target}' is not declared.");
                var value = Evaluate(assign.Value, frame);
                box.Value = assign.Value.Type.IsFloatingPoint || assign.Value.Type.IsInteger ? Round(assign.Value.Type, value) : value;
                return Flow.Next;
            }
            case IrIf ifStatement:
                return Evaluate(ifStatement.Condition, frame) != 0 ? Execute(ifStatement.Then, frame) : Execute(ifStatement.Else, frame);
            case IrLoop loop:
            {
                int guard = 0;
                if (loop.TestFirst && Evaluate(loop.Condition, frame) == 0) return Flow.Next;
                while (true)
                {
                    if (++guard > 1_000_000) throw new InvalidOperationException("The loop does not end.");
                    var flow = Execute(loop.Body, frame);
                    if (flow == Flow.Return) return flow;
                    if (flow == Flow.Break) return Flow.Next;
                    Execute(loop.Step, frame);
                    if (Evaluate(loop.Condition, frame) == 0) return Flow.Next;
                }
            }
            case IrBreak:
                return Flow.Break;
            case IrContinue:
                return Flow.Continue;
            case IrReturn ret:
                frame.ReturnValue = ret.Value is null ? double.NaN : Evaluate(ret.Value, frame);
                return Flow.Return;
            case IrExpressionStatement expressionStatement:
                Evaluate(expressionStatement.Expression, frame);
                return Flow.Next;
            case IrTapeRent rent:
                frame.Tapes[rent.Tape] = new Stack<double>();
                return Flow.Next;
            case IrTapeReturn tapeReturn:
                if (frame.Tapes[tapeReturn.Tape].Count != 0) throw new InvalidOperationException($"The tape holds {frame.Tapes[tapeReturn.Tape].Count} values at the end.");
                return Flow.Next;
            case IrTapePush push:
                frame.Tapes[push.Tape].Push(Evaluate(push.Value, frame));
                TapePushes++;
                return Flow.Next;
            case IrComment:
                return Flow.Next;
            case IrBlock block:
                return Execute(block, frame);
            default:
                throw new NotSupportedException(statement.GetType().Name);
        }
    }

    private double Evaluate(IrExpr expr, Frame frame)
    {
        double value = expr switch
        {
            IrLiteral literal => literal.Value,
            IrVariable variable => frame.TryGetValue(variable.Name, out var box) ? box.Value : throw new InvalidOperationException($"'{variable.Name}' is not declared."),
            IrUnary { Op: UnaryOp.Negate } unary => -Evaluate(unary.Operand, frame),
            IrUnary unary => Evaluate(unary.Operand, frame) != 0 ? 0 : 1,
            IrBinary binary => Binary(binary, frame),
            IrConditional conditional => Evaluate(conditional.Condition, frame) != 0 ? Evaluate(conditional.WhenTrue, frame) : Evaluate(conditional.WhenFalse, frame),
            IrConvert convert => Evaluate(convert.Operand, frame),
            IrStopDerivative stop => Evaluate(stop.Operand, frame),
            IrTapePop pop => frame.Tapes[pop.Tape].Pop(),
            IrElement element => frame[element.Sequence.Name].Array![(int)Evaluate(element.Index, frame)],
            IrLength length => frame[length.Sequence.Name].Array!.Length,
            IrMathCall call => MathCall(call.Function, call.Arguments.Select(a => Evaluate(a, frame)).ToArray()),
            IrCall call => Call(call, frame),
            _ => throw new NotSupportedException(expr.GetType().Name),
        };
        return Round(expr.Type, value);
    }

    private double Binary(IrBinary binary, Frame frame)
    {
        switch (binary.Op)
        {
            case BinaryOp.ConditionalAnd:
                return Evaluate(binary.Left, frame) != 0 && Evaluate(binary.Right, frame) != 0 ? 1 : 0;
            case BinaryOp.ConditionalOr:
                return Evaluate(binary.Left, frame) != 0 || Evaluate(binary.Right, frame) != 0 ? 1 : 0;
        }
        double l = Evaluate(binary.Left, frame);
        double r = Evaluate(binary.Right, frame);
        bool integer = binary.Type.IsInteger;
        return binary.Op switch
        {
            BinaryOp.Add => l + r,
            BinaryOp.Subtract => l - r,
            BinaryOp.Multiply => l * r,
            BinaryOp.Divide => integer ? Math.Truncate(l / r) : l / r,
            BinaryOp.Remainder => l % r,
            BinaryOp.Equal => l == r ? 1 : 0,
            BinaryOp.NotEqual => l != r ? 1 : 0,
            BinaryOp.Less => l < r ? 1 : 0,
            BinaryOp.LessOrEqual => l <= r ? 1 : 0,
            BinaryOp.Greater => l > r ? 1 : 0,
            BinaryOp.GreaterOrEqual => l >= r ? 1 : 0,
            BinaryOp.And => (l != 0) & (r != 0) ? 1 : 0,
            BinaryOp.Or => (l != 0) | (r != 0) ? 1 : 0,
            BinaryOp.Xor => (l != 0) ^ (r != 0) ? 1 : 0,
            _ => throw new NotSupportedException(binary.Op.ToString()),
        };
    }

    private static double MathCall(MathFunction function, double[] a) => function switch
    {
        MathFunction.Exp => Math.Exp(a[0]),
        MathFunction.Log => Math.Log(a[0]),
        MathFunction.LogBase => Math.Log(a[0], a[1]),
        MathFunction.Log10 => Math.Log10(a[0]),
        MathFunction.Log2 => Math.Log2(a[0]),
        MathFunction.Sqrt => Math.Sqrt(a[0]),
        MathFunction.Cbrt => Math.Cbrt(a[0]),
        MathFunction.Pow => Math.Pow(a[0], a[1]),
        MathFunction.Sin => Math.Sin(a[0]),
        MathFunction.Cos => Math.Cos(a[0]),
        MathFunction.Tan => Math.Tan(a[0]),
        MathFunction.Asin => Math.Asin(a[0]),
        MathFunction.Acos => Math.Acos(a[0]),
        MathFunction.Atan => Math.Atan(a[0]),
        MathFunction.Atan2 => Math.Atan2(a[0], a[1]),
        MathFunction.Sinh => Math.Sinh(a[0]),
        MathFunction.Cosh => Math.Cosh(a[0]),
        MathFunction.Tanh => Math.Tanh(a[0]),
        MathFunction.Abs => Math.Abs(a[0]),
        MathFunction.Max => Math.Max(a[0], a[1]),
        MathFunction.Min => Math.Min(a[0], a[1]),
        MathFunction.Clamp => Math.Clamp(a[0], a[1], a[2]),
        MathFunction.Floor => Math.Floor(a[0]),
        MathFunction.Ceiling => Math.Ceiling(a[0]),
        MathFunction.Round => Math.Round(a[0]),
        MathFunction.Truncate => Math.Truncate(a[0]),
        MathFunction.Sign => Math.Sign(a[0]),
        _ => throw new NotSupportedException(function.ToString()),
    };

    private double Call(IrCall call, Frame frame)
    {
        var key = call.Method.ContainingType + "." + call.Method.Name;
        if (!methods.TryGetValue(key, out var target)) throw new InvalidOperationException($"No method '{key}' is registered.");
        var arguments = call.Arguments.Select(a => a.Value switch
        {
            // Arrays and spans are passed by reference, like ref and out arguments.
            IrNewArray array => new Box(0) { Array = new double[(int)Evaluate(array.Length, frame)] },
            IrVariable v when a.Kind != ArgumentKind.Value || v.Type.IsSequence => frame[v.Name],
            _ => new Box(Evaluate(a.Value, frame)),
        }).ToArray();
        return Invoke(target, arguments);
    }

    private static double Round(IrType type, double value) => type.Kind switch
    {
        ScalarKind.Single => (float)value,
        ScalarKind.Int32 => (int)value,
        ScalarKind.Int64 => (long)value,
        _ => value,
    };
}
