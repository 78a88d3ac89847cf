using System.Linq;
using System.Threading.Tasks;
using AutoDiff;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>Each diagnostic, located by markup on the offending code; and silence where nothing is wrong.</summary>
public class DiagnosticTests
{
    private static Task Verify(string source, params DiagnosticResult[] expected) => AnalyzerVerifier.Verify(source, expected);

    [Fact]
    public Task SupportedCodeHasNoDiagnostics() => Verify("""
        using System;
        using AutoDiff;
        public static partial class Ok
        {
            private static readonly double Scale = 2.0;
            private const double Offset = 1.0;

            [Differentiable]
            public static double F(double x, float y, int n, bool flag)
            {
                double t = x * Scale + Offset;
                if (flag && n > 2) t *= y;
                // Calls without a derivative are fine on constants, when they return bool or int, or when
                // their result is discarded.
                if (double.IsNaN(x) || IsBig(t)) t = 0;
                Scaled(t);
                return Math.Exp(Helper(n)) * t + (n > 0 ? Math.Exp(t) : t);
            }

            private static double Helper(int n) => n * 0.5;

            private static bool IsBig(double v) => v > 1e6;

            private static double Scaled(double v) => v * 3;
        }
        """);

    [Fact]
    public Task ContainingTypeNotPartial() => Verify("""
        using AutoDiff;
        public static class {|ADIFF001:Plain|}
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """);

    [Fact]
    public Task EnclosingTypeNotPartial() => Verify("""
        using AutoDiff;
        public class {|ADIFF001:Outer|}
        {
            public static partial class Inner
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """);

    [Fact]
    public Task UnsupportedStatementsAreNamedAndLocated() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                double s = 0;
                {|ADIFF002:lock (typeof(C)) { s += x; }|}
                {|ADIFF002:try { s += 1; } finally { s += 2; }|}
                {|ADIFF002:throw new InvalidOperationException();|}
            }
        }
        """);

    [Fact]
    public Task UnsupportedExpressionsAreNamedAndLocated() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            private static double state;

            [Differentiable]
            public static double F(double x)
            {
                {|ADIFF010:state|} = x;
                var s = {|ADIFF002:"text".Length|} * x;
                return s + {|ADIFF002:DateTime.Now.Second|};
            }
        }
        """);

    [Fact]
    public Task CallWithoutDerivativeInSameCompilationSuggestsTheAttribute() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => {|#0:Square(x)|} + Square(3.0);

            public static double {|#1:Square|}(double v) => v * v;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.CallWithoutDerivative).WithLocation(0).WithLocation(1)
            .WithArguments("C.Square", "mark 'Square' [Differentiable] (it is in this compilation; the additional location is its declaration)"));

    [Fact]
    public Task CallWithoutDerivativeInAnotherAssembly() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => {|#0:Math.FusedMultiplyAdd(x, x, 1.0)|};
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.ExternalCallWithoutDerivative).WithLocation(0)
            .WithArguments("Math.FusedMultiplyAdd", "System.Runtime", "AutoDiff has no rule for Math.FusedMultiplyAdd; write the formula with supported functions, or give it rules with a [CustomDerivative(typeof(Math), nameof(Math.FusedMultiplyAdd))] forwarder in this type"));

    [Fact]
    public Task AnotherOverloadOfAMathFunctionWithARuleIsNamed() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => {|#0:Math.Round(x, 2)|} + {|#1:MathF.Round((float)x, 1)|} + {|#3:Math.Round(x)|}
                + {|#2:Math.Round(x, {|#4:MidpointRounding.ToEven|})|};
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.ExternalCallWithoutDerivative).WithLocation(0)
            .WithArguments("Math.Round", "System.Runtime", "AutoDiff has no rule for Math.Round(double, int) (its rule is for Math.Round with 1 argument); write the formula with supported functions, or give it rules with a [CustomDerivative(typeof(Math), nameof(Math.Round))] forwarder in this type"),
        new DiagnosticResult(DiagnosticDescriptors.ExternalCallWithoutDerivative).WithLocation(1)
            .WithArguments("MathF.Round", "System.Runtime", "AutoDiff has no rule for MathF.Round(float, int) (its rule is for MathF.Round with 1 argument); write the formula with supported functions, or give it rules with a [CustomDerivative(typeof(MathF), nameof(MathF.Round))] forwarder in this type"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(2)
            .WithArguments("The call to 'Math.Round(double, MidpointRounding)'", "its parameters must be double, float, int, long or bool"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(4)
            .WithArguments("A value of type 'System.MidpointRounding'", "use double, float, int, long or bool values"),
        new DiagnosticResult(DiagnosticDescriptors.PiecewiseConstantFunction).WithLocation(3).WithArguments("Math.Round", "Math.Round(x)"));

    [Fact]
    public Task ForwarderMustMatchTheMethodItStandsFor() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [CustomDerivative(typeof(Math), nameof(Math.FusedMultiplyAdd))]
            public static double {|#0:FusedMultiplyAdd|}(double x, double y) => x * y;

            public static double FusedMultiplyAddBackward(double x, double y, double seed, ref double dX, ref double dY) => 0;

            public static double FusedMultiplyAddTangent(double x, double y, double xTangent, double yTangent, out double resultTangent)
            {
                resultTangent = 0;
                return 0;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.CustomRuleMismatch).WithLocation(0)
            .WithArguments("FusedMultiplyAdd",
                "it must forward to a static method 'System.Math.FusedMultiplyAdd' with the same name, parameters and result, and there is none",
                "static double FusedMultiplyAdd(double x, double y)"));

    [Fact]
    public Task IntegerCastOfDifferentiatedValueWarns() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, int n)
            {
                int k = {|ADIFF101:(int)(x * 10)|};
                double ok = (int)(n * 2.5);
                return k + ok + x;
            }
        }
        """);

    [Fact]
    public Task PiecewiseConstantFunctionOnDifferentiatedValueWarns() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                double constant = Math.Floor(2.5);
                return {|ADIFF102:Math.Round(x)|} + {|ADIFF102:Math.Sign(y)|} + constant;
            }
        }
        """);

    [Fact]
    public Task WarningsCanBeSuppressedWithPragma() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
        #pragma warning disable ADIFF102
                return Math.Floor(x) + x;
        #pragma warning restore ADIFF102
            }
        }
        """);

    [Fact]
    public Task WarningsCanBeSilencedByStoppingTheDerivative() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x)
            {
                int k = (int)Ad.WithoutDerivative(x * 10);
                return k + Math.Floor(Ad.WithoutDerivative(x)) + x;
            }
        }
        """);

    [Fact]
    public Task UnsupportedSignature() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static {|ADIFF004:decimal|} F(double x) => (decimal)x;

            [Differentiable]
            public static double G(double x, {|ADIFF004:string s|}) => x;

            [Differentiable]
            public static double H(double x, {|ADIFF004:ref double y|}) => x * y;
        }
        """);

    [Fact]
    public Task RefReturnAndLocalFunction() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            private static double state;

            [Differentiable]
            public static {|#0:ref double|} F(double x) => ref state;

            public static double G(double x)
            {
                [Differentiable]
                static double {|ADIFF006:Local|}(double v) => v * v;
                return Local(x);
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0)
            .WithArguments("The return type", "F", "ref double", "return the value, not a reference"));

    [Fact]
    public Task CustomDerivativeRuleMissingOrMismatched() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [CustomDerivative]
            public static double {|#0:Softplus|}(double x) => Math.Log(1 + Math.Exp(x));

            // float seed instead of double: not the expected signature.
            public static double SoftplusBackward(double x, float seed, ref double dX) => 0;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.CustomRuleMismatch).WithLocation(0)
            .WithArguments("Softplus", "'SoftplusBackward' has the signature 'static double SoftplusBackward(double x, float seed, ref double dX)'",
                "static double SoftplusBackward(double x, double seed, ref double dX)"),
        new DiagnosticResult(DiagnosticDescriptors.CustomRuleMismatch).WithLocation(0)
            .WithArguments("Softplus", "'SoftplusTangent' is missing", "static double SoftplusTangent(double x, double xTangent, out double resultTangent)"));

    [Fact]
    public Task CustomPullbackThatCannotBeDifferentiatedNeedsAHandWrittenSecondOrderRule() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [CustomDerivative]
            public static double {|#0:F|}(double x) => x * x;

            public static double FBackward(double x, double seed, ref double dX)
            {
                dX += seed * Twice(x);
                return x * x;
            }

            public static double FTangent(double x, double xTangent, out double resultTangent)
            {
                resultTangent = 2 * x * xTangent;
                return x * x;
            }

            private static double Twice(double v) => 2 * v;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.CustomRuleMismatch).WithLocation(0)
            .WithArguments("F",
                "second order needs 'FBackwardTangent', and 'FBackward' cannot be differentiated to give it (the call to 'C.Twice' has no derivative: mark 'Twice' [Differentiable])",
                "static double FBackwardTangent(double x, double seed, ref double dX, double xTangent, double seedTangent, ref double dXTangent, out double resultTangent)"));

    [Fact]
    public Task NoDifferentiableParameter() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double {|ADIFF005:F|}(int n) => n * 2.0;
        }
        """);

    [Fact]
    public Task AnIndexFormulaMarkedDifferentiableIsAPlainHelper() => Verify("""
        using AutoDiff;
        public static class Grid
        {
            // Integers only: nothing to differentiate, so no ADIFF005, no derivatives, and no need for 'partial'.
            [Differentiable]
            public static int Index(int row, int column, int columns) => row * columns + column;

            [Differentiable]
            public static bool IsEdge(int i, int n) => i == 0 || i == n - 1;
        }
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] grid) => grid[Grid.Index(1, 0, 2)] * grid[Grid.Index(0, 1, 2)] + (Grid.IsEdge(0, 2) ? grid[0] : 0.0);
        }
        """);

    [Fact]
    public void AnIndexFormulaMarkedDifferentiableGetsNoFileAndItsCallersGetTheirs()
    {
        var (files, diagnostics) = GeneratorHarness.Run("""
            using AutoDiff;
            public static partial class Grid
            {
                [Differentiable]
                public static int Index(int row, int column, int columns) => row * columns + column;

                [Differentiable]
                public static double F(double[] grid) => grid[Index(1, 0, 2)] * grid[Index(0, 1, 2)];
            }
            """);
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(new[] { "Grid.F.g.cs" }, files.Select(f => f.HintName));
    }

    [Fact]
    public Task InstanceMethodsOfStructsAndGenericMethods() => Verify("""
        using AutoDiff;
        public partial class C
        {
            private readonly double scale = 2;

            // An instance method of a class is fine: the object is a constant.
            [Differentiable]
            public double F(double x) => scale * x * x;

            [Differentiable]
            public static double {|ADIFF006:G|}<T>(double x) => x * x;

            private static readonly C Shared = new C();

            // A call on another object: only calls on the method's own object are supported.
            [Differentiable]
            public double H(double x) => {|ADIFF002:Shared.F(x)|};
        }

        // A struct's instance method differentiates this; a struct without number fields is a constant, like an object.
        public partial struct S
        {
            public double K;

            [Differentiable]
            public double F(double x) => K * x * x;
        }

        public partial struct Empty
        {
            [Differentiable]
            public double F(double x) => x * x;
        }
        """);

    [Fact]
    public Task PartialMethodIsAnalysedOnThePartTheAttributeIsOn() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            // On the implementing part: its body is analysed.
            public static partial double F(double x);

            [Differentiable]
            public static partial double F(double x)
            {
                double s = 0;
                {|#0:try { s = x * x; } finally { s += 1; }|}
                return s;
            }

            // On the defining part, which has no body: ADIFF006 says where the attribute goes.
            [Differentiable]
            public static partial double {|#1:G|}(double x);

            public static partial double G(double x) => x * x;

            // Another attribute on the defining part leaves it alone: the implementing part is fine.
            [Obsolete]
            public static partial double H(double x);

            [Differentiable]
            public static partial double H(double x) => x * x;

            // Calls bind to the defining part; the implementing part's error is found all the same.
            [Differentiable]
            public static double Caller(double x) => {|#2:F(x)|} + {|#3:G(x)|};
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(0)
            .WithArguments("A 'try' statement", "validate inputs before calling the method, and keep exceptions out of it"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedMethodShape).WithLocation(1)
            .WithArguments("G", "it has no body here; put [Differentiable] on the part that implements it"),
        new DiagnosticResult(DiagnosticDescriptors.CalleeNotDifferentiated).WithLocation(2).WithLocation(0).WithArguments("F", "'F' has error ADIFF002"),
        new DiagnosticResult(DiagnosticDescriptors.CalleeNotDifferentiated).WithLocation(3).WithLocation(1).WithArguments("G", "'G' has error ADIFF006"));

    [Fact]
    public Task StaticMethodsOfGenericTypesMayBeCalledAndGenericMethodsNot() => Verify("""
        using AutoDiff;
        public partial class GBox<TItem>
        {
            [Differentiable]
            public static double G(double x) => x * x;

            [Differentiable]
            public static double {|#0:Generic|}<TOther>(double x) => x * x;
        }
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => GBox<int>.G(x) + {|#1:GBox<int>.Generic<string>(x)|};
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedMethodShape).WithLocation(0)
            .WithArguments("Generic", "generic methods are not supported; write it for double or float"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(1)
            .WithArguments("The call to 'GBox.Generic'", "calls to generic methods are not supported yet; call a static, non-generic method"));

    [Fact]
    public Task ParamsOnASupportedArrayIsAcceptedAndOtherwiseNamed() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(params double[] xs) => xs[0] * xs[1];

            [Differentiable]
            public static double G(double x, {|#0:params object[] rest|}) => x * x;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0)
            .WithArguments("Parameter 'rest'", "G", "params object[]", "take params double[] or params float[] (or a span of them)"));
}
