using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Tests.Differentiation;
using Xunit;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// A thousand random methods (locals, branches, early returns, loops with break and continue, a local array,
/// calls) written as C#, compiled through the generator as a user's project would be, loaded and run:
/// each one's gradient against central differences, its forward mode against its reverse mode, and its
/// Hessian-vector product against differences of its gradient. A failure prints the method's source so
/// that it can become a regression test.
/// </summary>
public class CompiledRandomProgramTests
{
    private static int MethodCount => Math.Max(1000, RandomProgramGenerator.ProgramCount);

    [Fact]
    public void RandomMethodsCompiledThroughTheGeneratorAreDifferentiatedCorrectly() => CheckRandomMethods(4242, MethodCount, indexFamily: false);

    /// <summary>
    /// Random methods that keep integers the reverse sweep must see as they were: a counter advanced in branches and
    /// loops, an integer local array written through computed indices, and the local double array written and read
    /// through them (see <see cref="RandomProgramGenerator.IndexFamily"/>).
    /// </summary>
    [Fact]
    public void RandomMethodsWithComputedIndicesAreDifferentiatedCorrectly() => CheckRandomMethods(20261207, Math.Max(400, RandomProgramGenerator.ProgramCount), indexFamily: true);

    /// <summary>
    /// Random methods that call vector-valued helpers on their local array, between reads and writes of it, in branches
    /// and loops (see <see cref="RandomProgramGenerator.VectorCalls"/>).
    /// </summary>
    [Fact]
    public void RandomMethodsCallingVectorValuedHelpersAreDifferentiatedCorrectly()
        => CheckRandomMethods(18181818, Math.Max(400, RandomProgramGenerator.ProgramCount), indexFamily: false, vectorCalls: true);

    /// <summary>
    /// Random methods with the index family and vector calls together: their slots are also rotated by a callee that writes
    /// them (S), so the derivatives must keep and restore them around the call.
    /// </summary>
    [Fact]
    public void RandomMethodsWhoseCalleesWriteTheirIndexArraysAreDifferentiatedCorrectly()
        => CheckRandomMethods(7070707, Math.Max(400, RandomProgramGenerator.ProgramCount), indexFamily: true, vectorCalls: true);

    /// <summary>
    /// Random methods that call a random recursion of their own on two index buffers, which the recursion reads, writes and
    /// passes on swapped (see <see cref="RandomProgramGenerator.Recursion"/>): the family of the ping-pong recursion whose
    /// caller once got a silently wrong gradient (DeterminantTests.BuffersSwappedThroughTheRecursion).
    /// </summary>
    [Fact]
    public void RandomMethodsCallingRecursionsThatSwapIndexBuffersAreDifferentiatedCorrectly()
        => CheckRandomMethods(16161616, Math.Max(300, RandomProgramGenerator.ProgramCount), indexFamily: true, recursion: true);

    /// <summary>
    /// Random methods with vector calls, written with span locals where a user might: the slices given to the helpers are
    /// taken into span locals first (<c>var view0 = values.AsSpan(1, 2); T.W(s, view0);</c>), and in half of the programs
    /// every element of the local array is read and written through a span local viewing all of it.
    /// </summary>
    [Fact]
    public void RandomMethodsWithSpanLocalsAreDifferentiatedCorrectly()
        => CheckRandomMethods(5151515, Math.Max(300, RandomProgramGenerator.ProgramCount), indexFamily: false, vectorCalls: true, views: true);

    /// <summary>The method's C# with span locals (see <see cref="RandomMethodsWithSpanLocalsAreDifferentiatedCorrectly"/>).</summary>
    private static string WithViews(string text, Random random)
    {
        var slice = new System.Text.RegularExpressions.Regex(@"\(\(global::System\.(?:Span|ReadOnlySpan)<double>\)values\)\.Slice\((\d+), (\d+)\)");
        bool whole = random.Next(2) == 0;
        var lines = text.Split('\n').ToList();
        var output = new List<string>();
        int views = 0;
        foreach (var line in lines)
        {
            var current = line;
            var indent = line.Substring(0, line.Length - line.TrimStart().Length);
            foreach (System.Text.RegularExpressions.Match match in slice.Matches(line))
            {
                var name = "view" + views++;
                output.Add($"{indent}var {name} = values.AsSpan({match.Groups[1].Value}, {match.Groups[2].Value});");
                current = current.Replace(match.Value, name);
            }
            if (whole && !line.Contains("double[] values = new double[3];"))
            {
                current = System.Text.RegularExpressions.Regex.Replace(current, @"\bvalues\[", "allValues[");
            }
            output.Add(current);
            if (whole && line.Contains("double[] values = new double[3];")) output.Add($"{indent}Span<double> allValues = values;");
        }
        return string.Join("\n", output);
    }

    private static void CheckRandomMethods(int seed, int methodCount, bool indexFamily, bool vectorCalls = false, bool recursion = false, bool views = false)
    {
        var random = new Random(seed);
        var generator = new RandomProgramGenerator(random) { IndexFamily = indexFamily, VectorCalls = vectorCalls, Recursion = recursion };
        var sources = new List<string>();
        var helper = generator.Method("G", new[] { "a", "b" }, callee: null);
        var helperReference = new IrMethodRef("global::T", "G", true, Params(D, D));
        var arrayHelper = RandomProgramGenerator.ArrayHelper("global::T");
        // With recursion, each method has a recursive helper of its own, generated just before it.
        var recursions = new List<IrMethod>();
        var methods = Enumerable.Range(0, methodCount)
            .Select(i =>
            {
                IrMethodRef? recursive = null;
                if (recursion)
                {
                    recursions.Add(generator.RecursiveHelper("P" + i));
                    recursive = RandomProgramGenerator.RecursiveReference("P" + i);
                }
                return generator.Method("F" + i, new[] { "x", "y", "z" }, helperReference, RandomProgramGenerator.ArrayHelperReference("global::T"), recursive);
            })
            .ToList();

        var source = new StringBuilder();
        source.Append("using System;\nusing AutoDiff;\n\npublic static partial class T\n{\n");
        source.Append(Declare(helper));
        source.Append(Declare(arrayHelper));
        if (vectorCalls) source.Append(RandomProgramGenerator.VectorHelpersSource);
        for (int i = 0; i < methods.Count; i++)
        {
            // A failure prints the method with its recursion.
            var text = (recursion ? Declare(recursions[i]) : "") + (views ? WithViews(Declare(methods[i]), random) : Declare(methods[i]));
            sources.Add(text);
            source.Append(text);
        }
        source.Append("}\n");

        if (views)
        {
            int viewing = sources.Count(text => text.Contains("= values.AsSpan("));
            Assert.True(viewing >= methodCount / 15, $"Only {viewing} of {methodCount} methods pass a span local.");
            int wholly = sources.Count(text => text.Contains("allValues["));
            Assert.True(wholly >= methodCount / 5, $"Only {wholly} of {methodCount} methods use a span local over the whole array.");
        }
        if (recursion)
        {
            int swapping = recursions.Count(r => Declare(r).Contains($"{r.Name}(") && Declare(r).Contains("spare, slots, depth - 1"));
            Assert.True(swapping >= methodCount / 2, $"Only {swapping} of {methodCount} recursions swap their buffers.");
            int nested = sources.Count(text => System.Text.RegularExpressions.Regex.Matches(text, @"\bP\d+\(").Count >= 4);
            Assert.True(nested >= methodCount / 10, $"Only {nested} of {methodCount} methods call their recursion more than once.");
        }

        if (vectorCalls)
        {
            int calling = sources.Count(text => text.Contains("T.W(") || text.Contains("T.U("));
            Assert.True(calling >= methodCount / 5, $"Only {calling} of {methodCount} methods call a vector-valued helper.");
            int slicing = sources.Count(text => text.Contains(").Slice(") || text.Contains("= values.AsSpan("));
            Assert.True(slicing >= methodCount / 20, $"Only {slicing} of {methodCount} methods pass a slice.");
        }
        if (indexFamily && vectorCalls)
        {
            int shifting = sources.Count(text => text.Contains("T.S("));
            Assert.True(shifting >= methodCount / 10, $"Only {shifting} of {methodCount} methods call S.");
        }
        if (vectorCalls)
        {
            int making = sources.Count(text => text.Contains("T.R("));
            Assert.True(making >= methodCount / 10, $"Only {making} of {methodCount} methods read an array that R returns.");
        }
        var type = CompileAndLoad(source.ToString(), methodCount * (recursion ? 2 : 1) + (vectorCalls ? 4 : 0));
        int checkedPoints = 0, points = 0;
        for (int i = 0; i < methods.Count; i++)
        {
            var name = methods[i].Name;
            try
            {
                for (int p = 0; p < 2; p++, points++)
                {
                    var x = Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
                    var v = Enumerable.Range(0, 3).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
                    if (Check(type, name, x, v)) checkedPoints++;
                }
            }
            catch (Exception e)
            {
                throw new Exception($"{name} failed:\n{sources[i]}\nhelper:\n{Declare(helper)}", e);
            }
        }
        Assert.True(checkedPoints >= points * 8 / 10, $"Only {checkedPoints} of {points} points were away from kinks.");
    }

    internal static string Declare(IrMethod method)
    {
        var writer = new SourceWriter();
        writer.Indent();
        writer.Line("[Differentiable]");
        writer.Line($"public static double {method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.Keyword + " " + p.Name))})");
        writer.OpenBrace();
        CSharpWriter.WriteBlock(writer, method.Body);
        writer.CloseBrace();
        return writer.ToString();
    }

    /// <summary>Checks one point; false when finite differences show that it is near a kink.</summary>
    private static bool Check(Type type, string name, double[] x, double[] v)
    {
        double value = Invoke<double>(type, name, x);
        var gradient = Gradient(type, name, x, out double gradientValue);
        Assert.True(value.Equals(gradientValue), $"{name}Gradient's Value {gradientValue} differs from {name}'s {value}.");

        // Gradient against central differences, at two step sizes to detect kinks.
        for (int k = 0; k < 3; k++)
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(x[k]));
            double fd = Difference(type, name, x, k, h), fine = Difference(type, name, x, k, h / 8);
            double scale = Math.Max(1, Math.Max(Math.Abs(fd), Math.Abs(gradient[k])));
            if (Math.Abs(fd - fine) > 1e-4 * scale) return false;
            Assert.True(Math.Abs(gradient[k] - fd) <= 1e-5 * scale, $"∂{name}/∂{"xyz"[k]} at ({string.Join(", ", x)}): generated {gradient[k]:R}, central difference {fd:R}.");
        }

        // Forward mode against reverse mode.
        var tangent = (ITuple)Invoke<object>(type, name + "Tangent", x.Concat(v).ToArray());
        Assert.True(((double)tangent[0]!).Equals(value), $"{name}Tangent's Value differs from {name}'s.");
        double dot = gradient.Zip(v, (g, d) => g * d).Sum();
        Assert.True(Math.Abs((double)tangent[1]! - dot) <= 1e-9 * Math.Max(1, Math.Abs(dot)), $"{name}Tangent: {tangent[1]}, ∇f·v = {dot}.");

        // Hessian-vector product against differences of the gradient.
        var hv = (ITuple)Invoke<object>(type, name + "HessianVector", x.Concat(v).ToArray());
        const double step = 1e-5;
        var plus = Gradient(type, name, x.Zip(v, (a, b) => a + step * b).ToArray(), out _);
        var minus = Gradient(type, name, x.Zip(v, (a, b) => a - step * b).ToArray(), out _);
        var plusFine = Gradient(type, name, x.Zip(v, (a, b) => a + step / 8 * b).ToArray(), out _);
        var minusFine = Gradient(type, name, x.Zip(v, (a, b) => a - step / 8 * b).ToArray(), out _);
        for (int k = 0; k < 3; k++)
        {
            double fd = (plus[k] - minus[k]) / (2 * step), fine = (plusFine[k] - minusFine[k]) / (step / 4);
            double scale = Math.Max(1, Math.Abs(fd));
            if (Math.Abs(fd - fine) > 1e-4 * scale) return false;
            Assert.True(Math.Abs((double)hv[k]! - fd) <= 1e-4 * scale, $"{name}HessianVector[{k}] = {hv[k]}, differences of the gradient give {fd}.");
        }
        return true;
    }

    private static double Difference(Type type, string name, double[] x, int k, double h)
    {
        var plus = (double[])x.Clone();
        var minus = (double[])x.Clone();
        plus[k] += h;
        minus[k] -= h;
        return (Invoke<double>(type, name, plus) - Invoke<double>(type, name, minus)) / (2 * h);
    }

    private static double[] Gradient(Type type, string name, double[] x, out double value)
    {
        var tuple = (ITuple)Invoke<object>(type, name + "Gradient", x);
        value = (double)tuple[0]!;
        return new[] { (double)tuple[1]!, (double)tuple[2]!, (double)tuple[3]! };
    }

    private static T Invoke<T>(Type type, string name, double[] arguments) => GeneratorHarness.InvokeWithDoubles<T>(type, name, arguments);

    private static Type CompileAndLoad(string source, int methodCount)
    {
        var (assembly, generatedFiles) = GeneratorHarness.CompileThroughGeneratorAndLoad(source, "RandomPrograms", collectible: true);
        Assert.Equal(methodCount + 2, generatedFiles);
        return assembly.GetType("T")!;
    }
}
