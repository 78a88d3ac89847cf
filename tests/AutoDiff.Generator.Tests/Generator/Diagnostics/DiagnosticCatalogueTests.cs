using System.Threading.Tasks;
using AutoDiff;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>
/// The diagnostics added with the catalogue (ADIFF008–011, 103–105, 201): each at its span, and each quiet on the
/// fixed code; warnings silenced by Ad.WithoutDerivative, #pragma and .editorconfig.
/// </summary>
public class DiagnosticCatalogueTests
{
    private static Task Verify(string source, params DiagnosticResult[] expected) => AnalyzerVerifier.Verify(source, expected);

    private static Task Verify(string source, string? editorConfig, params DiagnosticResult[] expected)
        => AnalyzerVerifier.Verify(new[] { source }, editorConfig, allowUnsafe: false, expected);

    // ADIFF008: a method of another assembly.

    [Fact]
    public Task ExternalCallOnAConstantIsQuiet() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => x * Math.FusedMultiplyAdd(2.0, 3.0, 1.0);
        }
        """);

    [Fact]
    public Task ExternalCallWithAForwarderIsQuiet() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => Math.FusedMultiplyAdd(x, x, 1.0);

            [CustomDerivative(typeof(Math), nameof(Math.FusedMultiplyAdd))]
            private static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

            private static double FusedMultiplyAddBackward(double a, double b, double c, double seed, ref double dA, ref double dB, ref double dC)
            {
                dA += b * seed;
                dB += a * seed;
                dC += seed;
                return a * b + c;
            }

            private static double FusedMultiplyAddTangent(double a, double b, double c, double aTangent, double bTangent, double cTangent, out double resultTangent)
            {
                resultTangent = aTangent * b + a * bTangent + cTangent;
                return a * b + c;
            }
        }
        """);

    // ADIFF009: virtual, interface and delegate calls.

    [Fact]
    public Task DelegateInterfaceAndVirtualCalls() => Verify("""
        using System;
        using AutoDiff;
        public interface IShape { double Area(double r); }
        public class Base { public virtual double Scale(double v) => v; }
        public static partial class C
        {
            private static readonly Func<double, double> Square = v => v * v;
            private static readonly IShape Shape = null!;
            private static readonly Base Scaler = new Base();

            [Differentiable]
            public static double F(double x) => {|#0:Square(x)|} + {|#1:Shape.Area(x)|} + {|#2:Scaler.Scale(x)|};
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.DynamicDispatch).WithLocation(0).WithArguments("Func.Invoke", "delegate"),
        new DiagnosticResult(DiagnosticDescriptors.DynamicDispatch).WithLocation(1).WithArguments("IShape.Area", "interface"),
        new DiagnosticResult(DiagnosticDescriptors.DynamicDispatch).WithLocation(2).WithArguments("Base.Scale", "virtual"));

    [Fact]
    public Task DelegateParametersAndLocalsAreNotDispatchErrors() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            // A delegate parameter is the signature's error (the body is then not analysed); a delegate local is a
            // value AutoDiff does not handle; only a call through a delegate that is neither is ADIFF009.
            [Differentiable]
            public static double F(double x, {|#0:Func<double, double> activation|}) => activation(x);

            [Differentiable]
            public static double G(double x)
            {
                Func<double, double> {|#1:square = Math.Sqrt|};
                return {|#2:square(x)|};
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0).WithArguments("Parameter 'activation'", "F",
            "System.Func<double, double>", "use double or float (int, long and bool parameters are accepted and not differentiated)"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(1)
            .WithArguments("A local of type 'System.Func<double, double>'", "use double, float, int, long or bool locals"),
        new DiagnosticResult(DiagnosticDescriptors.DynamicDispatch).WithLocation(2).WithArguments("Func.Invoke", "delegate"));

    [Fact]
    public Task StaticCallsInsteadOfDispatchAreQuiet() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => Square(x) + Area(x);

            [Differentiable]
            private static double Square(double v) => v * v;

            [Differentiable]
            private static double Area(double r) => 3.14159 * r * r;
        }
        """);

    // ADIFF010: writes to state outside the method.

    [Fact]
    public Task WritesToStaticFieldsAndProperties() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            private static double last;
            public static double Calls { get; set; }
            private static int count;

            [Differentiable]
            public static double F(double x)
            {
                {|#0:last|} = x;
                {|#1:Calls|} += 1;
                {|#2:count|}++;
                return x * x;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.WriteToSharedState).WithLocation(0).WithArguments("The write to the static field 'last'"),
        new DiagnosticResult(DiagnosticDescriptors.WriteToSharedState).WithLocation(1).WithArguments("The write to the static property 'Calls'"),
        new DiagnosticResult(DiagnosticDescriptors.WriteToSharedState).WithLocation(2).WithArguments("The write to the static field 'count'"));

    [Fact]
    public Task ReadingStaticFieldsAndWritingLocalsIsQuiet() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            private static readonly double Scale = 2;

            [Differentiable]
            public static double F(double x)
            {
                double last = x * Scale;
                last += 1;
                return last * x;
            }
        }
        """);

    // ADIFF011: a [Differentiable] callee with errors, and the chain that leads to them.

    [Fact]
    public Task CalleeWithErrorsIsReportedAtTheCallWithTheChain() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            private static double state;

            [Differentiable]
            public static double F(double x) => {|#0:G(x)|} * 2;

            [Differentiable]
            public static double G(double x) => {|#1:H(x)|} + 1;

            [Differentiable]
            public static double H(double x)
            {
                {|#2:state|} = x;
                return x * x;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.CalleeNotDifferentiated).WithLocation(0).WithLocation(1).WithLocation(2)
            .WithArguments("G", "'G' calls 'H', which has error ADIFF010"),
        new DiagnosticResult(DiagnosticDescriptors.CalleeNotDifferentiated).WithLocation(1).WithLocation(2)
            .WithArguments("H", "'H' has error ADIFF010"),
        new DiagnosticResult(DiagnosticDescriptors.WriteToSharedState).WithLocation(2).WithArguments("The write to the static field 'state'"));

    [Fact]
    public Task CalleeInAnotherFileWithErrors() => AnalyzerVerifier.Verify(new[]
        {
            """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => {|#0:D.G(x)|};
            }
            """,
            """
            using System;
            using AutoDiff;
            public static class {|#1:D|}
            {
                [Differentiable]
                public static double G(double x) => Math.Sin(x);
            }
            """,
        },
        editorConfig: null, allowUnsafe: false,
        new DiagnosticResult(DiagnosticDescriptors.CalleeNotDifferentiated).WithLocation(0).WithLocation(1).WithArguments("G", "'G' has error ADIFF001"),
        new DiagnosticResult(DiagnosticDescriptors.ContainingTypeNotPartial).WithLocation(1).WithArguments("D", "G"));

    [Fact]
    public Task RecursionWithoutErrorsIsQuiet() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double Even(double x, int n) => n == 0 ? x : Odd(x * 0.5, n - 1);

            [Differentiable]
            public static double Odd(double x, int n) => n == 0 ? x * x : Even(x + 1, n - 1);
        }
        """);

    // ADIFF103: a result that does not depend on the differentiated parameters.

    [Fact]
    public Task ResultIndependentOfInputsWarns() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double {|#0:F|}(double x, double y, int n)
            {
                double unused = x * y;
                return n * 2.0;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.ResultIndependentOfInputs).WithLocation(0).WithArguments("F", "x, y"));

    [Fact]
    public Task ResultIndependentOfInputsIsQuietWhenTheDerivativeIsCutOnPurpose() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => Ad.WithoutDerivative(x) * 2.0;

            [Differentiable]
            public static double G(double x, [NoDerivative] double scale) => x * scale;

            [Differentiable]
            public static void H(double x, System.Span<double> result)
            {
                result[0] = x;
                result[1] = 0;
            }
        }
        """);

    [Fact]
    public Task ResultIndependentOfInputsDefersToTheWarningThatExplainsIt() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => {|ADIFF102:Math.Floor(x)|};
        }
        """);

    // ADIFF104: == and != on differentiated values.

    [Fact]
    public Task ExactComparisonOfDifferentiatedValuesWarns() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y, int n)
            {
                if ({|#0:x == 0|}) return 1;
                if (n == 3) return y;
                if ({|#1:y * x != 1.0|}) return x * y;
                return x;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.FloatEquality).WithLocation(0).WithArguments("x == 0"),
        new DiagnosticResult(DiagnosticDescriptors.FloatEquality).WithLocation(1).WithArguments("y * x != 1.0"));

    [Fact]
    public Task ExactComparisonIsQuietOnConstantsAndStoppedValues() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, [NoDerivative] double y)
            {
                if (Ad.WithoutDerivative(x) == 0) return 1;
                if (y == 2.5) return x;
                return x < 1e-12 ? 0 : x * x;
            }
        }
        """);

    // ADIFF105: side effects that the derivatives repeat.

    [Fact]
    public Task SideEffectsWarn() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                {|#0:Console.WriteLine(x)|};
                {|#1:Log(x)|};
                return x * x;
            }

            private static void Log(double v) { }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.SideEffectRepeats).WithLocation(0).WithArguments("Console.WriteLine", "writes to or reads from the console"),
        new DiagnosticResult(DiagnosticDescriptors.SideEffectRepeats).WithLocation(1).WithArguments("C.Log", "returns nothing, so it is made for its side effects"));

    [Fact]
    public Task SideEffectsWithoutTheCallAreQuiet() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => x * x;

            public static double Logged(double x)
            {
                Console.WriteLine(x);
                return F(x);
            }
        }
        """);

    // ADIFF201: points where the derivative is not defined.

    [Fact]
    public Task NonDifferentiablePointsAreExplained() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => {|#0:Math.Abs(x)|} + {|#1:Math.Max(x, y)|} + {|#2:Math.Sqrt(y)|} + Math.Abs(-2.0) + Math.Sqrt(2.0);
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.NonDifferentiablePoint).WithLocation(0)
            .WithArguments("Math.Abs", "at 0", "0 (the subgradient in the middle)"),
        new DiagnosticResult(DiagnosticDescriptors.NonDifferentiablePoint).WithLocation(1)
            .WithArguments("Math.Max", "where its arguments are equal", "the derivative of the first argument"),
        new DiagnosticResult(DiagnosticDescriptors.NonDifferentiablePoint).WithLocation(2)
            .WithArguments("Math.Sqrt", "at 0, where it is infinite", "the formula 1/(2·√x), which gives an infinite derivative at 0 (NaN when the incoming derivative is 0)"));

    [Fact]
    public Task InverseTrigonometryAtan2AndPowExplainTheirPoints() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y)
                => {|#0:Math.Asin(x)|} + {|#1:Math.Atan2(y, x)|} + {|#2:Math.Pow(2.0, y)|} + Math.Pow(x, 2) + Math.Pow(x, 3.5);
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.NonDifferentiablePoint).WithLocation(0)
            .WithArguments("Math.Asin", "at −1 and 1, where it is infinite", "the formula 1/√(1 − x²), which gives an infinite derivative there"),
        new DiagnosticResult(DiagnosticDescriptors.NonDifferentiablePoint).WithLocation(1)
            .WithArguments("Math.Atan2", "at the origin (0, 0)", "the formulas x/(x² + y²) and −y/(x² + y²), which give NaN there"),
        new DiagnosticResult(DiagnosticDescriptors.NonDifferentiablePoint).WithLocation(2)
            .WithArguments("Math.Pow", "with respect to its exponent where the base is 0 or negative (ln x is undefined there)", "0 for the exponent's derivative there"));

    // Silencing.

    private const string WarningsSource = """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                int k = (int)x;
                if (x == 1) return Math.Round(x);
                Console.WriteLine(x);
                return k + Math.Abs(x);
            }

            [Differentiable]
            public static double G(double x) => 1.0;
        }
        """;

    [Fact]
    public Task EveryWarningCanBeSilencedInEditorConfig() => Verify(WarningsSource, """
        root = true

        [*.cs]
        dotnet_diagnostic.ADIFF101.severity = none
        dotnet_diagnostic.ADIFF102.severity = none
        dotnet_diagnostic.ADIFF103.severity = none
        dotnet_diagnostic.ADIFF104.severity = none
        dotnet_diagnostic.ADIFF105.severity = none
        dotnet_diagnostic.ADIFF201.severity = none
        """);

    [Fact]
    public Task EveryWarningCanBeSilencedWithPragma() => Verify("#pragma warning disable ADIFF101, ADIFF102, ADIFF103, ADIFF104, ADIFF105, ADIFF201\n" + WarningsSource);

    [Fact]
    public Task WarningsWithoutSilencing() => Verify(WarningsSource
            .Replace("public static double G", "public static double {|ADIFF103:G|}", System.StringComparison.Ordinal)
            .Replace("(int)x", "{|ADIFF101:(int)x|}", System.StringComparison.Ordinal)
            .Replace("x == 1", "{|ADIFF104:x == 1|}", System.StringComparison.Ordinal)
            .Replace("Math.Round(x)", "{|ADIFF102:Math.Round(x)|}", System.StringComparison.Ordinal)
            .Replace("Console.WriteLine(x)", "{|ADIFF105:Console.WriteLine(x)|}", System.StringComparison.Ordinal)
            .Replace("Math.Abs(x)", "{|ADIFF201:Math.Abs(x)|}", System.StringComparison.Ordinal));

    [Fact]
    public Task DifferentiatedValueWarningsAreSilencedByStoppingTheDerivative() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                int k = (int)Ad.WithoutDerivative(x);
                if (Ad.WithoutDerivative(x) == 1) return Math.Round(Ad.WithoutDerivative(x)) + x;
                return k + Math.Abs(Ad.WithoutDerivative(x)) + x;
            }
        }
        """);
}
