using System.Linq;
using System.Threading.Tasks;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>
/// ADIFF012: each reason a [GpuKernel] method gets no kernels, at the method's name; quiet on a method that gets them.
/// The generator agrees: no kernel file where ADIFF012 is reported, and the CPU derivatives either way.
/// </summary>
public class KernelDiagnosticTests
{
    private static Task Verify(string source, bool referenceIlgpu, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<DifferentiabilityAnalyzer, DefaultVerifier> { ReferenceAssemblies = ReferenceAssemblies.Net.Net80 };
        test.TestState.Sources.Add(source);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        if (referenceIlgpu) test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(ILGPU.Index1D).Assembly.Location));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Adiff012(string method, string reason)
        => new DiagnosticResult(DiagnosticDescriptors.KernelNotGenerated).WithLocation(0).WithArguments(method, reason);

    private const string Good = """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double[] x, [PerSample] double y, double[] w, double b)
            {
                double s = b;
                for (int j = 0; j < x.Length; j++) s += w[j] * x[j];
                double r = s - y;
                return r * r;
            }
        }
        """;

    [Fact]
    public Task AKernelMethodIsQuiet() => Verify(Good, referenceIlgpu: true);

    [Fact]
    public void TheGeneratorWritesTheKernelsOfAQuietMethod()
    {
        var (files, diagnostics) = GeneratorHarness.Run(Good);
        Assert.Equal(new[] { "C.F-Kernels.g.cs", "C.F.g.cs" }, files.Select(f => f.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
        Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    // ADIFF106: [PerSample] without [GpuKernel] changes nothing, so it is a mistake.

    [Fact]
    public Task PerSampleWithoutGpuKernelWarns() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F([{|#0:PerSample|}] double x, [NoDerivative, {|#1:PerSample|}] double y, double w) => w * x - y;

            public static double G([{|#2:PerSample|}] double x) => x;
        }
        """, referenceIlgpu: true,
        new DiagnosticResult(DiagnosticDescriptors.PerSampleWithoutKernel).WithLocation(0).WithArguments("x", "F"),
        new DiagnosticResult(DiagnosticDescriptors.PerSampleWithoutKernel).WithLocation(1).WithArguments("y", "F"),
        new DiagnosticResult(DiagnosticDescriptors.PerSampleWithoutKernel).WithLocation(2).WithArguments("x", "G"));

    [Fact]
    public Task PerSampleOnAGpuKernelIsQuietWithOrWithoutIlgpu() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => w * x;

            [Differentiable]
            public static double G([NoDerivative] double x, double w) => w * x;
        }
        """, referenceIlgpu: true);

    [Fact]
    public Task WithoutIlgpu() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w) => w * x;
        }
        """, referenceIlgpu: false, Adiff012("F", "the project does not reference ILGPU; add the AutoDiff.Gpu package"));

    [Fact]
    public Task WithoutDifferentiable() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w) => w * x;
        }
        """, referenceIlgpu: true, Adiff012("F", "it is not [Differentiable]; kernels are generated from the method's derivatives"));

    [Fact]
    public Task EveryParameterPerSample() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, [PerSample] double w) => w * x;
        }
        """, referenceIlgpu: true, Adiff012("F", "every double or float parameter is [PerSample], so there is no shared parameter to differentiate"));

    [Fact]
    public Task ALoopWhoseTapeTheHostCannotSize() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double[] x, double[] w)
            {
                double p = 1.0;
                int j = 0;
                while (p < 100.0 && j < x.Length)
                {
                    p = Math.Exp(p * w[j]);
                    j++;
                }
                return p;
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "its pullback keeps a tape in a loop that is not a counted for loop; " + TapeFix));

    [Fact]
    public Task ATapedLoopStartingFromAPerSampleValue() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double[] x, [PerSample] int first, double[] w)
            {
                double p = 1.0;
                for (int j = first; j < x.Length; j++) p = Math.Sin(p * w[j] + x[j]);
                return p;
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "its pullback keeps a tape in the loop over 'j', whose start or bound the host cannot bound from above; " + TapeFix));

    [Fact]
    public Task ATapedLoopOverTheSamplesFeaturesOrItsOwnStepsIsAccepted() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double[] x, [PerSample] int steps, double[] w)
            {
                double p = 1.0;
                for (int j = 0; j < x.Length; j++) p = Math.Sin(p * w[j] + x[j]);
                double[] h = new double[steps + 1];
                for (int j = 0; j < steps; j++)
                {
                    p = Math.Cos(p * w[j]);
                    h[j + 1] = p;
                }
                return p + h[steps];
            }
        }
        """, referenceIlgpu: true);

    private const string TapeFix = "kernels keep their tape in the thread's scratch row, whose length the host works out, so a loop that keeps values on it must count an index from a start to a bound made of literals, shared int parameters, array lengths and per-sample ints (taken at their largest, so they may only make the loop longer)";

    [Fact]
    public Task ACallToAMethodWithoutDerivatives() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w, int n) => w * x * Count(n);

            public static double Count(int n)
            {
                return n;
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "it calls 'Count', which kernels cannot call (they call the vector primitives of AutoDiff.Primitives.VectorMath, the runtime's scalar functions Losses.Softplus and Losses.Activate, and [Differentiable] methods of this project that take and return scalars; write other callees' code inline)"));

    [Fact]
    public Task AnAssignmentToAPerSampleParameter() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w)
            {
                x = x * 2.0;
                return w * x;
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "it assigns its parameter 'x'; copy it into a local first"));

    [Fact]
    public Task ALocalArrayThatAPerSampleIntShortens() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, [PerSample] int n, double w)
            {
                var h = new double[10 - n];
                h[0] = w * x;
                return h[0] * w;
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "the length of its array local 'h' is not made of literals, shared int parameters, array parameters' lengths and per-sample ints (which the host takes at their largest, so they may only make it longer), so the launcher cannot size the thread's scratch row; write it from those (new double[classes], new double[x.Length], new double[steps + 1])"));

    [Fact]
    public Task ALocalIntArray() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w)
            {
                var order = new int[2];
                order[1] = 1;
                return w * x * order[1];
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "it declares the local 'order' of type int[]; kernels keep local arrays of double only, in the scratch row"));

    [Fact]
    public Task ALocalArrayOfConstantLengthIsAccepted() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w)
            {
                var h = new double[2];
                h[0] = w * x;
                h[1] = h[0] * w;
                return h[1];
            }
        }
        """, referenceIlgpu: true);

    [Fact]
    public Task AMatrixParameter() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double[,] w) => w[0, 0] * x;
        }
        """, referenceIlgpu: true, Adiff012("F", "parameter 'w' is a double[,]; kernels take scalars and one-dimensional arrays"));

    [Fact]
    public Task AnUnsupportedMathFunction() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w) => {|#1:Math.Cbrt(w * x)|};
        }
        """, referenceIlgpu: true, Adiff012("F", "its derivatives call Math.Cbrt, which ILGPU does not compile"),
        new DiagnosticResult(DiagnosticDescriptors.NonDifferentiablePoint).WithLocation(1).WithArguments("Math.Cbrt", "at 0, where it is infinite",
            "the formula 1/(3·∛x²), which gives an infinite derivative at 0 (NaN when the incoming derivative is 0)"));

    [Fact]
    public void TheGeneratorWritesOnlyTheCpuDerivativesWhenThereIsAReason()
    {
        var (files, _) = GeneratorHarness.Run("""
            using AutoDiff;
            public static partial class C
            {
                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, double w, int n) => w * x * Count(n);

                public static double Count(int n)
                {
                    return n;
                }
            }
            """);
        Assert.Equal(new[] { "C.F.g.cs" }, files.Select(f => f.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    // Calls to the user's own [Differentiable] methods: device functions when they and their derivatives follow ILGPU's
    // rules (KernelCallees), ADIFF012 naming the callee otherwise; the analyzer and the generator agree on each.

    /// <summary>
    /// The analyzer reports <paramref name="reason"/> at F (or nothing when it is null), and the generator writes F's kernel
    /// file exactly when it does not, in a compilation without errors either way.
    /// </summary>
    private static async Task Agree(string source, string? reason)
    {
        var marked = source.Replace("double F(", "double {|#0:F|}(");
        await (reason is null ? Verify(marked, referenceIlgpu: true) : Verify(marked, referenceIlgpu: true, Adiff012("F", reason)));
        var (files, diagnostics) = GeneratorHarness.Run(source);
        Assert.Equal(reason is null, files.Any(f => f.HintName == "C.F-Kernels.g.cs"));
        Assert.Contains(files, f => f.HintName == "C.F.g.cs");
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public Task AScalarHelperWithABranchIsADeviceFunction() => Agree("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double[] x, [PerSample] double y, double[] w, double b, double s)
            {
                double z = b;
                for (int j = 0; j < x.Length; j++) z += w[j] * x[j];
                return Hinge(1.0 - y * z, s) + Ridge(b, 2);
            }

            [Differentiable]
            public static double Hinge(double z, double s)
            {
                double u = z / s;
                if (u > 0) return z + s * Math.Log(1.0 + Math.Exp(-u));
                return s * Math.Log(1.0 + Math.Exp(u));
            }

            // An int parameter, and a callee of its own whose pullback needs no tape.
            [Differentiable]
            public static double Ridge(double w, int power) => power == 2 ? Square(w) * Square(w) : Square(w);

            [Differentiable]
            public static double Square(double v) => v * v;
        }
        """, null);

    [Fact]
    public void TheKernelsCallTheHelpersDerivatives()
    {
        var (files, _) = GeneratorHarness.Run("""
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, double b) => Bump(b * x) + Bump(b);

                [Differentiable]
                public static double Bump(double z) => z > 0 ? Math.Exp(-z * z) : 1.0;
            }
            """);
        var kernels = files.Single(f => f.HintName == "C.F-Kernels.g.cs").Text;
        Assert.Contains("global::C.Bump(", kernels);
        Assert.Contains("global::C.BumpBackward(", kernels);
        Assert.Contains("global::C.BumpTangent(", kernels);
        Assert.Contains("global::C.BumpBackwardTangent(", kernels);
        // Bump(b) adds into b's adjoint, which kernels only accumulate into: through a local, then Atomic.Add.
        Assert.Contains("global::ILGPU.Atomic.Add(ref dB[0], _dB_call", kernels);
    }

    [Fact]
    public Task AHelperOfAGenericTypeIsRefused() => Agree("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => GBox<int>.Square(w * x);
        }
        public partial class GBox<TItem>
        {
            [Differentiable]
            public static double Square(double v) => v * v;
        }
        """, "it calls 'Square', which cannot run in a kernel: it is a method of a generic type; move 'Square' to a non-generic type, "
            + "or inline it in the [GpuKernel] method");

    [Fact]
    public Task AHelperWithALoopIsRefused() => Agree("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => Helper(w * x);

            [Differentiable]
            public static double Helper(double v)
            {
                double p = v;
                for (int i = 0; i < 3; i++) p = Math.Sin(p);
                return p;
            }
        }
        """, "it calls 'Helper', which cannot run in a kernel: its pullback keeps a tape (it has a loop); write 'Helper' without the loop, "
            + "or move the loop into the [GpuKernel] method as a running sum (kernels keep loops that need no tape)");

    [Fact]
    public Task AHelperThatCallsASplitPullbackIsRefused() => Agree("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => Outer(w * x);

            [Differentiable]
            public static double Outer(double v) => 2.0 * Inner(v);

            [Differentiable]
            public static double Inner(double v) => Math.Exp(-v * v);
        }
        """, "it calls 'Outer', which cannot run in a kernel: its pullback keeps a tape (for its call to 'Inner', whose pullback is split into "
            + "InnerForward and InnerReverse); inline 'Inner' in 'Outer', or call 'Inner' from the [GpuKernel] method itself");

    [Fact]
    public Task AChainOfCallsNamesTheHelperThatFails() => Agree("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => Outer(w * x);

            [Differentiable]
            public static double Outer(double v) => 2.0 * Inner(v);

            [Differentiable]
            public static double Inner(double v) => v * Scale;

            private static readonly double Scale = 3.0;
        }
        """, "it calls 'Outer', which calls 'Inner', which cannot run in a kernel: it reads the static member 'Scale'; pass the value as a parameter (constants are fine)");

    [Fact]
    public Task RecursionIsRefused() => Agree("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => Power(w * x, 3);

            [Differentiable]
            public static double Power(double v, int n) => n <= 0 ? 1.0 : v * Power(v, n - 1);
        }
        """, "it calls 'Power', which cannot run in a kernel: it calls itself, and ILGPU compiles no recursion; write 'Power' without recursion");

    [Fact]
    public Task AHelperThatTakesAnArrayIsRefused() => Agree("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double[] x, double[] w) => First(w) * x[0];

            [Differentiable]
            public static double First(double[] v) => v[0] * v[1];
        }
        """, "it calls 'First', which cannot run in a kernel: its parameter 'v' is double[], and device functions take double, float and int values; "
            + "pass 'First' scalars, or inline it in the [GpuKernel] method");

    [Fact]
    public Task AVectorValuedHelperIsRefused() => Agree("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w)
            {
                var o = new double[2];
                Fill(w * x, o);
                return o[0] + o[1];
            }

            [Differentiable]
            public static void Fill(double s, Span<double> o)
            {
                o[0] = s * s;
                o[1] = Math.Sin(s);
            }
        }
        """, "it calls 'Fill', which cannot run in a kernel: its parameter 'o' is System.Span<double>, and device functions take double, float and int values; "
            + "pass 'Fill' scalars, or inline it in the [GpuKernel] method");

    [Fact]
    public Task AHelperWithHandWrittenDerivativesIsRefused() => Agree("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => Twice(w * x);

            [CustomDerivative]
            public static double Twice(double v) => 2.0 * v;

            public static double TwiceBackward(double v, double seed, ref double dV)
            {
                dV += 2.0 * seed;
                return 2.0 * v;
            }

            public static double TwiceTangent(double v, double vTangent, out double resultTangent)
            {
                resultTangent = 2.0 * vTangent;
                return 2.0 * v;
            }
        }
        """, "it calls 'Twice', which cannot run in a kernel: its derivatives are hand-written ([CustomDerivative]), and kernels call generated derivatives only; "
            + "write the formula in a [Differentiable] method, or inline 'Twice' in the [GpuKernel] method");

    [Fact]
    public Task AHelperWithAnUnsupportedMathFunctionIsRefused() => Agree("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double F([PerSample] double x, double w) => Steps(w * x, 7);

            [Differentiable]
            public static double Steps(double v, int n) => v * Math.Round(n / 3.0);
        }
        """, "it calls 'Steps', which cannot run in a kernel: it or its derivatives call Math.Round, which ILGPU does not compile; write it with the Math functions ILGPU compiles");


    /// <summary>
    /// One method for each kind of place a kernel is refused (the plan, the rewrite of statements and of expressions, the
    /// sizing of the tape): the reason is the first one found, the generator writes the CPU derivatives and no kernels, and
    /// nothing fails after the refusal (the rewrite goes on with placeholders until it can stop).
    /// </summary>
    public static TheoryData<string, string> Refusals => new()
    {
        {
            // An instance method.
            """
            using AutoDiff;
            public partial class C
            {
                [Differentiable, GpuKernel]
                public double F([PerSample] double x, double w) => w * x;
            }
            """,
            "it is an instance method; kernels are static"
        },
        {
            // Nothing shared.
            """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, [PerSample] double y) => x * y;
            }
            """,
            "every double or float parameter is [PerSample], so there is no shared parameter to differentiate"
        },
        {
            // A tape in a loop that is not counted.
            """
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, double w)
                {
                    double p = x;
                    int k = 0;
                    while (k < 3)
                    {
                        p = p * Math.Sin(w + k);
                        k++;
                        if (p > 100) k++;
                    }
                    return p;
                }
            }
            """,
            "its pullback keeps a tape in a loop that is not a counted for loop; kernels keep their tape in the thread's scratch row, whose length the host works out, so a loop that keeps values on it must count an index from a start to a bound made of literals, shared int parameters, array lengths and per-sample ints (taken at their largest, so they may only make the loop longer)"
        },
        {
            // A Math function ILGPU does not compile.
            """
            using System;
            using AutoDiff;
            public static partial class C
            {
                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, double w, int n) => w * x * Math.Round(n / 3.0);
            }
            """,
            "its derivatives call Math.Round, which ILGPU does not compile"
        },
        {
            // A static field.
            """
            using AutoDiff;
            public static partial class C
            {
                static double scale = 2;

                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, double w) => scale * w * x;
            }
            """,
            "it reads the static member 'scale' (kernels read their parameters and constants only)"
        },
        {
            // A per-sample parameter assigned.
            """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable, GpuKernel]
                public static double F([PerSample] double x, double w)
                {
                    x = x * 2;
                    return w * x;
                }
            }
            """,
            "it assigns its parameter 'x'; copy it into a local first"
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public Task EachPlaceOfRefusalGivesItsReason(string source, string reason) => Agree(source, reason);
}
