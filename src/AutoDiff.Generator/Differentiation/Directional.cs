using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// The directional derivative of a scalar method <c>G</c>: <c>GDirectional(x..., v...) = ∇G(x)·v</c>, a method of the
/// point and the direction that returns the tangent. It is forward mode's <c>GTangent</c> with the tangent as its result,
/// and each call to a callee's tangent split into two calls of differentiable methods (the callee and its directional
/// derivative), so that it contains nothing but ordinary IR: the generator differentiates it like a user's method. Calls
/// to <c>GGradient</c>, <c>GBackward</c> and <c>GTangent</c> in differentiable code are lowered to calls of it.
/// </summary>
internal static class Directional
{
    public const string Suffix = "Directional";

    /// <summary>The directional derivative of <paramref name="method"/>, a scalar-valued method of numbers.</summary>
    public static IrMethod Of(IrMethod method)
    {
        var tangent = ForwardMode.Differentiate(method);
        var result = tangent.Parameters[tangent.Parameters.Count - 1];
        var body = new List<IrStatement> { new IrDeclare(result.Type, result.Name, Ir.Lit(result.Type, 0)) };
        body.AddRange(Rewrite(tangent.Body, Ir.Var(result.Type, result.Name)).Statements);
        var parameters = tangent.Parameters.Take(tangent.Parameters.Count - 1).ToEquatableArray();
        return new IrMethod(NameAllocator.Unescaped(method.Name) + Suffix, method.ReturnType, parameters, new IrBlock(body.ToEquatableArray()));
    }

    /// <summary>The names of the directional derivatives a method calls (<c>GDirectional</c>), with their types.</summary>
    public static IEnumerable<(string ContainingType, string Name)> Calls(IrMethod method)
    {
        var found = new List<(string, string)>();
        Ir.ForEachRootExpression(method.Body, root => Ir.ForEachNode(root, node =>
        {
            if (node is IrCall call && call.Method.Name.EndsWith(Suffix, System.StringComparison.Ordinal)) found.Add((call.Method.ContainingType, call.Method.Name));
        }));
        return found.Distinct();
    }

    private static IrBlock Rewrite(IrBlock block, IrVariable result)
    {
        var output = new List<IrStatement>();
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IrReturn:
                    output.Add(new IrReturn(result));
                    break;
                // t = G(args, tangents, out tTangent): t = G(args); tTangent = GDirectional(args, tangents).
                case IrAssign { Value: IrCall call } assign when TangentCallParts(call) is { } parts:
                    output.Add(Ir.Assign(assign.Target, parts.Value));
                    output.Add(Ir.Assign(parts.TangentTarget.Name, parts.Directional));
                    break;
                case IrDeclare { Initializer: IrCall call } declare when TangentCallParts(call) is { } parts:
                    output.Add(declare with { Initializer = parts.Value });
                    output.Add(Ir.Assign(parts.TangentTarget.Name, parts.Directional));
                    break;
                case IrExpressionStatement { Expression: IrCall call } when TangentCallParts(call) is { } parts:
                    output.Add(Ir.Assign(parts.TangentTarget.Name, parts.Directional));
                    break;
                case IrIf ifStatement:
                    output.Add(new IrIf(ifStatement.Condition, Rewrite(ifStatement.Then, result), Rewrite(ifStatement.Else, result)));
                    break;
                case IrLoop loop:
                    output.Add(loop with { Body = Rewrite(loop.Body, result), Step = Rewrite(loop.Step, result) });
                    break;
                case IrBlock inner:
                    output.Add(Rewrite(inner, result));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }
        return new IrBlock(output.ToEquatableArray());
    }

    /// <summary>A call <c>GTangent(args..., tangents..., out t)</c>: the call of <c>G</c>, the call of <c>GDirectional</c>, and <c>t</c>.</summary>
    private static (IrExpr Value, IrExpr Directional, IrVariable TangentTarget)? TangentCallParts(IrCall call)
    {
        var reference = call.Method;
        if (!reference.Name.EndsWith(DerivativeKind.Tangent.Suffix(), System.StringComparison.Ordinal) || call.Arguments.Count == 0) return null;
        if (call.Arguments[call.Arguments.Count - 1] is not { Kind: ArgumentKind.Out, Value: IrVariable target }) return null;
        // The callee's own parameters come first; then one tangent per parameter that has one; then the out result.
        int total = reference.Parameters.Count - 1;
        int count = -1;
        for (int n = 0; n <= total; n++)
        {
            if (n + reference.Parameters.Take(n).Count(DerivativeSignatures.HasTangent) == total)
            {
                count = n;
                break;
            }
        }
        if (count < 0) return null;
        var name = reference.Name.Substring(0, reference.Name.Length - DerivativeKind.Tangent.Suffix().Length);
        var original = new IrMethodRef(reference.ContainingType, name, true, reference.Parameters.Take(count).ToEquatableArray());
        var directional = new IrMethodRef(reference.ContainingType, NameAllocator.Unescaped(name) + Suffix, true, reference.Parameters.Take(total).ToEquatableArray());
        var arguments = call.Arguments.Take(total).ToEquatableArray();
        return (new IrCall(call.Type, original, call.Arguments.Take(count).ToEquatableArray()), new IrCall(call.Type, directional, arguments), target);
    }
}
