using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Lowering;

namespace AutoDiff.Generator.Analysis;

/// <summary>
/// The C# text of hand-written derivative rules for a method, with the signatures the generator expects and bodies
/// that say what to write and throw until it is written. The code fixes for ADIFF007 and ADIFF008 insert it.
/// </summary>
internal static class CustomDerivativeSkeleton
{
    /// <summary>Which rules a skeleton holds.</summary>
    [System.Flags]
    public enum Rules
    {
        None = 0,
        Backward = 1,
        Tangent = 2,
        BackwardTangent = 4,
        All = Backward | Tangent | BackwardTangent,
    }

    /// <summary>
    /// A [CustomDerivative] forwarder for <paramref name="methodName"/> of <paramref name="typeName"/> (a method of
    /// another assembly), with all its rules.
    /// </summary>
    /// <param name="stub">The method's name, result and parameters (its body is not used).</param>
    /// <param name="typeName">The fully qualified type that declares it.</param>
    /// <param name="methodName">Its name.</param>
    public static string Forwarder(IrMethod stub, string typeName, string methodName)
    {
        var text = new StringBuilder();
        var parameters = string.Join(", ", stub.Parameters.Select(p => Keyword(p.Type) + " " + p.Name));
        var arguments = string.Join(", ", stub.Parameters.Select(p => p.Name));
        text.Append($"/// <summary>Stands for {typeName.Replace("global::", "")}.{methodName} in [Differentiable] code, with the derivative rules below.</summary>\n");
        text.Append($"[global::AutoDiff.CustomDerivative(typeof({typeName}), nameof({typeName}.{methodName}))]\n");
        text.Append($"internal static {Keyword(stub.ReturnType)} {stub.Name}({parameters}) => {typeName}.{methodName}({arguments});\n");
        text.Append('\n');
        // Internal: the forwarder stands for the method in every [Differentiable] method of the compilation.
        text.Append(For(stub, Rules.All, "internal"));
        return text.ToString();
    }

    /// <summary>The rules of a [CustomDerivative] method that <paramref name="rules"/> selects.</summary>
    public static string For(IrMethod stub, Rules rules, string accessibility)
    {
        var (backward, tangent) = Differentiator.FirstOrder(stub);
        var backwardTangent = CustomDerivativeAnalysis.ExpectedBackwardTangent(backward);
        var differentiable = stub.Parameters.Where(p => p.IsDifferentiable).ToList();
        var adjoints = backward.Parameters.Where(p => p.Kind == ParameterKind.Ref).ToList();
        var seed = backward.Parameters.Skip(stub.Parameters.Count).FirstOrDefault(p => p.Kind == ParameterKind.Value)?.Name ?? "seed";
        var tangents = tangent.Parameters.Skip(stub.Parameters.Count).Where(p => p.Kind == ParameterKind.Value).ToList();
        var resultTangent = tangent.Parameters.FirstOrDefault(p => p.Kind == ParameterKind.Out)?.Name ?? "resultTangent";
        var members = new List<string>();
        if ((rules & Rules.Backward) != 0)
        {
            var body = new List<string> { $"// The pullback of {stub.Name}: add each partial derivative times {seed} to its adjoint, and return the value." };
            for (int i = 0; i < adjoints.Count && i < differentiable.Count; i++)
            {
                body.Add($"// {adjoints[i].Name} += (∂{stub.Name}/∂{differentiable[i].Name}) * {seed};");
            }
            if (!backward.ReturnType.IsVoid) body.Add($"// return {stub.Name}({string.Join(", ", stub.Parameters.Select(p => p.Name))});");
            body.Add($"throw new global::System.NotImplementedException(\"Write the pullback of {stub.Name}.\");");
            members.Add(Member(accessibility, backward, body));
        }
        if ((rules & Rules.Tangent) != 0)
        {
            var terms = differentiable.Zip(tangents, (p, t) => $"(∂{stub.Name}/∂{p.Name}) * {t.Name}");
            var body = new List<string>
            {
                $"// The tangent of {stub.Name}: set {resultTangent} to the sum of each partial derivative times its parameter's tangent,",
                $"// and return the value.",
                $"// {resultTangent} = {string.Join(" + ", terms)};",
                $"// return {stub.Name}({string.Join(", ", stub.Parameters.Select(p => p.Name))});",
                $"throw new global::System.NotImplementedException(\"Write the tangent of {stub.Name}.\");",
            };
            members.Add(Member(accessibility, tangent, body));
        }
        if ((rules & Rules.BackwardTangent) != 0)
        {
            var body = new List<string>
            {
                $"// Second order: forward mode over {backward.Name} (each of its parameters with a tangent). Delete this method once",
                $"// {backward.Name} is written with code AutoDiff can differentiate: it then derives this one from it.",
                $"throw new global::System.NotImplementedException(\"Write the tangent of {backward.Name}, or delete {backwardTangent.Name}.\");",
            };
            members.Add(Member(accessibility, backwardTangent, body));
        }
        return string.Join("\n", members);
    }

    private static string Member(string accessibility, IrMethod signature, List<string> body)
    {
        var text = new StringBuilder();
        text.Append(accessibility).Append(' ').Append(CustomDerivativeAnalysis.Signature(signature)).Append('\n');
        text.Append("{\n");
        foreach (var line in body) text.Append("    ").Append(line).Append('\n');
        text.Append("}\n");
        return text.ToString();
    }

    private static string Keyword(IrType type) => type.Keyword.Replace("global::", "");
}
