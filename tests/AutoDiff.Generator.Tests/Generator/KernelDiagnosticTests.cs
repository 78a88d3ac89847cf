using System.Linq;
using System.Threading.Tasks;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator;

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
        Assert.Equal(new[] { "C.F.Kernels.g.cs", "C.F.g.cs" }, files.Select(f => f.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
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
    public Task ALoopThatNeedsATape() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double[] x, double[] w)
            {
                double p = 1.0;
                for (int j = 0; j < x.Length; j++) p = Math.Sin(p * w[j] + x[j]);
                return p;
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "its pullback needs a tape (a loop overwrites values that the reverse sweep reads), and kernels keep none"));

    [Fact]
    public Task ACallToAnotherMethod() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w) => Square(w * x);

            [Differentiable]
            public static double Square(double v) => v * v;
        }
        """, referenceIlgpu: true, Adiff012("F", "it calls 'Square', which kernels cannot call (they call the vector primitives of AutoDiff.Primitives.Vector and the runtime's scalar functions Losses.Softplus and Losses.Activate; write other callees' code inline)"));

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
    public Task ALocalArray() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable, GpuKernel]
            public static double {|#0:F|}([PerSample] double x, double w)
            {
                var h = new double[2];
                h[0] = w * x;
                h[1] = h[0] * w;
                return h[1];
            }
        }
        """, referenceIlgpu: true, Adiff012("F", "it declares the array local 'h' (kernels allocate nothing)"));

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
                public static double F([PerSample] double x, double w) => Square(w * x);

                [Differentiable]
                public static double Square(double v) => v * v;
            }
            """);
        Assert.Equal(new[] { "C.F.g.cs", "C.Square.g.cs" }, files.Select(f => f.HintName).OrderBy(n => n, System.StringComparer.Ordinal));
    }
}
