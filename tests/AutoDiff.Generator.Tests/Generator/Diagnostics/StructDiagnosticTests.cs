using System.Threading.Tasks;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>Structs AutoDiff cannot differentiate through are reported at the parameter, return type or expression, with a fix.</summary>
public class StructDiagnosticTests
{
    private static Task Verify(string source, params DiagnosticResult[] expected)
        => AnalyzerVerifier.Verify(new[] { source }, editorConfig: null, allowUnsafe: false, expected);

    [Fact]
    public Task AStructWithAMemberOfAnotherTypeIsReportedAtTheParameter() => Verify("""
        using AutoDiff;
        public struct Named { public double Value; public string Name; }
        public static partial class C
        {
            [Differentiable]
            public static double F({|#0:Named n|}, double x) => n.Value * x;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0)
            .WithArguments("Parameter 'n'", "F", "Named", "parameter 'n': its member 'Name' is of type 'string' (members must be double, float, int, long, bool or such structs)"));

    [Fact]
    public Task ReadOnlyMembersWithoutAMemberwiseConstructorAreReported() => Verify("""
        using AutoDiff;
        public readonly struct Scaled
        {
            public Scaled(double value) { Value = value * 2; }
            public double Value { get; }
        }
        public static partial class C
        {
            [Differentiable]
            public static double F({|#0:Scaled s|}) => s.Value * s.Value;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0)
            .WithArguments("Parameter 's'", "F", "Scaled",
                "parameter 's': 'Scaled' has read-only members and no constructor that takes exactly one argument per member (named like them); add one, or make the members settable"));

    [Fact]
    public Task AReturnedStructWithMixedFieldsIsReported() => Verify("""
        using AutoDiff;
        public struct P { public double X; public int Count; }
        public static partial class C
        {
            [Differentiable]
            public static {|#0:P|} Twice(P p) => new P { X = 2 * p.X, Count = p.Count };
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0)
            .WithArguments("The return type", "Twice", "P",
                "a struct returned from a [Differentiable] method needs every field of one floating-point type (all double or all float)"));

    [Fact]
    public Task AReturnedTupleIsReported() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static {|#0:(double, double)|} Both(double x) => (x, 2 * x);
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0)
            .WithArguments("The return type", "Both", "(double, double)", "a tuple cannot be returned; return a struct, or a double"));

    [Fact]
    public Task AnOperatorWithAStatementBodyIsReportedWhereItIsUsed() => Verify("""
        using AutoDiff;
        public struct P
        {
            public double X, Y;
            public static P operator +(P a, P b)
            {
                var r = new P();
                r.X = a.X + b.X;
                r.Y = a.Y + b.Y;
                return r;
            }
        }
        public static partial class C
        {
            [Differentiable]
            public static double F(P a, P b)
            {
                var s = {|#0:a + b|};
                return s.X * s.Y;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(0)
            .WithArguments("The call to 'P.op_Addition'", "AutoDiff inlines calls that take or return structs: give it a single-expression body (=> ...)"));

    [Fact]
    public Task ArraysOfStructsWithMixedFieldsAreReported() => Verify("""
        using AutoDiff;
        public struct Body { public double Mass; public int Id; }
        public static partial class C
        {
            [Differentiable]
            public static double F({|#0:Body[] bodies|}) => bodies[0].Mass;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(0)
            .WithArguments("Parameter 'bodies'", "F", "Body[]", "parameter 'bodies': arrays of structs need every field of one floating-point type (all double or all float)"));
}
