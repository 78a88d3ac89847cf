using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// Nested differentiation: calls to generated derivatives (<c>GGradient</c>, <c>GBackward</c>, <c>GTangent</c>) inside
/// differentiated code. Each derivative is written with two differentiable functions: <c>G</c> itself and its directional
/// derivative <c>GDirectional(x, v) = ∇G(x)·v</c> (forward mode, with the tangent as its result). A gradient is one
/// directional derivative per parameter (unit directions), a pullback the same scaled by the seed, a tangent one. The
/// generator emits <c>GDirectional</c> and its derivatives like any method's, so derivatives of derivatives are generated
/// the same way at any depth.
/// </summary>
internal sealed partial class OperationLowerer
{
    private static bool IsGeneratedByAutoDiff(IMethodSymbol method)
        => method.GetAttributes().Any(a => a.AttributeClass?.Name == "GeneratedCodeAttribute"
                                           && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == GeneratorIdentity.Name);

    /// <summary>For a generated derivative <c>GGradient</c>, <c>GBackward</c> or <c>GTangent</c>: <c>G</c> and which one it is.</summary>
    private static (IMethodSymbol Original, DerivativeKind Kind)? GeneratedDerivative(IMethodSymbol method)
    {
        if (!IsGeneratedByAutoDiff(method)) return null;
        foreach (var kind in DerivativeKinds.Callable)
        {
            var suffix = kind.Suffix();
            if (!method.Name.EndsWith(suffix, System.StringComparison.Ordinal) || method.Name.Length == suffix.Length) continue;
            var name = method.Name.Substring(0, method.Name.Length - suffix.Length);
            foreach (var candidate in method.ContainingType.GetMembers(name).OfType<IMethodSymbol>())
            {
                if (!TypeMapping.IsDifferentiable(candidate) || candidate.Parameters.Length > method.Parameters.Length) continue;
                bool same = true;
                for (int i = 0; i < candidate.Parameters.Length; i++) same &= SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, method.Parameters[i].Type);
                if (same) return (candidate, kind);
            }
            return null;
        }
        return null;
    }

    private readonly Dictionary<IMethodSymbol, string?> nestedTargetProblems = new(SymbolEqualityComparer.Default);

    /// <summary>Why the derivatives of <paramref name="method"/> cannot be differentiated again, or null when they can.</summary>
    private static string? NestedTargetProblem(IMethodSymbol method, Compilation? compilation, HashSet<IMethodSymbol> visited)
    {
        if (!visited.Add(method)) return null;
        if (TypeMapping.IsCustomDerivative(method)) return $"'{method.Name}' has hand-written rules ([CustomDerivative]), whose derivatives AutoDiff cannot differentiate again";
        if (!method.IsStatic) return $"'{method.Name}' is an instance method; only static methods' derivatives can be differentiated again";
        // Its directional derivative would be generated in the generic type, and called through a constructed one.
        if (method.ContainingType.IsGenericType) return $"'{method.Name}' is a method of a generic type; only the derivatives of methods of non-generic types can be differentiated again";
        if (method.DeclaringSyntaxReferences.Length == 0 || compilation is null) return $"'{method.Name}' is compiled in another assembly";
        if (TypeMapping.ToIr(method.ReturnType) is not { IsFloatingPoint: true }) return $"'{method.Name}' does not return a double or a float";
        foreach (var parameter in method.Parameters)
        {
            if (TypeMapping.ToIr(parameter.Type) is not { Shape: TypeShape.Scalar } && !(StructLayout.IsCandidate(parameter.Type) && !parameter.Type.IsTupleType))
                return $"'{method.Name}' takes '{parameter.Type.ToDisplayString()}' ('{parameter.Name}'); derivatives taken again need numbers and structs, not arrays";
        }
        // The methods it calls are differentiated again with it.
        foreach (var reference in (method.PartialImplementationPart ?? method).DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            if (!compilation.ContainsSyntaxTree(tree)) continue;
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in reference.GetSyntax().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(node).Symbol is not IMethodSymbol callee) continue;
                if (GeneratedDerivative(callee) is { } nested) callee = nested.Original;
                else if (!TypeMapping.IsDifferentiable(callee)) continue;
                if (NestedTargetProblem(callee, compilation, visited) is { } problem) return problem;
            }
        }
        return null;
    }

    /// <summary>
    /// A call to a generated derivative of <c>G</c>: its value (a number, or a tuple as a <see cref="StructValue"/>), with
    /// the writes it makes to <c>ref</c> and <c>out</c> arguments added to the pending statements. Null when the call is
    /// not to a generated derivative.
    /// </summary>
    private object? LowerNestedDerivative(IInvocationOperation invocation)
    {
        if (GeneratedDerivative(invocation.TargetMethod) is not { } target) return null;
        var (original, kind) = target;
        var display = invocation.TargetMethod.Name;
        IrExpr Fail(string advice) => Unsupported(invocation, $"The call to the generated '{display}'", advice);

        if (kind is not (DerivativeKind.Gradient or DerivativeKind.Backward or DerivativeKind.Tangent))
            return Fail($"differentiable code can call {original.Name}Gradient, {original.Name}Backward and {original.Name}Tangent");
        // One method's derivatives are often called several times (a force per spring): its check is kept.
        if (!nestedTargetProblems.TryGetValue(original, out var problem))
        {
            problem = NestedTargetProblem(original, invocation.SemanticModel?.Compilation, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
            nestedTargetProblems[original] = problem;
        }
        if (problem is not null) return Fail(problem);
        if (pending is null && kind != DerivativeKind.Gradient && kind != DerivativeKind.Tangent)
            return Fail("call it as a statement of its own, not inside a loop condition or a branch of ?:");

        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
        int n = original.Parameters.Length;
        // G's parameters as its scalarised form has them: a struct's numbers one by one.
        var flat = StructBoundary.Flatten(original, Within, out var why);
        if (flat is null) return Fail(why);
        bool scalarised = StructBoundary.TakesStructs(original);
        var parameters = flat.Parameters;
        var point = new List<IrExpr>();
        for (int i = 0; i < n; i++)
        {
            if (flat.Boundary[i].Struct is { } model) point.AddRange(LowerStruct(arguments[i].Value, model).Leaves.Select(Bind));
            else point.Add(Bind(LowerExpr(arguments[i].Value)));
        }
        var differentiable = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].IsDifferentiable).ToList();
        // The user's parameters that have a derivative, each with the positions of its numbers among the scalarised ones.
        var userDifferentiable = flat.Boundary.Where(b => b.Flat.Any(f => parameters.First(p => p.Name == f).IsDifferentiable)).ToList();
        int FlatIndex(string name) => parameters.FindIndex(p => p.Name == name);

        var containing = TypeMapping.FullyQualified(original.ContainingType);
        var returnType = TypeMapping.ToIr(original.ReturnType)!;
        var name = scalarised ? StructBoundary.ScalarizedName(original.Name) : TypeMapping.Identifier(original.Name);
        var valueCall = new IrCall(returnType, new IrMethodRef(containing, name, true, parameters.ToEquatableArray()), point.Select(p => new IrArgument(p)).ToEquatableArray());
        var directionalParameters = parameters.Concat(differentiable.Select(i => new IrParameter(parameters[i].Name.TrimStart('@') + DerivativeKind.Tangent.Suffix(), parameters[i].Type))).ToEquatableArray();
        var directionalMethod = new IrMethodRef(containing, NameAllocator.Unescaped(name) + DerivativeKind.Directional.Suffix(), true, directionalParameters);
        IrExpr Directional(IReadOnlyList<IrExpr> direction)
            => new IrCall(returnType, directionalMethod, point.Concat(direction).Select(d => new IrArgument(d)).ToEquatableArray());
        IReadOnlyList<IrExpr> Unit(int k) => differentiable.Select(i => (IrExpr)Ir.Lit(parameters[i].Type, i == k ? 1 : 0)).ToList();
        // ∂G/∂(each number of a user parameter): a directional derivative for a differentiable number, zero for a carried one.
        IEnumerable<IrExpr> PartialsOf(BoundaryParameter parameter) => parameter.Flat.Select(f =>
        {
            int k = FlatIndex(f);
            return parameters[k].IsDifferentiable ? Ir.Convert(parameters[k].Type, Directional(Unit(k))) : (IrExpr)Ir.Lit(parameters[k].Type, 0);
        });
        if (original.DeclaringSyntaxReferences.Length > 0) sourceCallees.Add(new SourceCall(original, Loc(invocation.Syntax)));

        switch (kind)
        {
            case DerivativeKind.Gradient when ModelOf(invocation.Type) is { IsTuple: true } tuple:
            {
                // (Value, dX, dY, ...): the value, then the partial derivatives (a struct's, field by field).
                var leaves = new List<IrExpr> { valueCall };
                foreach (var parameter in userDifferentiable) leaves.AddRange(PartialsOf(parameter));
                return new StructValue(tuple, leaves);
            }
            case DerivativeKind.Tangent:
            {
                // The direction: one tangent per differentiable user parameter (a struct's numbers that have tangents).
                var direction = new List<IrExpr>();
                for (int j = 0; j < userDifferentiable.Count; j++)
                {
                    var parameter = userDifferentiable[j];
                    var argument = arguments[n + j].Value;
                    if (parameter.Struct is { } model)
                    {
                        var leaves = LowerStruct(argument, model).Leaves;
                        direction.AddRange(parameter.Flat.Select((f, i) => (f, i)).Where(e => parameters[FlatIndex(e.f)].IsDifferentiable).Select(e => leaves[e.i]));
                    }
                    else direction.Add(LowerExpr(argument));
                }
                var tangent = Directional(direction);
                if (ModelOf(invocation.Type) is { IsTuple: true } tangentTuple) return new StructValue(tangentTuple, new[] { valueCall, tangent });
                // The form with 'out resultTangent' (the last argument).
                if (arguments.Count != n + userDifferentiable.Count + 1 || OutTarget(arguments[arguments.Count - 1].Value) is not { } resultTarget)
                    return Fail("pass a local as its out argument");
                pending!.Add(Ir.Assign(resultTarget.Name, tangent));
                return valueCall;
            }
            case DerivativeKind.Backward:
            {
                // GBackward(x..., seed, ref dX...): each adjoint grows by seed · ∂G/∂x (a struct's field by field).
                if (arguments.Count != n + 1 + userDifferentiable.Count) return Fail("pass the parameters, the seed, and a local for each adjoint");
                var seed = Bind(LowerExpr(arguments[n].Value));
                for (int j = 0; j < userDifferentiable.Count; j++)
                {
                    var parameter = userDifferentiable[j];
                    var argument = arguments[n + 1 + j].Value;
                    if (parameter.Struct is not null)
                    {
                        if (StructTarget(argument) is not { } place) return Fail("pass a struct local for each struct adjoint");
                        var partials = PartialsOf(parameter).ToList();
                        for (int i = 0; i < partials.Count; i++)
                        {
                            if (!parameters[FlatIndex(parameter.Flat[i])].IsDifferentiable) continue;
                            var current = place.Read(i);
                            pending!.Add(place.Write(i, Ir.Add(current, Ir.Mul(Ir.Convert(current.Type, seed), Ir.Convert(current.Type, partials[i])))));
                        }
                        continue;
                    }
                    if (OutTarget(argument) is not { } adjoint) return Fail("pass a local for each adjoint");
                    var k = FlatIndex(parameter.Flat[0]);
                    pending!.Add(Ir.AddAssign(adjoint, Ir.Mul(Ir.Convert(adjoint.Type, seed), Ir.Convert(adjoint.Type, Directional(Unit(k))))));
                }
                return valueCall;
            }
        }
        return Fail($"use {original.Name}Gradient's result as a tuple (var g = {original.Name}Gradient(...), or deconstruct it)");
    }

    /// <summary>The local a ref or out argument writes.</summary>
    private IrVariable? OutTarget(IOperation argument) => argument switch
    {
        ILocalReferenceOperation local when TypeMapping.ToIr(local.Type) is { Shape: TypeShape.Scalar } type => Ir.Var(type, UniqueName(local.Local)),
        IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } when TypeMapping.ToIr(declared.Type) is { Shape: TypeShape.Scalar } type
            => DeclareOutLocal(declared.Local, type),
        _ => null,
    };

    private IrVariable DeclareOutLocal(ILocalSymbol local, IrType type)
    {
        var variable = Ir.Var(type, UniqueName(local));
        pending?.Add(new IrDeclare(type, variable.Name, Ir.Lit(type, 0)));
        return variable;
    }

    /// <summary><c>var (v, dx) = GGradient(x);</c> and other deconstructions of a tuple value into locals.</summary>
    private bool LowerDeconstruction(IDeconstructionAssignmentOperation deconstruction, List<IrStatement> output)
    {
        if (ModelOf(deconstruction.Value.Type) is not { } model) return false;
        var value = LowerStruct(deconstruction.Value, model);
        var target = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
        if (target is not ITupleOperation tuple || tuple.Elements.Length != model.Members.Count)
        {
            Unsupported(deconstruction, "This deconstruction", "deconstruct into locals: var (a, b) = ...");
            return true;
        }
        var temporaries = value.Leaves.Select(leaf => Bind(leaf)).ToList();
        // (a, b) = (b * a, a): every value is read before any local is written, so a value that reads a local written
        // here is copied first (Bind leaves plain variables as they are).
        var written = new HashSet<string>();
        foreach (var element in tuple.Elements)
        {
            if (element is not ILocalReferenceOperation { IsDeclaration: false } existing) continue;
            if (structVariables.TryGetValue(existing.Local, out var existingPlace)) written.UnionWith(existingPlace.Storage);
            else written.Add(UniqueName(existing.Local));
        }
        if (temporaries.Any(t => Ir.VariablesOf(t).Overlaps(written)))
        {
            temporaries = temporaries.Select(t =>
            {
                var name = FreshName("_s");
                output.Add(new IrDeclare(t.Type, name, t));
                return (IrExpr)Ir.Var(t.Type, name);
            }).ToList();
        }
        for (int i = 0; i < tuple.Elements.Length; i++)
        {
            var member = model.Members[i];
            var (start, count) = model.LeafRange(member.Name);
            var element = tuple.Elements[i] is IDeclarationExpressionOperation inner ? inner.Expression : tuple.Elements[i];
            switch (element)
            {
                case IDiscardOperation:
                    break;
                case ILocalReferenceOperation local when member.Scalar is { } scalar && TypeMapping.ToIr(local.Type) is { } localType:
                {
                    var name = UniqueName(local.Local);
                    var converted = Ir.Convert(localType, temporaries[start]);
                    output.Add(local.IsDeclaration ? new IrDeclare(localType, name, converted) : Ir.Assign(name, converted));
                    break;
                }
                case ILocalReferenceOperation local when member.Struct is { } nested && ModelOf(local.Type) is { } localModel:
                {
                    if (!structVariables.TryGetValue(local.Local, out var place))
                    {
                        var names = localModel.Leaves.Select(l => FreshName(local.Local.Name + "_" + l.Path.Replace(".", "_").Replace("@", ""))).ToList();
                        for (int j = 0; j < count; j++) output.Add(new IrDeclare(localModel.Leaves[j].Type, names[j], temporaries[start + j]));
                        structVariables[local.Local] = new StructPlace(localModel, names);
                    }
                    else
                    {
                        WriteStruct(place, new StructValue(nested, temporaries.Skip(start).Take(count).ToList()), output);
                    }
                    break;
                }
                default:
                    Unsupported(element, $"Deconstructing into '{Shorten(element.Syntax.ToString())}'", "deconstruct into locals");
                    break;
            }
        }
        return true;
    }
}
