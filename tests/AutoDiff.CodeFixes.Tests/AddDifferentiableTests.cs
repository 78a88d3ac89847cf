using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = AutoDiff.CodeFixes.Tests.CodeFixVerifier<AutoDiff.CodeFixes.AddDifferentiableCodeFixProvider>;

namespace AutoDiff.CodeFixes.Tests;

/// <summary>ADIFF003: the callee is marked [Differentiable], where it is declared.</summary>
public class AddDifferentiableTests
{
    [Fact]
    public Task CalleeInTheSameType() => Verifier.Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => {|#0:Square(x)|} + Square(3.0);

            /// <summary>The square.</summary>
            public static double {|#1:Square|}(double v) => v * v;
        }
        """, """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => Square(x) + Square(3.0);

            /// <summary>The square.</summary>
            [Differentiable]
            public static double Square(double v) => v * v;
        }
        """,
        DiagnosticResult.CompilerError("ADIFF003").WithLocation(0).WithLocation(1)
            .WithArguments("C.Square", "mark 'Square' [Differentiable] (it is in this compilation; the additional location is its declaration)"));

    [Fact]
    public Task CalleeInAnotherDocumentWithoutTheUsing()
    {
        const string caller = """
            using AutoDiff;
            using Shapes;

            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => {|#0:Geometry.Area(x)|};
            }
            """;
        var test = Verifier.Create();
        test.TestState.Sources.Add(("/0/Caller.cs", caller));
        test.TestState.Sources.Add(("/0/Geometry.cs", """
            using System;

            namespace Shapes
            {
                public static partial class Geometry
                {
                    // The area of a disc.
                    [System.Diagnostics.Contracts.Pure]
                    public static double {|#1:Area|}(double r) => Math.PI * r * r;
                }
            }
            """));
        test.TestState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("ADIFF003").WithLocation(0).WithLocation(1)
            .WithArguments("Geometry.Area", "mark 'Area' [Differentiable] (it is in this compilation; the additional location is its declaration)"));
        test.CodeActionVerifier = (action, verifier) => verifier.Equal("Mark 'Area' [Differentiable]", action.Title);
        test.FixedState.Sources.Add(("/0/Caller.cs", caller.Replace("{|#0:", "").Replace("|}", "")));
        test.FixedState.Sources.Add(("/0/Geometry.cs", """
            using System;
            using AutoDiff;

            namespace Shapes
            {
                public static partial class Geometry
                {
                    // The area of a disc.
                    [Differentiable]
                    [System.Diagnostics.Contracts.Pure]
                    public static double Area(double r) => Math.PI * r * r;
                }
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task TheCalleeIsAnalysedOnceMarked()
    {
        // Marked, the callee is checked like any [Differentiable] method: its type must now be partial.
        var test = Verifier.Create("""
            using AutoDiff;
            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => {|#0:Helpers.Cube(x)|};
            }

            public static class Helpers
            {
                public static double {|#1:Cube|}(double v) => v * v * v;
            }
            """, """
            using AutoDiff;
            public static partial class C
            {
                [Differentiable]
                public static double F(double x) => {|#0:Helpers.Cube(x)|};
            }

            public static class {|#1:Helpers|}
            {
                [Differentiable]
                public static double Cube(double v) => v * v * v;
            }
            """);
        test.TestState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("ADIFF003").WithLocation(0).WithLocation(1)
            .WithArguments("Helpers.Cube", "mark 'Cube' [Differentiable] (it is in this compilation; the additional location is its declaration)"));
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("ADIFF011").WithLocation(0).WithLocation(1)
            .WithArguments("Cube", "'Cube' has error ADIFF001"));
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("ADIFF001").WithLocation(1).WithArguments("Helpers", "Cube"));
        return test.RunAsync();
    }

    [Fact]
    public Task FixAllMarksEachCalleeOnce() => Verifier.Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => {|#0:Square(x)|} * {|#1:Square(y)|} + {|#2:Shift(x)|};

            private static double {|#3:Square|}(double v) => v * v;

            private static double {|#4:Shift|}(double v) => v + 1;
        }
        """, """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => Square(x) * Square(y) + Shift(x);

            [Differentiable]
            private static double Square(double v) => v * v;

            [Differentiable]
            private static double Shift(double v) => v + 1;
        }
        """,
        DiagnosticResult.CompilerError("ADIFF003").WithLocation(0).WithLocation(3).WithArguments("C.Square", "mark 'Square' [Differentiable] (it is in this compilation; the additional location is its declaration)"),
        DiagnosticResult.CompilerError("ADIFF003").WithLocation(1).WithLocation(3).WithArguments("C.Square", "mark 'Square' [Differentiable] (it is in this compilation; the additional location is its declaration)"),
        DiagnosticResult.CompilerError("ADIFF003").WithLocation(2).WithLocation(4).WithArguments("C.Shift", "mark 'Shift' [Differentiable] (it is in this compilation; the additional location is its declaration)"));

    [Fact]
    public Task WindowsLineEndingsAreKept() => Verifier.Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => {|#0:Half(x)|};

            #region Helpers
            internal static double {|#1:Half|}(double v) => v / 2;
            #endregion
        }
        """.ReplaceLineEndings("\r\n"), """
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => Half(x);

            #region Helpers
            [Differentiable]
            internal static double Half(double v) => v / 2;
            #endregion
        }
        """.ReplaceLineEndings("\r\n"),
        DiagnosticResult.CompilerError("ADIFF003").WithLocation(0).WithLocation(1)
            .WithArguments("C.Half", "mark 'Half' [Differentiable] (it is in this compilation; the additional location is its declaration)"));
}
