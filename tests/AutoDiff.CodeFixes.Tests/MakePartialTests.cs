using System.Threading.Tasks;
using Xunit;
using Verifier = AutoDiff.CodeFixes.Tests.CodeFixVerifier<AutoDiff.CodeFixes.MakePartialCodeFixProvider>;

namespace AutoDiff.CodeFixes.Tests;

/// <summary>ADIFF001: the type becomes partial, with its modifiers in order and its trivia kept.</summary>
public class MakePartialTests
{
    private static Task Verify(string title, string source, string fixedSource)
    {
        var test = Verifier.Create(source, fixedSource);
        test.CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title);
        return test.RunAsync();
    }

    [Fact]
    public Task PartialGoesAfterTheOtherModifiers() => Verify("Make 'Plain' partial", """
        using AutoDiff;
        public static class {|ADIFF001:Plain|}
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """, """
        using AutoDiff;
        public static partial class Plain
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """);

    [Fact]
    public Task TypeWithoutModifiersKeepsItsComments() => Verifier.Verify("""
        using AutoDiff;
        namespace N
        {
            // The functions.
            /* still the functions */ class {|ADIFF001:Functions|}
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """, """
        using AutoDiff;
        namespace N
        {
            // The functions.
            /* still the functions */ partial class Functions
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """);

    [Fact]
    public Task EnclosingTypeAndStruct() => Verifier.Verify("""
        using AutoDiff;
        public class {|ADIFF001:Outer|}
        {
            internal readonly struct {|ADIFF001:Inner|}
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """, """
        using AutoDiff;
        public partial class Outer
        {
            internal readonly partial struct Inner
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
        }
        """);

    [Fact]
    public Task FixAllMakesEveryTypePartial() => Verifier.Verify("""
        using AutoDiff;
        public static class {|ADIFF001:A|}
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }

        internal static class {|ADIFF001:B|}
        {
            [Differentiable]
            public static double G(double x) => x + x;
        }
        """, """
        using AutoDiff;
        public static partial class A
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }

        internal static partial class B
        {
            [Differentiable]
            public static double G(double x) => x + x;
        }
        """);
}
