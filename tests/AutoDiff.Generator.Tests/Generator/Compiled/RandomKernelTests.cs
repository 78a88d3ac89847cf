using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Tests.Differentiation;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Xunit;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// Random methods (locals, branches, early returns, loops with break and continue, a local array, calls) marked
/// <c>[GpuKernel]</c>, compiled through the generator: the generator never fails on them, the kernels it writes compile,
/// and on ILGPU's CPU accelerator each of the four kernels agrees with the generated CPU code of the same method (three
/// threads on one sample, so that the batch-summed kernels add three times and each thread has its own scratch row, filled
/// with NaN first). Every other method takes x per sample. Their tapes and local arrays live in the scratch rows, so this covers the kernel rewrite of pushes,
/// pops, branch records and arrays on programs nobody wrote by hand. A failure prints the method's source.
/// </summary>
public class RandomKernelTests
{
    private const int MethodCount = 200, Threads = 3;

    [Fact]
    public void RandomMethodsBecomeKernelsThatAgreeWithTheirCpuCode()
    {
        var random = new Random(9090);
        var generator = new RandomProgramGenerator(random);
        var helper = generator.Method("G", new[] { "a", "b" }, callee: null);
        var helperReference = new IrMethodRef("global::T", "G", true, Params(D, D));
        var methods = Enumerable.Range(0, MethodCount).Select(i => generator.Method("F" + i, new[] { "x", "y", "z" }, helperReference)).ToList();
        // Every other method takes x per sample: the kernels read it at the thread's sample and differentiate y and z only.
        var sources = methods.Select((m, i) =>
        {
            var text = CompiledRandomProgramTests.Declare(m).Replace("[Differentiable]", "[Differentiable, GpuKernel]");
            return i % 2 == 0 ? text.Replace("(double x, double y, double z)", "([PerSample] double x, double y, double z)") : text;
        }).ToList();
        var source = new StringBuilder("using System;\nusing AutoDiff;\n\npublic static partial class T\n{\n");
        source.Append(CompiledRandomProgramTests.Declare(helper));
        foreach (var text in sources) source.Append(text);
        source.Append("}\n");

        var type = CompileAndLoad(source.ToString());
        using var context = Context.Create(builder => builder.CPU());
        using var accelerator = context.CreateCPUAccelerator(0);
        int withKernels = 0, taped = 0;
        for (int i = 0; i < methods.Count; i++)
        {
            var name = methods[i].Name;
            if (type.GetMethod(name + "ForwardKernel") is null) continue;
            withKernels++;
            if (type.GetMethod(name + "KernelScratchWidth") is not null) taped++;
            try
            {
                var x = Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
                var v = Enumerable.Range(0, 3).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
                Check(accelerator, type, name, x, v);
            }
            catch (Exception e)
            {
                throw new Exception($"{name} failed:\n{sources[i]}\nhelper:\n{CompiledRandomProgramTests.Declare(helper)}", e);
            }
        }
        // Most methods become kernels (the others call G where G's pullback keeps a tape: ADIFF012), and many of those keep a
        // tape or a local array in the scratch row (120 and 78 of 200 with this seed; a per-sample x that the method reassigns is refused).
        Assert.True(withKernels >= MethodCount / 2, $"only {withKernels} of {MethodCount} random methods got kernels");
        Assert.True(taped >= withKernels / 4, $"only {taped} of {withKernels} kernels use the scratch row");
    }

    private static void Check(Accelerator accelerator, Type type, string name, double[] x, double[] v)
    {
        double value = Invoke<double>(type, name, x);
        var gradientTuple = (ITuple)Invoke<object>(type, name + "Gradient", x);
        var gradient = new[] { (double)gradientTuple[1]!, (double)gradientTuple[2]!, (double)gradientTuple[3]! };
        int width = type.GetMethod(name + "KernelScratchWidth") is { } widthMethod ? (int)widthMethod.Invoke(null, null)! : 0;

        var forward = Launch(accelerator, type, name + "ForwardKernel", x, v, width, perThread: false);
        foreach (var result in forward["values"]) Close(value, result, $"{name}ForwardKernel's value");

        var backward = Launch(accelerator, type, name + "BackwardKernel", x, v, width, perThread: false);
        foreach (var result in backward["values"]) Close(value, result, $"{name}BackwardKernel's value");
        // A per-sample x has no adjoint in the kernels.
        for (int k = 0; k < 3; k++)
        {
            if (backward.TryGetValue("d" + "XYZ"[k], out var summed)) Close(Threads * gradient[k], summed[0], $"{name}BackwardKernel: d{"XYZ"[k]}");
        }

        var perSample = Launch(accelerator, type, name + "PerSampleBackwardKernel", x, v, width, perThread: true);
        for (int k = 0; k < 3; k++)
        {
            if (!perSample.TryGetValue("d" + "XYZ"[k], out var rows)) continue;
            foreach (var row in rows) Close(gradient[k], row, $"{name}PerSampleBackwardKernel: d{"XYZ"[k]}");
        }

        if (type.GetMethod(name + "HessianVectorKernel") is null) return;
        var product = Launch(accelerator, type, name + "HessianVectorKernel", x, v, width, perThread: false);
        // With x per sample, H·v is the Hessian in (y, z) times (vY, vZ): the CPU product with vX = 0.
        var hvTuple = (ITuple)Invoke<object>(type, name + "HessianVector", x.Concat(product.ContainsKey("hvX") ? v : v.Select((d, k) => k == 0 ? 0.0 : d)).ToArray());
        for (int k = 0; k < 3; k++)
        {
            if (product.TryGetValue("hv" + "XYZ"[k], out var summed)) Close(Threads * (double)hvTuple[k]!, summed[0], $"{name}HessianVectorKernel: hv{"XYZ"[k]}");
        }
    }

    private static void Close(double expected, double actual, string what)
        => Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)) || expected.Equals(actual), $"{what}: CPU code {expected:R}, kernel {actual:R}");

    /// <summary>
    /// Launches one kernel on <see cref="Threads"/> threads of sample 0, with x, y, z shared, seed 1, v the direction, and
    /// zeroed outputs; returns each output view's contents by parameter name.
    /// </summary>
    private static Dictionary<string, double[]> Launch(Accelerator accelerator, Type type, string kernelName, double[] x, double[] v, int width, bool perThread)
    {
        var kernel = type.GetMethod(kernelName) ?? throw new MissingMethodException(type.Name, kernelName);
        var parameters = kernel.GetParameters();
        var buffers = new List<MemoryBuffer>();
        var outputs = new Dictionary<string, MemoryBuffer1D<double, Stride1D.Dense>>();
        var arguments = new object[parameters.Length];
        try
        {
            for (int p = 0; p < parameters.Length; p++)
            {
                // The kernel's own names are numbered when a local of the method takes them (values2 beside a local 'values').
                var name = parameters[p].Name!.TrimEnd("0123456789".ToCharArray());
                arguments[p] = name switch
                {
                    "index" => new Index1D(Threads),
                    "samples" => (ArrayView<int>)Keep(buffers, accelerator.Allocate1D(new int[Threads])).View,
                    // x per sample: a view holding sample 0's value.
                    "x" when parameters[p].ParameterType == typeof(ArrayView<double>) => (ArrayView<double>)Keep(buffers, accelerator.Allocate1D(new[] { x[0] })).View,
                    "x" or "y" or "z" => x["xyz".IndexOf(name)],
                    "vX" or "vY" or "vZ" => v["XYZ".IndexOf(name[1])],
                    "seed" => 1.0,
                    "scratchWidth" => width,
                    "scratch" => (ArrayView<double>)Keep(buffers, accelerator.Allocate1D(Enumerable.Repeat(double.NaN, Math.Max(1, Threads * width)).ToArray())).View,
                    _ => Output(name),
                };
            }
            object Output(string name)
            {
                // values, and the adjoints or products of x, y, z: one element per thread for values and per-sample rows.
                var buffer = accelerator.Allocate1D<double>(name == "values" || perThread ? Threads : 1);
                buffer.MemSetToZero();
                outputs[name] = buffer;
                buffers.Add(buffer);
                return (ArrayView<double>)buffer.View;
            }
            var types = parameters.Select(p => p.ParameterType).ToArray();
            var loader = typeof(KernelLoaders).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Single(m => m.Name == nameof(KernelLoaders.LoadAutoGroupedStreamKernel) && m.GetGenericArguments().Length == types.Length && m.GetParameters().Length == 2)
                .MakeGenericMethod(types);
            var launcher = (Delegate)loader.Invoke(null, new object[] { accelerator, Delegate.CreateDelegate(Expression.GetActionType(types), kernel) })!;
            launcher.DynamicInvoke(arguments);
            accelerator.Synchronize();
            return outputs.ToDictionary(o => o.Key, o => o.Value.GetAsArray1D());
        }
        finally
        {
            foreach (var buffer in buffers) buffer.Dispose();
        }
    }

    private static T Keep<T>(List<MemoryBuffer> buffers, T buffer) where T : MemoryBuffer
    {
        buffers.Add(buffer);
        return buffer;
    }

    private static T Invoke<T>(Type type, string name, double[] arguments) => GeneratorHarness.InvokeWithDoubles<T>(type, name, arguments);

    // Not collectible: ILGPU keeps the kernels' methods.
    private static Type CompileAndLoad(string source)
        => GeneratorHarness.CompileThroughGeneratorAndLoad(source, "RandomKernels", collectible: false).Assembly.GetType("T")!;
}
