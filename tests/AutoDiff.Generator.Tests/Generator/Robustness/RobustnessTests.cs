using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Robustness;

/// <summary>
/// Regressions found by <see cref="FuzzTests"/>: each source once made the generator throw, the analyzer report
/// ADIFF900, the two disagree, or the generated code fail to compile or warn. <see cref="FuzzHarness.Run"/> checks all
/// of that; each test adds what it is about.
/// </summary>
public class RobustnessTests
{
    private static FuzzResult Check(string source)
    {
        var result = FuzzHarness.Run(source);
        Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems));
        return result;
    }

    [Fact]
    public void AnAdjointParameterDoesNotTakeTheNameOfALocal()
    {
        // The adjoint of 'value' would be dValue, which the body already declares.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double value)
                {
                    double dValue = value * value;
                    return dValue * value;
                }
            }
            """);
        Assert.Single(result.HintNames);
    }

    [Fact]
    public void NamesBuiltFromKeywordLocalsAreIdentifiers()
    {
        // '_d_@fixed' and '_@fixedTangent' are not identifiers.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double @double, int @int)
                {
                    double @fixed = @double;
                    for (int @for = 0; @for < @int; @for++) @fixed = @fixed * @double;
                    return @fixed;
                }
            }
            """);
        Assert.Single(result.HintNames);
    }

    [Fact]
    public void AGeneratedNameDoesNotHideAGeneratedMethod()
    {
        // The tangent of parameter y of method y was yTangent, which hid the method yTangent that the tuple overload calls.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double y(double x, double y) => x * y;
            }
            """);
        Assert.Single(result.HintNames);
    }

    [Fact]
    public void AMethodOutsideAnyTypeIsSkipped()
    {
        // Code being typed can leave a method directly in a namespace (CS0116). Its file name had '<invalid-global-code>'
        // in it, which made AddSource throw and took every other method's file with it.
        var result = Check("""
            using AutoDiff;
            namespace N
            {
                public static partial class T
                {
                    [Differentiable]
                    public static double F(double x) => x * x;
                }

                [Differentiable]
                public static double G(double x) => x * x;
            }
            """);
        Assert.Equal(new[] { "N.T.F.g.cs" }, result.HintNames);
    }

    [Fact]
    public void AMethodDeclaredTwiceGetsOneFile()
    {
        // The same method twice (CS0111), as when a line is duplicated: two files of one name made AddSource throw.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable] public static double F(float x) => x * x;
                [Differentiable] public static double F(float x) => x * x;
                [Differentiable] public static double F(double x) => x * x;
            }
            """);
        Assert.Equal(new[] { "T.F(System.Double).g.cs", "T.F(System.Single).g.cs" }, result.HintNames);
    }

    [Fact]
    public void OverloadsThatDifferInTheElementTypeGetTheirOwnFiles()
    {
        // Type.Name is "" for double[] and float[] alike, and "Span" for every span: both pairs shared a file name.
        var result = Check("""
            using System;
            using AutoDiff;
            public static partial class T
            {
                [Differentiable] public static double Sum(double[] x) => x[0] + x[1];
                [Differentiable] public static float Sum(float[] x) => x[0] + x[1];
                [Differentiable] public static double Sum(ReadOnlySpan<double> x) => x[0] + x[1];
                [Differentiable] public static float Sum(ReadOnlySpan<float> x) => x[0] + x[1];
                [Differentiable] public static double Sum(double[,] x) => x[0, 0] + x[0, 1];
            }
            """);
        Assert.Equal(new[] { "T.Sum(System.Double[,]).g.cs", "T.Sum(System.Double[]).g.cs", "T.Sum(System.ReadOnlySpan{System.Double}).g.cs", "T.Sum(System.ReadOnlySpan{System.Single}).g.cs", "T.Sum(System.Single[]).g.cs" },
            result.HintNames);
    }

    [Fact]
    public void ADeclarationWithAMissingNameIsSkipped()
    {
        // 'namespace N.' has a missing name, which was copied into 'namespace N.' in the generated file.
        var result = Check("""
            using AutoDiff;
            namespace N.
            {
                public static partial class T
                {
                    [Differentiable]
                    public static double F(double x) => x * x;
                }
            }
            """);
        Assert.Empty(result.HintNames);
    }

    [Fact]
    public void AParameterListWithAMissingNameIsSkipped()
    {
        // A parameter without a name had an adjoint named from its empty name: an exception, reported as ADIFF900.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double x, double ) => x * x;
            }
            """);
        Assert.Empty(result.HintNames);
    }

    [Fact]
    public void TwoParametersWithOneNameAreSkipped()
    {
        // CS0100: the analysis keyed a dictionary by parameter name and threw (ADIFF900).
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double x, double x) => x * x;
            }
            """);
        Assert.Empty(result.HintNames);
        Assert.DoesNotContain(result.AnalyzerDiagnostics, d => d.Id == "ADIFF900");
    }

    [Fact]
    public void ARepeatedModifierOfTheTypeIsWrittenOnce()
    {
        // CS1004 in the user's code; 'static static partial class' in the generated code too.
        var result = Check("""
            using AutoDiff;
            public static static partial class T
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
            """);
        Assert.Single(result.HintNames);
    }

    [Fact]
    public void AMethodThatDoesNotCompileIsSkipped()
    {
        // 'double a = b > 0' and 'if (x * 0)' do not compile; they were printed as casts, '(double)(b > 0.0)', which do
        // not either. So is 'return y < x' where the method is cut short (no conversion at all). The compiler reports
        // these; the analyzer adds nothing.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double x, double b)
                {
                    double a = b > 0;
                    if (x * 0) a = x;
                    return a * x;
                }

                [Differentiable]
                public static double G(double x, double y)
                {
                    return y < x
            """);
        Assert.Empty(result.HintNames);
        Assert.Empty(result.AnalyzerDiagnostics);
    }

    [Fact]
    public void AStrayTokenJustBeforeAMethodIsNotItsError()
    {
        // The compiler's errors for a span include those that only touch it: a '>' typed just before the attribute
        // stopped the method, though the analyzer, rightly, reported nothing for it.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                >[Differentiable] public static double F(double x) => x * x;
            }
            """);
        Assert.Equal(new[] { "T.F.g.cs" }, result.HintNames);
    }

    [Fact]
    public void AWarningTreatedAsAnErrorDoesNotStopGeneration()
    {
        // Methods that do not compile are skipped; a warning made an error by TreatWarningsAsErrors is not a reason.
        var compilation = GeneratorHarness.Compile("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double x)
                {
                    double unused = 1.5;
                    return x * x;
                }
            }
            """);
        compilation = compilation.WithOptions(compilation.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error));
        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS0219" && d.Severity == DiagnosticSeverity.Error);
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Equal(new[] { "T.F.g.cs" }, result.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void AHandWrittenRuleWithAConversionThatDoesNotExistIsReported()
    {
        // FBackwardTangent comes from the user's FBackward; its 'double a = seed > 0' became '(double)(seed > 0.0)'.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [CustomDerivative]
                public static double F(double x) => x * x;

                public static double FBackward(double x, double seed, ref double dX)
                {
                    double a = seed > 0;
                    dX += 2 * x * a;
                    return x * x;
                }

                public static double FTangent(double x, double xTangent, out double resultTangent)
                {
                    resultTangent = 2 * x * xTangent;
                    return x * x;
                }
            }
            """);
        Assert.Empty(result.HintNames);
        Assert.Contains(result.AnalyzerDiagnostics, d => d.Id == "ADIFF007" && d.GetMessage().Contains("Converting 'bool' to 'double'"));
    }

    [Fact]
    public void WarningsAboutTheUsersStatementsAreNotRepeatedInGeneratedCode()
    {
        // x = x (CS1717), x < x (CS1718), a local never read (CS0219), code after a constant condition (CS0162): the
        // derivatives copy these statements, and the compiler warned about each copy again.
        var result = Check("""
            using AutoDiff;
            public static partial class T
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    #pragma warning disable CS0162, CS0219, CS1717, CS1718
                    double unused = 1.5;
                    y = y;
                    if (x < x) y = x * y;
                    if (0.5 < 0.25) y = y * y;
                    #pragma warning restore CS0162, CS0219, CS1717, CS1718
                    return x * y;
                }
            }
            """);
        Assert.Single(result.HintNames);
    }
}
