using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AutoDiff;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Snapshots;

/// <summary>
/// Golden-file tests of the generated code, run through Microsoft.CodeAnalysis.CSharp.SourceGenerators.Testing
/// (which also compiles the output against .NET 8's reference assemblies). The expected files live in
/// <c>Snapshots/</c>; after an intended change, run the tests with <c>AUTODIFF_ACCEPT_SNAPSHOTS=1</c> and
/// review the diff of the rewritten files before committing them.
/// </summary>
public class SnapshotTests
{
    [Fact]
    public void GeneratedMembersCarryTheGeneratorAssemblysVersion()
    {
        var informational = typeof(AutoDiffGenerator).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        var version = informational.Split('+')[0];
        var compilation = GeneratorHarness.Compile("using AutoDiff; public static partial class C { [Differentiable] public static double F(double x) => x * x; }");
        var text = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();
        Assert.Contains($"[global::System.CodeDom.Compiler.GeneratedCode(\"AutoDiff.Generator\", \"{version}\")]", text);
    }

    [Theory]
    [InlineData("0.2.0+0123456789abcdef", "1.0.0.0", "0.2.0")]
    [InlineData("0.2.0-preview.1+0123456789abcdef", "1.0.0.0", "0.2.0-preview.1")]
    [InlineData("0.3.1", "1.0.0.0", "0.3.1")]
    [InlineData(null, "1.2.3.4", "1.2.3")]
    [InlineData("", null, "0.0.0")]
    public void TheGeneratedCodeVersionDropsTheSourceRevision(string? informational, string? assemblyVersion, string expected)
        => Assert.Equal(expected, AutoDiff.Generator.Model.GeneratorIdentity.VersionOf(informational, assemblyVersion is null ? null : Version.Parse(assemblyVersion)));

    private static readonly bool Accept = Environment.GetEnvironmentVariable("AUTODIFF_ACCEPT_SNAPSHOTS") == "1";

    [Fact]
    public Task TutorialNeuron() => Verify(nameof(TutorialNeuron), """
        using System;
        using AutoDiff;

        namespace Samples;

        public static partial class Neuron
        {
            [Differentiable]
            public static double ForwardNeuron(double a, double b, double c, double x, double y)
                => Sigmoid(a * x + b * y + c);

            [Differentiable]
            public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
        }
        """);

    [Fact]
    public Task GpuKernels() => Verify(nameof(GpuKernels), """
        using System;
        using AutoDiff;

        namespace Samples;

        public static partial class Fits
        {
            // Per-sample features (a row each) and label; shared weights and a shared scalar scale; a branch and a loop.
            [Differentiable, GpuKernel]
            public static float Hinge([PerSample] float[] x, [PerSample] float label, float[] w, float scale)
            {
                float z = 0f;
                for (int j = 0; j < x.Length; j++) z += w[j] * x[j];
                float margin = label * z * scale;
                if (margin >= 1f) return 0f;
                return MathF.Log(1f + MathF.Exp(1f - margin));
            }
        }
        """);

    [Fact]
    public Task GpuKernelsWithLocalArrays() => Verify(nameof(GpuKernelsWithLocalArrays), """
        using System;
        using AutoDiff;

        namespace Samples;

        public static partial class Fits
        {
            // A local array filled by its loop's index (no tape), read at a per-sample index: the kernels keep it, its
            // adjoint and its tangents in the thread's scratch row.
            [Differentiable, GpuKernel]
            public static double Softmax([PerSample] double[] x, [PerSample] int label, double[] w, int classes)
            {
                double[] scores = new double[classes];
                double total = 0;
                for (int k = 0; k < classes; k++)
                {
                    scores[k] = Math.Exp(w[k] * x[k % x.Length]);
                    total += scores[k];
                }
                return Math.Log(total) - Math.Log(scores[label]);
            }
        }
        """);

    [Fact]
    public Task BranchesEarlyReturnsAndOverwrites() => Verify(nameof(BranchesEarlyReturnsAndOverwrites), """
        using System;
        using AutoDiff;

        namespace Samples
        {
            internal partial class Outer
            {
                private partial struct Inner
                {
                    [Differentiable]
                    internal static double Piecewise(double x, double y, int mode)
                    {
                        double t = x * y;
                        if (mode > 2 && x > 0)
                        {
                            return Math.Log(t * t + 1);
                        }
                        else if (y < -1)
                        {
                            t = t * x;
                        }
                        t = Math.Sin(t) * t;
                        t += y > 0 ? x : -x;
                        return t * x;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task FloatWithReassignedParameter() => Verify(nameof(FloatWithReassignedParameter), """
        using System;
        using AutoDiff;

        public static partial class Physics
        {
            private const float G = 9.81f;

            [Differentiable]
            public static float Height(float v0, float t, bool clampAtGround)
            {
                v0 = MathF.Max(v0, 0f);
                float h = v0 * t - 0.5f * G * t * t;
                return clampAtGround ? MathF.Max(h, 0f) : h;
            }
        }
        """);

    [Fact]
    public Task ExcludedParameterAndStoppedDerivative() => Verify(nameof(ExcludedParameterAndStoppedDerivative), """
        using System;
        using AutoDiff;

        public static partial class Losses
        {
            [Differentiable]
            public static double Penalised(double w, double x, [NoDerivative] double strength)
            {
                double scale = Ad.WithoutDerivative(Math.Abs(w) + 1.0);
                return x * w / scale + 0.5 * strength * w * w;
            }

            [Differentiable]
            public static double Outer(double w, double x) => Penalised(w * x, x, 0.1);
        }
        """);

    [Fact]
    public Task Loops() => Verify(nameof(Loops), """
        using System;
        using AutoDiff;

        public static partial class Series
        {
            // A running sum: no tape.
            [Differentiable]
            public static double WeightedSum(double x, double y, int n)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += x * y * i;
                return sum;
            }

            // Overwrites the reverse sweep reads, a data-dependent branch and a break: the tape keeps them.
            [Differentiable]
            public static double Damped(double x, double decay)
            {
                double v = x;
                for (int i = 0; i < 100; i++)
                {
                    if (v < 0) v = -v * decay;
                    v = Math.Sin(v) * decay;
                    if (v < 1e-3) break;
                }
                return v;
            }
        }
        """);

    [Fact]
    public Task Arrays() => Verify(nameof(Arrays), """
        using System;
        using AutoDiff;

        public static partial class Linear
        {
            // The dot-product loop: adjoints are spans, and no tape is needed.
            [Differentiable]
            public static double Predict(double[] w, ReadOnlySpan<double> x, double b)
            {
                double z = b;
                for (int i = 0; i < w.Length; i++) z += w[i] * x[i];
                return z;
            }

            // A local array written in place and read back with foreach.
            [Differentiable]
            public static double SoftplusSum(double[] x)
            {
                double[] h = new double[x.Length];
                for (int i = 0; i < x.Length; i++) h[i] = Math.Log(1 + Math.Exp(x[i]));
                double s = 0;
                foreach (var v in h) s += v * v;
                return s;
            }
        }
        """);

    [Fact]
    public Task VectorValued() => Verify(nameof(VectorValued), """
        using System;
        using AutoDiff;

        public static partial class Layers
        {
            // Results go to a Span<T>: FBackward takes seed spans (a vector-Jacobian product), FJacobian is generated.
            [Differentiable]
            public static void Softmax(ReadOnlySpan<double> z, Span<double> p)
            {
                double m = z[0];
                for (int i = 1; i < z.Length; i++) m = Math.Max(m, z[i]);
                double s = 0;
                for (int i = 0; i < z.Length; i++)
                {
                    p[i] = Math.Exp(z[i] - m);
                    s += p[i];
                }
                for (int i = 0; i < z.Length; i++) p[i] /= s;
            }

            // Returns a new array: FBackward takes a seed span for it and returns it, FTangent gives its tangent array.
            [Differentiable]
            public static double[] Scale(double[] x, double factor)
            {
                double[] y = new double[x.Length];
                for (int i = 0; i < x.Length; i++) y[i] = Math.Exp(factor) * x[i];
                return y;
            }
        }
        """);

    [Fact]
    public Task Matrices() => Verify(nameof(Matrices), """
        using System;
        using AutoDiff;

        public static partial class LinearAlgebra
        {
            // y = x·W with W a T[,]: its adjoint is a T[,] too, and FJacobian flattens it row by row.
            [Differentiable]
            public static void VectorTimesMatrix(ReadOnlySpan<double> x, double[,] w, Span<double> y)
            {
                for (int j = 0; j < w.GetLength(1); j++)
                {
                    double s = 0;
                    for (int i = 0; i < w.GetLength(0); i++) s += x[i] * w[i, j];
                    y[j] = s;
                }
            }
        }
        """);

    [Fact]
    public Task CustomDerivative() => Verify(nameof(CustomDerivative), """
        using System;
        using AutoDiff;

        public static partial class Activations
        {
            // Hand-written rules: only the wrappers are generated, and FBackwardTangent from SoftplusBackward.
            [CustomDerivative]
            public static double Softplus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));

            public static double SoftplusBackward(double x, double seed, ref double dX)
            {
                dX += seed / (1 + Math.Exp(-x));
                return Softplus(x);
            }

            public static double SoftplusTangent(double x, double xTangent, out double resultTangent)
            {
                resultTangent = xTangent / (1 + Math.Exp(-x));
                return Softplus(x);
            }

            [CustomDerivative]
            public static double Square(double x) => x * x;

            public static double SquareBackward(double x, double seed, ref double dX)
            {
                dX += 2 * x * seed;
                return x * x;
            }

            public static double SquareTangent(double x, double xTangent, out double resultTangent)
            {
                resultTangent = 2 * x * xTangent;
                return x * x;
            }

            // The optional value-free rule: Both's pullback calls it (it has the value), and its second order falls back
            // to SquareBackwardTangent, as there is no SquareReverseTangent; Softplus has no such rule, so SoftplusBackward.
            public static void SquareReverse(double x, double seed, ref double dX) => dX += 2 * x * seed;

            [Differentiable]
            public static double Both(double x) => Softplus(x) * Square(x);
        }
        """);

    private static async Task Verify(string name, string source)
    {
        // The testing library names its document /0/Test0.cs, which the generated #line directives repeat.
        var (files, _) = GeneratorHarness.RunAt("/0/Test{0}.cs", source);
        var directory = Path.Combine(GeneratorHarness.ProjectDirectory(), "Snapshots", name);
        if (Accept)
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.CreateDirectory(directory);
            foreach (var (hintName, text) in files) File.WriteAllText(Path.Combine(directory, hintName), text);
        }

        var test = new CSharpSourceGeneratorTest<AutoDiffGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = ReferenceAssemblies.Net.Net80,
            TestState = { Sources = { source } },
        };
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(ILGPU.Index1D).Assembly.Location));
        Assert.True(Directory.Exists(directory), $"No snapshots for {name}: run the tests with AUTODIFF_ACCEPT_SNAPSHOTS=1 and review them.");
        foreach (var file in Directory.GetFiles(directory).OrderBy(f => f, StringComparer.Ordinal))
        {
            test.TestState.GeneratedSources.Add((typeof(AutoDiffGenerator), Path.GetFileName(file), SourceText.From(File.ReadAllText(file), Encoding.UTF8)));
        }
        await test.RunAsync();
    }
}
