using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Targets.Ilgpu;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Analysis;

/// <summary>
/// Decides which <c>[Differentiable]</c> methods of this compilation a kernel may call as ILGPU device functions. A kernel
/// calls a callee <c>G</c> and the derivatives of it that the CPU path generates (<c>GBackward</c>, <c>GTangent</c>,
/// <c>GBackwardTangent</c>), so G may be called when that code follows ILGPU's rules: G is static with generated
/// derivatives, takes double, float and int values and returns a double or float, and G and those derivatives keep no
/// tape, use no arrays, read no static member, and call only the <c>Math</c> functions ILGPU compiles, the runtime's device
/// functions (<see cref="KernelCalls"/>) and callees that may be called by the same rule, without recursion.
/// </summary>
/// <remarks>
/// The verdict is read from IR: G's lowered model and the derivatives built from it exactly as
/// <see cref="DerivativeFileEmitter"/> builds them, so what is checked is what ILGPU compiles. The generator and the
/// analyzer both run it, through <see cref="KernelAnalysis"/>, each with its own way of lowering a callee.
/// </remarks>
internal sealed class KernelCallees
{
    private readonly Func<IMethodSymbol, MethodAnalysisResult?> analyze;

    /// <summary>Verdicts by the callee's key (<see cref="MethodAnalysis.KeyOf"/>).</summary>
    private readonly Dictionary<string, Verdict> verdicts = new(StringComparer.Ordinal);

    /// <summary>The callees being decided, outermost first: meeting one of them again is recursion.</summary>
    private readonly List<string> inProgress = new();

    /// <param name="analyze">Lowers a callee of this compilation (null when its source is not in the compilation).</param>
    public KernelCallees(Func<IMethodSymbol, MethodAnalysisResult?> analyze) => this.analyze = analyze;

    /// <summary>Why a callee cannot be called from a kernel, and what to try.</summary>
    /// <param name="Path">The callees from this one down to the one that fails, this one first.</param>
    /// <param name="Why">Why the last of them cannot run in a kernel; null when this one can.</param>
    /// <param name="Fix">What to try.</param>
    private sealed record Verdict(IReadOnlyList<string> Path, string? Why, string? Fix)
    {
        public bool Safe => Why is null;
    }

    /// <summary>
    /// The verdict on each of <paramref name="calls"/> (the [Differentiable] calls of a kernel method, found by lowering),
    /// in a fixed order: one entry per callee, with the reason a kernel may not call it, or none.
    /// </summary>
    public EquatableArray<KernelCallee> Decide(IEnumerable<SourceCall> calls)
    {
        var result = new List<KernelCallee>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            var callee = call.Callee.OriginalDefinition;
            // One entry per type the callee is called through (a generic type's Box<int>.G and Box<double>.G), as IR names it.
            if (!seen.Add(TypeMapping.FullyQualified(call.Callee.ContainingType) + " " + MethodAnalysis.KeyOf(callee))) continue;
            var verdict = Decide(callee);
            var refusal = verdict.Safe ? null
                : $"it calls {string.Join(", which calls ", verdict.Path.Select(n => $"'{n}'"))}, which cannot run in a kernel: {verdict.Why}; {verdict.Fix}";
            result.Add(CalleeOf(call.Callee, refusal));
        }
        return result
            .OrderBy(c => c.ContainingType, StringComparer.Ordinal)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ThenBy(c => string.Join(",", c.Parameters.Select(p => p.Keyword)), StringComparer.Ordinal)
            .ToEquatableArray();
    }

    private Verdict Decide(IMethodSymbol callee)
    {
        var key = MethodAnalysis.KeyOf(callee);
        if (verdicts.TryGetValue(key, out var known)) return known;
        inProgress.Add(key);
        Verdict verdict;
        try
        {
            verdict = Check(callee);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Differentiating the callee failed; its own file is not generated either (ADIFF900 says why).
            verdict = Fails(callee, "its derivatives could not be generated", $"see the errors reported at '{callee.Name}'");
        }
        finally
        {
            inProgress.RemoveAt(inProgress.Count - 1);
        }
        verdicts[key] = verdict;
        return verdict;
    }

    /// <summary>
    /// The callee as kernel IR names it (through the type it is called through: <c>Box&lt;int&gt;</c>, for a method of a
    /// generic type), with the reason a kernel may not call it (null when it may).
    /// </summary>
    private static KernelCallee CalleeOf(IMethodSymbol method, string? refusal)
        => new(TypeMapping.FullyQualified(method.ContainingType), method.Name,
            method.Parameters.Select(p => TypeMapping.ToIr(p.Type) ?? IrType.Void).ToEquatableArray(), refusal);

    private static Verdict Fails(IMethodSymbol callee, string why, string fix) => new(new[] { callee.Name }, why, fix);

    private static readonly Verdict Safe = new(Array.Empty<string>(), null, null);

    private Verdict Check(IMethodSymbol callee)
    {
        var name = callee.Name;
        if (TypeMapping.IsCustomDerivative(callee))
        {
            return Fails(callee, "its derivatives are hand-written ([CustomDerivative]), and kernels call generated derivatives only",
                $"write the formula in a [Differentiable] method, or inline '{name}' in the [GpuKernel] method");
        }
        if (!callee.IsStatic) return Fails(callee, "it is an instance method", $"make '{name}' static");
        // CPU code calls these through the constructed type; kernels do not (yet).
        if (callee.ContainingType.IsGenericType) return Fails(callee, "it is a method of a generic type", $"move '{name}' to a non-generic type, or inline it in the [GpuKernel] method");
        foreach (var parameter in callee.Parameters)
        {
            if (parameter.RefKind != RefKind.None || !IsDeviceScalar(TypeMapping.ToIr(parameter.Type)))
            {
                return Fails(callee, $"its parameter '{parameter.Name}' is {(parameter.RefKind == RefKind.None ? "" : TypeMapping.RefKindKeyword(parameter.RefKind) + " ")}{parameter.Type.ToDisplayString()}, and device functions take double, float and int values",
                    $"pass '{name}' scalars, or inline it in the [GpuKernel] method");
            }
        }
        if (!(TypeMapping.ToIr(callee.ReturnType) is { IsFloatingPoint: true }) || callee.ReturnsByRef || callee.ReturnsByRefReadonly)
        {
            return Fails(callee, $"it returns {callee.ReturnType.ToDisplayString()}, and device functions return one double or float",
                $"return a double or float from '{name}', or inline it in the [GpuKernel] method");
        }
        var analysis = analyze(callee);
        if (analysis?.Model is not { Custom: null, TakesStructs: false, ReturnStruct: null, HasStructThis: false, IsStatic: true } model)
        {
            return Fails(callee, "it gets no derivatives", $"fix the errors reported at '{name}'");
        }

        var primal = model.Method;
        // The derivatives the kernel calls, as the CPU file has them (DerivativeFileEmitter).
        var (backward, tangent, backwardTangent) = Differentiator.ForDeviceCallee(primal);
        var methods = new[] { primal, backward, tangent, backwardTangent };
        var callees = analysis.SourceCalls.Select(c => c.Callee).ToList();

        // The callee's own calls first: a failing callee further down is the cause to show.
        foreach (var method in methods)
        {
            if (CheckCalls(callee, method, callees) is { } failing) return failing;
        }
        // A tape: the callee's pullback keeps values of a loop, or of a callee whose pullback is split.
        if (methods.Any(KeepsTape))
        {
            bool loop = false;
            Ir.ForEachStatement(primal.Body, s => loop |= s is IrLoop);
            if (loop)
            {
                return Fails(callee, "its pullback keeps a tape (it has a loop)",
                    $"write '{name}' without the loop, or move the loop into the [GpuKernel] method as a running sum (kernels keep loops that need no tape)");
            }
            var split = FirstCall(backward, c => c.Method.TapeArgument is not null) is { Method.Name: var splitName }
                ? splitName.Substring(0, splitName.Length - (splitName.EndsWith(DerivativeKind.Forward.Suffix(), StringComparison.Ordinal)
                    ? DerivativeKind.Forward.Suffix().Length : DerivativeKind.Reverse.Suffix().Length))
                : null;
            return split is null
                ? Fails(callee, "its pullback keeps a tape", $"inline '{name}' in the [GpuKernel] method")
                : Fails(callee, $"its pullback keeps a tape (for its call to '{split}', whose pullback is split into {split}Forward and {split}Reverse)",
                    $"inline '{split}' in '{name}', or call '{split}' from the [GpuKernel] method itself");
        }
        foreach (var method in methods)
        {
            if (CheckCode(method) is { } why) return Fails(callee, why.Why, why.Fix);
        }
        return Safe;
    }

    /// <summary>The device scalars: double, float and int.</summary>
    private static bool IsDeviceScalar(IrType? type)
        => type is { Shape: TypeShape.Scalar, Kind: ScalarKind.Double or ScalarKind.Single or ScalarKind.Int32 };

    private static bool KeepsTape(IrMethod method)
    {
        bool tape = false;
        Ir.ForEachStatement(method.Body, s => tape |= s is IrTapeRent or IrTapePush or IrTapeReturn);
        Ir.ForEachRootExpression(method.Body, root => Ir.ForEachNode(root, node => tape |= node is IrTapePop || node is IrCall { Method.TapeArgument: not null }));
        return tape;
    }

    private static IrCall? FirstCall(IrMethod method, Func<IrCall, bool> predicate)
    {
        IrCall? found = null;
        Ir.ForEachRootExpression(method.Body, root => Ir.ForEachNode(root, node =>
        {
            if (found is null && node is IrCall call && predicate(call)) found = call;
        }));
        return found;
    }

    /// <summary>The first call in <paramref name="method"/> that a kernel may not make, as the callee's verdict; null when there is none.</summary>
    private Verdict? CheckCalls(IMethodSymbol caller, IrMethod method, List<IMethodSymbol> callees)
    {
        Verdict? failing = null;
        Ir.ForEachRootExpression(method.Body, root => Ir.ForEachNode(root, node =>
        {
            // A split call (GForward/GReverse) carries a tape, which is reported after the calls.
            if (failing is not null || node is not IrCall call || call.Method.TapeArgument is not null) return;
            if (KernelCalls.IsDeviceFunction(call.Method)) return;
            var target = callees.FirstOrDefault(c => CalleeOf(c, null).Matches(call.Method));
            if (target is null)
            {
                failing = Fails(caller, $"it calls '{call.Method.Name}', which kernels cannot call", $"inline that call's code in '{caller.Name}'");
                return;
            }
            target = target.OriginalDefinition;
            var key = MethodAnalysis.KeyOf(target);
            if (inProgress.Contains(key))
            {
                failing = Fails(caller, key == MethodAnalysis.KeyOf(caller) ? "it calls itself, and ILGPU compiles no recursion" : $"it calls '{target.Name}' back, and ILGPU compiles no recursion",
                    $"write '{caller.Name}' without recursion");
                return;
            }
            var verdict = Decide(target);
            if (!verdict.Safe) failing = verdict with { Path = new[] { caller.Name }.Concat(verdict.Path).ToList() };
        }));
        return failing;
    }

    /// <summary>The first statement or expression of <paramref name="method"/> that ILGPU cannot compile as a device function.</summary>
    private static (string Why, string Fix)? CheckCode(IrMethod method)
    {
        (string, string)? problem = null;
        Ir.ForEachStatement(method.Body, statement =>
        {
            problem ??= statement switch
            {
                IrDeclare { Type.IsSequence: true } declare => ($"it declares the array local '{declare.Name}'", "keep its values in scalars (kernels allocate nothing)"),
                IrAssignElement or IrCopyInto => ("it writes array elements", "keep its values in scalars (kernels allocate nothing)"),
                IrDeclare or IrAssign or IrIf or IrLoop or IrReturn or IrExpressionStatement or IrBlock or IrComment or IrBreak or IrContinue => null,
                _ => ($"its derivatives use {statement.GetType().Name}", "inline it in the [GpuKernel] method"),
            };
        });
        Ir.ForEachRootExpression(method.Body, root => Ir.ForEachNode(root, node =>
        {
            problem ??= node switch
            {
                IrStaticField field => ($"it reads the static member '{field.Name}'", "pass the value as a parameter (constants are fine)"),
                IrMathCall call when !KernelRewriter.SupportedMath.Contains(call.Function)
                    => ($"it or its derivatives call Math.{call.Function}, which ILGPU does not compile", "write it with the Math functions ILGPU compiles"),
                IrElement or IrLength or IrNewArray or IrArrayCopy or IrVariable { Type.IsSequence: true }
                    => ("it uses arrays", "keep its values in scalars (kernels allocate nothing)"),
                _ => null,
            };
        }));
        return problem;
    }
}
