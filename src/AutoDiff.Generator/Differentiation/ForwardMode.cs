using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using static AutoDiff.Generator.Model.DerivativeSignatures;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// Forward mode: turns a method <c>M</c> into <c>MTangent</c>, which runs <c>M</c> and carries beside every
/// active floating-point variable its tangent (its derivative along a direction given by the tangents of
/// the inputs), returning <c>M</c>'s value and giving the result's tangent in an <c>out</c> parameter.
/// </summary>
/// <remarks>
/// It applies to any IR method: to a user's method (the Jacobian-vector product <c>FTangent</c>) and to a
/// generated pullback, where the adjoints are inputs and outputs too, which gives <c>FBackwardTangent</c>:
/// forward-over-reverse, the Hessian-vector product. Every floating-point parameter, value or ref, gets a
/// tangent parameter of the same kind, in order, after the original parameters.
/// </remarks>
internal static class ForwardMode
{
    public static IrMethod Differentiate(IrMethod method)
    {
        var reserved = new List<string>(method.Parameters.Select(p => p.Name).Concat(DerivativeNaming.MethodNames(method.Name)));
        Ir.ForEachStatement(method.Body, s =>
        {
            if (s is IrDeclare d) reserved.Add(d.Name);
        });
        var names = new NameAllocator(reserved);
        // Sequences the method writes: element by element, or through a callee's span parameter.
        var written = Ir.ElementWriteTargets(method.Body);
        Ir.ForEachRootExpression(method.Body, root => Ir.ForEachNode(root, node =>
        {
            if (node is not IrCall call) return;
            for (int i = 0; i < call.Arguments.Count && i < call.Method.Parameters.Count; i++)
            {
                if (Ir.SequenceOf(call.Arguments[i].Value) is { } v && call.Method.Parameters[i].Type.Shape == TypeShape.Span) written.Add(v.Name);
            }
        }));
        // An array updated in place keeps a read-only tangent parameter (the direction of the values passed in), copied into
        // a local that the updates write.
        var tangentParameters = TangentParameters(method.Parameters, p => names.Fresh(TangentParameterName(p.Name)),
            p => written.Contains(p.Name) && !UpdatedInPlace(p));
        // A vector-valued method's results are its output spans, whose tangents are written like theirs.
        IrParameter? resultTangent = method.IsVectorValued && method.ResultArray is null
            ? null
            : new IrParameter(names.Fresh("resultTangent"), method.ReturnType, ParameterKind.Out);

        var normalized = Normalizer.Normalize(method, names, HasTangent);
        var builder = new Builder(normalized, names, tangentParameters, resultTangent);
        var body = builder.Build();

        var parameters = method.Parameters.Concat(tangentParameters);
        if (resultTangent is not null) parameters = parameters.Append(resultTangent);
        return new IrMethod(method.Name + DerivativeKind.Tangent.Suffix(), method.ReturnType, parameters.ToEquatableArray(), body);
    }

    /// <summary>A double[] or float[] parameter the method writes into.</summary>
    private static bool UpdatedInPlace(IrParameter parameter) => parameter.IsWritten && parameter.Type.Shape == TypeShape.Array && HasTangent(parameter);

    private sealed class Builder
    {
        private readonly NormalizedMethod method;
        private readonly NameAllocator names;
        private readonly IrParameter? resultTangent;
        private readonly Dictionary<string, IrVariable> tangents = new();
        private readonly List<Declaration> declarations = new();
        private readonly Dictionary<IrType, IrVariable> discards = new();

        public Builder(NormalizedMethod method, NameAllocator names, List<IrParameter> tangentParameters, IrParameter? resultTangent)
        {
            this.method = method;
            this.names = names;
            this.resultTangent = resultTangent;
            var withTangent = method.Source.Parameters.Where(HasTangent).ToList();
            for (int i = 0; i < withTangent.Count; i++)
            {
                var parameterTangent = Ir.Var(withTangent[i].Type, tangentParameters[i].Name);
                if (UpdatedInPlace(withTangent[i]))
                {
                    // The updates write the tangent too: a copy of the direction given.
                    var copy = Ir.Var(withTangent[i].Type, names.Fresh("_" + NameAllocator.Unescaped(withTangent[i].Name).TrimStart('_') + DerivativeKind.Tangent.Suffix()));
                    declarations.Add(new Declaration(copy.Name, copy.Type,
                        new IrArrayCopy(copy.Type, Ir.Var(withTangent[i].Type.WithShape(TypeShape.ReadOnlySpan), parameterTangent.Name))));
                    parameterTangent = copy;
                }
                tangents[withTangent[i].Name] = parameterTangent;
            }
            // Arrays a callee returns get their tangents from its tangent (an out argument), not from zeros of their length.
            var madeByCalls = new HashSet<string>();
            Ir.ForEachStatement(method.Body, statement =>
            {
                if (statement is IrAssign { Value: IrCall { Type.IsSequence: true } } made) madeByCalls.Add(made.Target);
            });
            foreach (var local in method.Locals)
            {
                declarations.Add(new Declaration(local.Key, local.Value, Ir.Zero(local.Value)));
                if (local.Value.CarriesDerivative && method.Activity.IsVaried(local.Key))
                {
                    var tangent = Ir.Var(local.Value, names.Fresh("_" + NameAllocator.Unescaped(local.Key).TrimStart('_') + DerivativeKind.Tangent.Suffix()));
                    declarations.Add(new Declaration(tangent.Name, tangent.Type, local.Value.IsSequence
                        ? madeByCalls.Contains(local.Key) ? Ir.Zero(local.Value) : Ir.ZerosLike(Ir.Var(local.Value, local.Key), local.Value)
                        : Ir.Lit(tangent.Type, 0)));
                    tangents[local.Key] = tangent;
                }
            }
        }

        public IrBlock Build()
        {
            var body = new List<IrStatement>
            {
                new IrComment($"{method.Source.Name}'s statements, each followed by its tangent: the derivative along the inputs' tangents."),
            };
            body.AddRange(ProcessBlock(method.Body));
            if (method.Source.ResultArray is { } resultArray && resultTangent is not null)
            {
                // A returned array's tangent is its tangent array (zeros when it does not depend on the inputs).
                var result = Ir.Var(method.Source.ReturnType, resultArray);
                body.Add(Ir.Assign(resultTangent.Name, TangentOf(result) ?? Ir.ZerosLike(result, result.Type)));
                body.Add(new IrReturn(result));
            }
            else if (resultTangent is not null)
            {
                body.Add(Ir.Assign(resultTangent.Name, TangentOf(method.Result) ?? Ir.Lit(resultTangent.Type, 0)));
                body.Add(new IrReturn(method.Result));
            }
            else if (method.Source.ReturnType.IsSequence)
            {
                // A method that returns an array without a tangent of it (the pullback of one that returns an array).
                body.Add(new IrReturn(method.Result));
            }

            return DeclarationSinker.Sink(body, declarations);
        }

        private List<IrStatement> ProcessBlock(IrBlock block)
        {
            var output = new List<IrStatement>();
            foreach (var statement in block.Statements)
            {
                int start = output.Count;
                ProcessStatement(statement, output);
                // A statement's tangent comes from its line too.
                Ir.StampSource(output, start, statement.Origin);
            }
            return output;
        }

        private void ProcessStatement(IrStatement statement, List<IrStatement> output)
        {
            switch (statement)
            {
                case IrAssign assign:
                    ProcessAssignment(assign, output);
                    break;
                case IrIf ifStatement:
                    output.Add(ifStatement with { Then = Block(ProcessBlock(ifStatement.Then)), Else = Block(ProcessBlock(ifStatement.Else)) });
                    break;
                case IrLoop loop:
                    output.Add(loop with { Body = Block(ProcessBlock(loop.Body)), Step = Block(ProcessBlock(loop.Step)) });
                    break;
                case IrTapePush push:
                    // A pushed value with a tangent is followed on the tape by its tangent.
                    output.Add(push);
                    if (TangentOf(push.Value) is { } pushedTangent) output.Add(new IrTapePush(push.Tape, pushedTangent));
                    break;
                case IrAssignElement element:
                    ProcessElementAssignment(element, output);
                    break;
                case IrExpressionStatement { Expression: IrCall call } when call.Method.IsDifferentiable && HasActiveArgument(call):
                    output.Add(new IrExpressionStatement(TangentCall(call, call.Method.TangentIsValueFree ? null : Discard(call.Type))));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }

        private void ProcessAssignment(IrAssign assign, List<IrStatement> output)
        {
            if (!tangents.TryGetValue(assign.Target, out var tangent))
            {
                output.Add(assign);
                return;
            }
            var value = assign.Value;
            if (value is IrNewArray)
            {
                // A new array starts at zero, and so does its tangent.
                output.Add(assign);
                output.Add(Ir.Assign(tangent.Name, Ir.ZerosLike(Ir.Var(tangent.Type, assign.Target), tangent.Type)));
                return;
            }
            if (value is IrArrayCopy copy)
            {
                // A copy of an array (a vector-valued pullback's copy of its seed): its tangent is the copy of the tangent.
                output.Add(assign);
                output.Add(Ir.Assign(tangent.Name, TangentOf(copy.Source) is IrVariable sourceTangent
                    ? new IrArrayCopy(tangent.Type, sourceTangent)
                    : Ir.ZerosLike(Ir.Var(tangent.Type, assign.Target), tangent.Type)));
                return;
            }
            if (value is IrCall call && call.Method.IsDifferentiable && HasActiveArgument(call))
            {
                // t = G(args) becomes t = GTangent(args, tangents, out tTangent): one call computes both.
                output.Add(Ir.Assign(assign.Target, TangentCall(call, tangent)));
                return;
            }
            WriteWithTangent(assign, assign.Target, value, Ir.Var(tangent.Type, assign.Target), tangent, t => Ir.Assign(tangent.Name, t), output);
        }

        /// <summary>
        /// Emits a write and then its tangent's. A value popped from the tape takes its tangent from the tape first
        /// (it was pushed after the value). When the value reads the variable being written and so does its tangent,
        /// the tangent is computed into a local before the write; otherwise it follows the write, and rules that reuse
        /// a result read it from <paramref name="written"/>.
        /// </summary>
        /// <param name="write">The primal write.</param>
        /// <param name="target">The variable (or array) it writes.</param>
        /// <param name="value">The value written.</param>
        /// <param name="written">The written place, read back (the variable, or the element).</param>
        /// <param name="currentTangent">The written place's tangent, read back.</param>
        /// <param name="setTangent">A write of the tangent.</param>
        /// <param name="output">Where the statements go.</param>
        private void WriteWithTangent(IrStatement write, string target, IrExpr value, IrExpr written, IrExpr currentTangent,
            Func<IrExpr, IrStatement> setTangent, List<IrStatement> output)
        {
            var type = currentTangent.Type;
            if (value is IrTapePop pop)
            {
                output.Add(setTangent(new IrTapePop(type, pop.Tape)));
                output.Add(write);
                return;
            }
            if (!Ir.VariablesOf(value).Contains(target))
            {
                output.Add(write);
                output.Add(setTangent(Tangent(value, written) ?? Ir.Lit(type, 0)));
                return;
            }
            // x = f(x): the tangent reads the old values.
            var tangent = Tangent(value, result: null) ?? Ir.Lit(type, 0);
            if (Ir.VariablesOf(tangent).Contains(target))
            {
                var saved = Ir.Var(type, names.Numbered("_tangent"));
                output.Add(new IrDeclare(type, saved.Name, tangent));
                output.Add(write);
                output.Add(setTangent(saved));
                return;
            }
            output.Add(write);
            // x = x + 1 leaves x's tangent as it is.
            if (tangent != currentTangent) output.Add(setTangent(tangent));
        }

        private void ProcessElementAssignment(IrAssignElement assign, List<IrStatement> output)
        {
            if (!tangents.TryGetValue(assign.Sequence, out var tangent))
            {
                output.Add(assign);
                return;
            }
            var sequenceType = method.Locals.TryGetValue(assign.Sequence, out var localType) ? localType : method.Source.Parameters.First(p => p.Name == assign.Sequence).Type;
            var element = assign.Target(Ir.Var(sequenceType, assign.Sequence));
            WriteWithTangent(assign, assign.Sequence, assign.Value, element, element.In(tangent), t => assign.To(tangent.Name, t), output);
        }

        private bool HasActiveArgument(IrCall call) => call.Arguments.Any(a => method.Activity.IsActive(a.Value) || TangentOf(a.Value) is not null);

        /// <summary>
        /// <c>GTangent(args..., tangent of each floating-point argument..., out resultTangent)</c>; a value-free rule's tangent
        /// (no <paramref name="resultTangentTarget"/>) takes no <c>out</c>.
        /// </summary>
        private IrCall TangentCall(IrCall call, IrVariable? resultTangentTarget)
        {
            var arguments = call.Arguments.ToList();
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                var argument = call.Arguments[i];
                if (!HasTangent(call.Method.Parameters[i])) continue;
                if (argument.Value.Type.IsSequence)
                {
                    // An array's tangent is passed as a span; an array without one gets zeros of its length (and a
                    // pullback's scratch adjoint, itself a new array, a new array of zeros).
                    arguments.Add(new IrArgument(argument.Value switch
                    {
                        IrVariable sequence => TangentOf(sequence) ?? Ir.ZerosLike(sequence, sequence.Type),
                        // A slice's tangent is the same slice of the sequence's tangent.
                        IrSlice slice => TangentOf(slice.Sequence) is IrVariable sliceTangent ? slice.Of(sliceTangent)
                            : new IrNewArray(slice.Type.WithShape(TypeShape.Array), slice.Length),
                        _ => argument.Value,
                    }));
                }
                else if (argument.Kind == ArgumentKind.Value)
                {
                    arguments.Add(new IrArgument(Tangent(argument.Value, result: null) ?? Ir.Lit(argument.Value.Type, 0)));
                }
                else
                {
                    var target = (IrVariable)argument.Value;
                    arguments.Add(new IrArgument(tangents.TryGetValue(target.Name, out var t) ? t : Discard(target.Type), argument.Kind));
                }
            }
            if (resultTangentTarget is not null) arguments.Add(new IrArgument(resultTangentTarget, ArgumentKind.Out));
            return new IrCall(call.Type, DerivativeSignatures.TangentOf(call.Method, call.Type), arguments.ToEquatableArray());
        }

        private IrExpr? TangentOf(IrExpr expr) => expr switch
        {
            IrVariable v when tangents.TryGetValue(v.Name, out var t) => t,
            IrElement e when tangents.TryGetValue(e.Sequence.Name, out var t) => e.In(t),
            _ => null,
        };

        /// <summary>
        /// The tangent of an expression, or null when it is zero. <paramref name="result"/> holds the expression's
        /// value when a variable does (the target of the assignment); otherwise rules that need the value
        /// evaluate it again.
        /// </summary>
        private IrExpr? Tangent(IrExpr expr, IrExpr? result)
        {
            if (!method.Activity.IsActive(expr)) return null;
            switch (expr)
            {
                case IrVariable variable:
                    return TangentOf(variable);
                case IrElement element:
                    return TangentOf(element);
                case IrUnary { Op: UnaryOp.Negate } unary:
                    return Tangent(unary.Operand, null) is { } t ? Negate(t) : null;
                case IrConvert convert:
                    return Tangent(convert.Operand, null) is { } operand ? Ir.Convert(convert.Type, operand) : null;
                case IrConditional conditional:
                {
                    var whenTrue = Tangent(conditional.WhenTrue, null);
                    var whenFalse = Tangent(conditional.WhenFalse, null);
                    if (whenTrue is null && whenFalse is null) return null;
                    return new IrConditional(conditional.Type, conditional.Condition, whenTrue ?? Ir.Lit(conditional.Type, 0), whenFalse ?? Ir.Lit(conditional.Type, 0));
                }
                case IrBinary binary:
                    return BinaryTangent(binary, result);
                case IrMathCall call:
                {
                    IrExpr? sum = null;
                    for (int i = 0; i < call.Arguments.Count; i++)
                    {
                        if (Tangent(call.Arguments[i], null) is not { } argumentTangent) continue;
                        var contribution = DerivativeRules.Adjoints(call, result ?? call, argumentTangent, method.Activity.IsActive)[i];
                        if (contribution is not null) sum = sum is null ? contribution : Ir.Add(sum, contribution);
                    }
                    return sum;
                }
                default:
                    throw new InvalidOperationException($"Forward mode cannot take the tangent of {expr.GetType().Name} here.");
            }
        }

        private IrExpr? BinaryTangent(IrBinary binary, IrExpr? result)
        {
            var left = binary.Left;
            var right = binary.Right;
            var dl = Tangent(left, null);
            var dr = Tangent(right, null);
            switch (binary.Op)
            {
                case BinaryOp.Add:
                    return dl is null ? dr : dr is null ? dl : Ir.Add(dl, dr);
                case BinaryOp.Subtract:
                    return dl is null ? (dr is null ? null : Negate(dr)) : dr is null ? dl : Ir.Sub(dl, dr);
                case BinaryOp.Multiply:
                {
                    var first = dl is null ? null : Ir.Mul(dl, right);
                    var second = dr is null ? null : Ir.Mul(left, dr);
                    return first is null ? second : second is null ? first : Ir.Add(first, second);
                }
                case BinaryOp.Divide:
                {
                    // d(l/r) = (dl - (l/r)·dr) / r
                    if (dr is null) return dl is null ? null : Ir.Div(dl, right);
                    var quotientTimesDr = Ir.Mul(result ?? Ir.Div(left, right), dr);
                    return Ir.Div(dl is null ? Negate(quotientTimesDr) : Ir.Sub(dl, quotientTimesDr), right);
                }
                case BinaryOp.Remainder:
                {
                    if (dr is null) return dl;
                    var second = Ir.Mul(Ir.Math(MathFunction.Truncate, Ir.Div(left, right)), dr);
                    return dl is null ? Negate(second) : Ir.Sub(dl, second);
                }
                default:
                    throw new InvalidOperationException($"Forward mode cannot take the tangent of the operator {binary.Op}.");
            }
        }

        private IrVariable Discard(IrType type)
        {
            if (!discards.TryGetValue(type, out var discard))
            {
                discard = Ir.Var(type, names.Fresh(type.Kind == ScalarKind.Single ? "_ignoredTangentSingle" : "_ignoredTangent"));
                declarations.Add(new Declaration(discard.Name, type, Ir.Lit(type, 0)));
                discards[type] = discard;
            }
            return discard;
        }

        private static IrBlock Block(List<IrStatement> statements) => new(statements.ToEquatableArray());

        private static IrExpr Negate(IrExpr expr) => Ir.Negated(expr);
    }
}
