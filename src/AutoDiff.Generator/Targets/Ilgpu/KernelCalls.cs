using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Targets.Ilgpu;

/// <summary>
/// The calls a kernel may make (ADIFF012 refuses every other call):
/// <list type="bullet">
/// <item>The runtime's vector primitives (<c>AutoDiff.Primitives.VectorMath</c>: <c>Dot</c>, <c>DotWithConstant</c>,
/// <c>Sum</c>, <c>LogSumExp</c>) and their hand-written rules (<c>Backward</c>, <c>Tangent</c>, <c>BackwardTangent</c>).
/// Their CPU code is SIMD over spans, which ILGPU cannot compile, so <see cref="Expand"/> replaces each call by device
/// loops over the window, written in IR (the table below) and then rewritten like the rest of the kernel: reads of a
/// per-sample array read the thread's row, and writes into a shared parameter's adjoint become <c>Atomic.Add</c>.</item>
/// <item><see cref="DeviceFunctions"/>: <c>[Differentiable]</c> methods of the runtime whose parameters are all scalars
/// and whose generated derivatives ILGPU compiles (the PTX tests compile a kernel that calls each). A kernel calls them
/// and their generated pullback and tangents as device functions, the same code the CPU path calls.</item>
/// <item><c>[Differentiable]</c> methods of the same compilation that <see cref="Analysis.KernelCallees"/> finds safe for
/// ILGPU (<see cref="KernelModel.Callees"/>), called the same way.</item>
/// </list>
/// </summary>
internal static class KernelCalls
{
    private const string VectorType = "global::AutoDiff.Primitives.VectorMath";

    /// <summary>
    /// The runtime's scalar <c>[Differentiable]</c> methods a kernel may call, with their generated <c>Backward</c>,
    /// <c>Tangent</c> and <c>BackwardTangent</c>. Their code is in another assembly, so the generator cannot read it:
    /// this list is checked by <c>PtxCompilationTests</c>, which compiles the kernels of <c>LossKernels</c> (calling
    /// <c>Softplus</c>) and <c>UserKernels</c> (calling <c>Activate</c>) to PTX.
    /// </summary>
    private static readonly HashSet<(string Type, string Name)> DeviceFunctions = new()
    {
        ("global::AutoDiff.Models.Losses", "Softplus"),
        ("global::AutoDiff.Models.Losses", "Activate"),
    };

    /// <summary>The suffixes of the rules kernels call (as <see cref="DerivativeKinds.CalledByKernels"/>), then none (the method itself).</summary>
    private static readonly string[] Suffixes = DerivativeKinds.CalledByKernels.Select(k => k.Suffix()).Append("").ToArray();

    /// <summary>Whether a kernel may call <paramref name="method"/> as it stands (a device function).</summary>
    public static bool IsDeviceFunction(IrMethodRef method)
    {
        foreach (var suffix in Suffixes)
        {
            if (method.Name.EndsWith(suffix, StringComparison.Ordinal)
                && DeviceFunctions.Contains((method.ContainingType, method.Name.Substring(0, method.Name.Length - suffix.Length))))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The vector primitives: the number of leading arguments and the windows (array, offset) they read.</summary>
    private static readonly Dictionary<string, (int Count, (int Array, int Offset, bool Differentiable)[] Windows)> Primitives = new()
    {
        ["Dot"] = (5, new[] { (0, 1, true), (2, 3, true) }),
        ["DotWithConstant"] = (5, new[] { (0, 1, true), (2, 3, false) }),
        ["Sum"] = (3, new[] { (0, 1, true) }),
        ["LogSumExp"] = (3, new[] { (0, 1, true) }),
    };

    /// <summary>Whether <paramref name="call"/> is a vector primitive or one of its rules.</summary>
    public static bool IsPrimitive(IrCall call) => Parse(call) is not null;

    private static (string Primitive, string Rule)? Parse(IrCall call)
    {
        if (call.Method.ContainingType != VectorType) return null;
        foreach (var suffix in Suffixes)
        {
            var name = call.Method.Name;
            if (!name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var primitive = name.Substring(0, name.Length - suffix.Length);
            if (Primitives.ContainsKey(primitive)) return (primitive, suffix);
        }
        return null;
    }

    /// <summary>
    /// The statements that replace <c>result = call</c> (or the call alone, <paramref name="store"/> null) when
    /// <paramref name="call"/> is a vector primitive or one of its rules: device loops over the windows. The caller
    /// rewrites them to ILGPU's rules. An argument it cannot map is recorded in <paramref name="refusal"/>.
    /// </summary>
    public static List<IrStatement> Expand(IrCall call, Func<string, string> fresh, Func<IrExpr, IrStatement>? store, KernelRefusal refusal)
    {
        var (primitive, rule) = Parse(call)!.Value;
        var (count, windows) = Primitives[primitive];
        var args = call.Arguments.Select(a => a.Value).ToList();
        var output = new List<IrStatement>();
        var element = call.Type;
        var int32 = IrType.Int32;

        // Each scalar argument is evaluated once, into a local.
        IrExpr Bind(IrExpr value, string name)
        {
            if (value is IrLiteral or IrVariable { Type.IsSequence: false }) return value;
            var local = fresh(name);
            output.Add(new IrDeclare(value.Type, local, value));
            return new IrVariable(value.Type, local);
        }

        IrVariable Array(int index)
            => args[index] as IrVariable ?? refusal.Refuse($"it passes an array expression to Vector.{call.Method.Name}; kernels pass arrays by name", new IrVariable(args[index].Type, "_refused"));

        var arrays = windows.Select(w => Array(w.Array)).ToArray();
        var offsets = windows.Select((w, i) => Bind(args[w.Offset], "_offset")).ToArray();
        var length = Bind(args[count - 1], "_length");
        int next = count;
        var differentiable = windows.Select((w, i) => (w, i)).Where(p => p.w.Differentiable).Select(p => p.i).ToArray();
        IrExpr? seed = null, seedTangent = null;
        var adjoints = new IrVariable?[windows.Length];
        var tangents = new IrVariable?[windows.Length];
        var adjointTangents = new IrVariable?[windows.Length];
        IrVariable? resultTangent = null;

        // An adjoint argument that is scratch space (an inactive array's) is never read: its writes are dropped.
        IrVariable? Adjoint(IrExpr value) => value switch
        {
            IrVariable v => v,
            IrNewArray => null,
            _ => refusal.Refuse<IrVariable?>($"it passes an adjoint expression to Vector.{call.Method.Name}", null),
        };

        if (rule is "Backward" or "BackwardTangent")
        {
            seed = Bind(args[next++], "_seed");
            foreach (var i in differentiable) adjoints[i] = Adjoint(args[next++]);
        }
        if (rule is "Tangent" or "BackwardTangent")
        {
            foreach (var i in differentiable)
            {
                tangents[i] = args[next++] switch
                {
                    IrVariable v => v,
                    IrNewArray => null,
                    _ => refusal.Refuse<IrVariable?>($"it passes a tangent expression to Vector.{call.Method.Name}", null),
                };
            }
        }
        if (rule == "BackwardTangent")
        {
            seedTangent = Bind(args[next++], "_seedTangent");
            foreach (var i in differentiable) adjointTangents[i] = Adjoint(args[next++]);
        }
        if (rule is "Tangent" or "BackwardTangent")
        {
            resultTangent = call.Arguments[next++].Value as IrVariable
                ?? refusal.Refuse<IrVariable?>($"it passes an out argument to Vector.{call.Method.Name} that is not a local", null);
        }

        var i0 = fresh("_i");
        var index = new IrVariable(int32, i0);
        IrExpr At(int window) => new IrElement(element, arrays[window], Ir.Add(offsets[window], index));
        IrExpr TangentAt(int window) => tangents[window] is { } t ? new IrElement(element, t, Ir.Add(offsets[window], index)) : Ir.Lit(element, 0);
        IrStatement AddInto(IrVariable target, int window, IrExpr amount)
        {
            var cell = new IrElement(element, target, Ir.Add(offsets[window], index));
            return new IrAssignElement(target.Name, cell.Index, Ir.Add(cell, amount));
        }

        // One loop over the window: for (int i = 0; i < length; i++) body.
        void Loop(Func<List<IrStatement>> body)
        {
            var statements = new List<IrStatement>
            {
                new IrDeclare(int32, i0, Ir.Lit(int32, 0)),
                new IrLoop(Ir.Compare(BinaryOp.Less, index, length), new IrBlock(body().ToEquatableArray()),
                    new IrBlock(EquatableArray.Of<IrStatement>(new IrAssign(i0, Ir.Add(index, Ir.Lit(int32, 1)))))),
            };
            output.Add(new IrBlock(statements.ToEquatableArray()));
        }

        IrVariable Sum(string name, Func<IrExpr> term)
        {
            var local = fresh(name);
            var variable = new IrVariable(element, local);
            output.Add(new IrDeclare(element, local, Ir.Lit(element, 0)));
            Loop(() => new List<IrStatement> { new IrAssign(local, Ir.Add(variable, term())) });
            return variable;
        }

        // The value (when it is used, and for LogSumExp's rules): Σ products, Σ a, or log Σ exp shifted by the largest element.
        IrVariable? value = null;
        if (store is null && primitive != "LogSumExp")
        {
        }
        else if (primitive == "LogSumExp")
        {
            var max = fresh("_max");
            var maxVariable = new IrVariable(element, max);
            output.Add(new IrDeclare(element, max, Ir.Lit(element, 0)));
            Loop(() => new List<IrStatement>
            {
                new IrAssign(max, new IrConditional(element,
                    new IrBinary(IrType.Boolean, BinaryOp.ConditionalOr, Ir.Compare(BinaryOp.Equal, index, Ir.Lit(int32, 0)), Ir.Compare(BinaryOp.Greater, At(0), maxVariable)),
                    At(0), maxVariable)),
            });
            var sum = Sum("_sum", () => Ir.Math(MathFunction.Exp, Ir.Sub(At(0), maxVariable)));
            var local = fresh("_value");
            output.Add(new IrDeclare(element, local, Ir.Add(maxVariable, Ir.Math(MathFunction.Log, sum))));
            value = new IrVariable(element, local);
        }
        else if (primitive == "Sum") value = Sum("_value", () => At(0));
        else value = Sum("_value", () => Ir.Mul(At(0), At(1)));

        // The softmax weight of element i, for LogSumExp's rules.
        IrExpr Softmax() => Ir.Math(MathFunction.Exp, Ir.Sub(At(0), value!));

        IrVariable? tangent = null;
        if (resultTangent is not null)
        {
            tangent = primitive switch
            {
                "Dot" => Sum("_tangent", () => Ir.Add(Ir.Mul(TangentAt(0), At(1)), Ir.Mul(At(0), TangentAt(1)))),
                "DotWithConstant" => Sum("_tangent", () => Ir.Mul(TangentAt(0), At(1))),
                "Sum" => Sum("_tangent", () => TangentAt(0)),
                _ => Sum("_tangent", () => Ir.Mul(Softmax(), TangentAt(0))),
            };
            output.Add(new IrAssign(resultTangent.Name, tangent));
        }
        if (seed is not null)
        {
            Loop(() =>
            {
                var body = new List<IrStatement>();
                void Add(IrVariable? target, int window, Func<IrExpr> amount)
                {
                    if (target is not null) body.Add(AddInto(target, window, amount()));
                }
                switch (primitive)
                {
                    case "Dot":
                        Add(adjoints[0], 0, () => Ir.Mul(seed, At(1)));
                        Add(adjoints[1], 1, () => Ir.Mul(seed, At(0)));
                        Add(adjointTangents[0], 0, () => Ir.Add(Ir.Mul(seedTangent!, At(1)), Ir.Mul(seed, TangentAt(1))));
                        Add(adjointTangents[1], 1, () => Ir.Add(Ir.Mul(seedTangent!, At(0)), Ir.Mul(seed, TangentAt(0))));
                        break;
                    case "DotWithConstant":
                        Add(adjoints[0], 0, () => Ir.Mul(seed, At(1)));
                        Add(adjointTangents[0], 0, () => Ir.Mul(seedTangent!, At(1)));
                        break;
                    case "Sum":
                        Add(adjoints[0], 0, () => seed);
                        Add(adjointTangents[0], 0, () => seedTangent!);
                        break;
                    default:
                        Add(adjoints[0], 0, () => Ir.Mul(seed, Softmax()));
                        // (seed · s)' = seed' · s + seed · s ⊙ (ȧ − ⟨s, ȧ⟩)
                        Add(adjointTangents[0], 0, () => Ir.Mul(Softmax(), Ir.Add(seedTangent!, Ir.Mul(seed, Ir.Sub(TangentAt(0), tangent!)))));
                        break;
                }
                return body;
            });
        }
        if (store is not null) output.Add(store(value!));
        return output;
    }
}
