using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = AutoDiff.CodeFixes.Tests.CodeFixVerifier<AutoDiff.CodeFixes.StopDerivativeCodeFixProvider>;

namespace AutoDiff.CodeFixes.Tests;

/// <summary>ADIFF101, 102, 104, 003 and 008: the differentiated operands are wrapped in Ad.WithoutDerivative.</summary>
public class StopDerivativeTests
{
    [Fact]
    public Task IntegerCastDropsTheGroupingParentheses() => Verifier.Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, int n)
            {
                int k = {|ADIFF101:(int)(x * 10)|};
                int m = {|ADIFF101:(int)x|};
                return k + m + x * n;
            }
        }
        """, """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, int n)
            {
                int k = (int)Ad.WithoutDerivative(x * 10);
                int m = (int)Ad.WithoutDerivative(x);
                return k + m + x * n;
            }
        }
        """);

    [Fact]
    public Task PiecewiseConstantFunction() => Verifier.Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => {|ADIFF102:Math.Round(x * y)|} + {|ADIFF102:Math.Floor(y)|} * x;
        }
        """, """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => Math.Round(Ad.WithoutDerivative(x * y)) + Math.Floor(Ad.WithoutDerivative(y)) * x;
        }
        """);

    [Fact]
    public Task ExactComparisonWrapsOnlyTheDifferentiatedSide() => Verifier.Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, [NoDerivative] double limit)
            {
                if ({|ADIFF104:x == limit|}) return 1;
                if ({|ADIFF104:(x * x) != 2.0|}) return x;
                return x * x;
            }
        }
        """, """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, [NoDerivative] double limit)
            {
                if (Ad.WithoutDerivative(x) == limit) return 1;
                if (Ad.WithoutDerivative(x * x) != 2.0) return x;
                return x * x;
            }
        }
        """);

    [Fact]
    public Task CallWithoutDerivativeInThisCompilation() => Verifier.Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => {|#0:Scale(x, 2.0, y)|} + x;

            private static double {|#1:Scale|}(double v, double factor, double w) => v * factor + w;
        }
        """, """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => Scale(Ad.WithoutDerivative(x), 2.0, Ad.WithoutDerivative(y)) + x;

            private static double Scale(double v, double factor, double w) => v * factor + w;
        }
        """,
        DiagnosticResult.CompilerError("ADIFF003").WithLocation(0).WithLocation(1)
            .WithArguments("C.Scale", "mark 'Scale' [Differentiable] (it is in this compilation; the additional location is its declaration)"));

    [Fact]
    public Task CallWithoutDerivativeInAnotherAssemblyAddsTheUsing() => Verifier.Verify("""
        using System;

        namespace N
        {
            public static partial class C
            {
                [AutoDiff.Differentiable]
                public static double F(double x) => x * {|ADIFF008:Math.FusedMultiplyAdd(x, x, 1.0)|};
            }
        }
        """, """
        using System;
        using AutoDiff;

        namespace N
        {
            public static partial class C
            {
                [AutoDiff.Differentiable]
                public static double F(double x) => x * Math.FusedMultiplyAdd(Ad.WithoutDerivative(x), Ad.WithoutDerivative(x), 1.0);
            }
        }
        """);

    [Fact]
    public Task FixAllWrapsEveryOperandOnceNestedOnesIncluded() => Verifier.Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                int k = {|ADIFF101:(int)Twice(x)|};
                double r = {|ADIFF102:Math.Truncate(y)|};
                if ({|ADIFF104:x == y|}) return r;
                return k * x + r * y;
            }

            private static double {|#0:Twice|}(double v) => 2 * v;
        }
        """.Replace("Twice(x)|}", "{|#1:Twice(x)|}|}"), """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                int k = (int)Ad.WithoutDerivative(Twice(Ad.WithoutDerivative(x)));
                double r = Math.Truncate(Ad.WithoutDerivative(y));
                if (Ad.WithoutDerivative(x) == Ad.WithoutDerivative(y)) return r;
                return k * x + r * y;
            }

            private static double Twice(double v) => 2 * v;
        }
        """,
        DiagnosticResult.CompilerError("ADIFF003").WithLocation(1).WithLocation(0)
            .WithArguments("C.Twice", "mark 'Twice' [Differentiable] (it is in this compilation; the additional location is its declaration)"));

    [Fact]
    public Task FileWithoutUsingsGetsOne()
    {
        var test = Verifier.Create("""
            public static partial class C
            {
                [AutoDiff.Differentiable]
                public static double F(double x) => {|ADIFF102:System.Math.Ceiling(x)|} + x;
            }
            """, """
            using AutoDiff;

            public static partial class C
            {
                [AutoDiff.Differentiable]
                public static double F(double x) => System.Math.Ceiling(Ad.WithoutDerivative(x)) + x;
            }
            """);
        test.CodeActionVerifier = (action, verifier) => verifier.Equal(StopDerivativeCodeFixProvider.Title, action.Title);
        return test.RunAsync();
    }
}
