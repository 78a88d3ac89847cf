using System.Threading.Tasks;
using AutoDiff;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>Every construct the catalogue lists as unsupported is named in its message, at its own span.</summary>
public class UnsupportedConstructTests
{
    // Pointers need unsafe code allowed.
    private static Task Verify(string source, params DiagnosticResult[] expected)
        => AnalyzerVerifier.Verify(new[] { source }, editorConfig: null, allowUnsafe: true, expected);

    private static DiagnosticResult Construct(int location, string what, string advice)
        => new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(location).WithArguments(what, advice);

    [Fact]
    public Task Statements() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, int n)
            {
                double s = 0;
                {|#0:lock (typeof(C)) { s += x; }|}
                {|#1:try { s += 1; } catch (Exception) { s = 0; }|}
                {|#2:using (var d = new System.IO.MemoryStream()) { s += x; }|}
                {|#3:switch (n) { case 1: s += x; break; default: s -= x; break; }|}
                {|#4:goto done;|}
                {|#5:done: s += 1;|}
                {|#6:throw new InvalidOperationException();|}
            }
        }
        """,
        Construct(0, "A 'lock' statement", "use assignments, if/else and return"),
        Construct(1, "A 'try' statement", "validate inputs before calling the method, and keep exceptions out of it"),
        Construct(2, "A 'using' statement", "use assignments, if/else and return"),
        Construct(3, "A 'switch' statement", "use if/else"),
        Construct(4, "A 'goto' statement", "use if/else and return"),
        Construct(5, "A labeled statement", "use assignments, if/else and return"),
        Construct(6, "A 'throw'", "validate inputs before calling the method, and keep exceptions out of it"));

    [Fact]
    public Task AssignmentsInsideExpressionsThatCannotKeepCSharpsOrder() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] a, double x)
            {
                int k = 0;
                double s = a[k] + a[{|#0:k++|}];
                while (a[{|#1:k++|}] < x) s += x;
                if (x > 0 && a[{|#2:k++|}] > 0) s += 1;
                double y = x;
                s += {|#3:y++|} * 2;
                s += a[++k];
                return s;
            }
        }
        """,
        Construct(0, "The assignment inside the expression 'a[k] + a[k++]', which also reads 'k'", "write the assignment as a statement of its own, so that the order of the reads is plain"),
        Construct(1, "The assignment inside the expression 'k++', in a part that runs conditionally or again (a loop's condition, a branch of ?:, the right of && or ||)", "write the assignment as a statement of its own"),
        Construct(2, "The assignment inside the expression 'k++', in a part that runs conditionally or again (a loop's condition, a branch of ?:, the right of && or ||)", "write the assignment as a statement of its own"),
        Construct(3, "The assignment inside the expression 'y++'", "write the assignment as a statement of its own"));

    [Fact]
    public Task ALocalArrayInALoopWhoseSizeTheLoopChanges() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] a)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    // A size the loop changes: one array made before the loop cannot stand for these.
                    var {|#0:prefix = new double[i + 1]|};
                    for (int j = 0; j <= i; j++) prefix[j] = a[j];
                    s += prefix[i] * a[i];
                }
                return s;
            }
        }
        """,
        Construct(0, "The array 'prefix' declared here",
            "initialise local arrays with new T[length] (or an initialiser at the top of the method body); inside a loop or branch, give them a size that nothing in the loop changes"));

    [Fact]
    public Task ExpressionsAndLocalFunctions() => Verify("""
        using System;
        using System.Linq;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static unsafe double F(double x, double[] values, int n)
            {
                Func<double, double> {|#0:square = v => v * x|};
                double s = {|#1:values.Sum()|} * x;
                double t = {|#2:n switch { 1 => x, _ => 2 * x }|};
                dynamic {|#3:d = x|};
                double y = x;
                double* {|#4:p = &y|};
                {|#5:double Local(double v) => v * s;|}
                return s + t;
            }
        }
        """,
        Construct(0, "A lambda that captures 'x'", Lambda),
        Construct(1, "The LINQ call 'Enumerable.Sum'", "write the loop (for or foreach over the array) yourself; AutoDiff differentiates loops"),
        Construct(2, "A 'switch' expression", "use ?: or if/else"),
        Construct(3, "A 'dynamic' local", "use double or float locals, whose operations AutoDiff knows"),
        Construct(4, "A pointer", "use arrays or spans, which AutoDiff differentiates element by element"),
        Construct(5, "A local function that captures 's'", Lambda));

    [Fact]
    public Task TuplesBeyondNumberValues() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                var {|#0:t = (x, "label")|};
                var u = (x, y);
                double e = {|#1:u == (1.0, 2.0)|} ? x : y;
                return e + {|#4:Sum(u)|};
            }

            [Differentiable]
            public static double Sum({|#2:(double, double) p|}) => p.Item1 + p.Item2;

            [Differentiable]
            public static {|#3:(double, double)|} Pair(double x) => (x, x);
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(0)
            .WithArguments("A local of type '(double x, string)'", "use double, float, int, long or bool locals"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(1)
            .WithArguments("'u == (1.0, 2.0)'", "use arithmetic, Math functions and calls to [Differentiable] methods"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedConstruct).WithLocation(4)
            .WithArguments("The call to 'Sum'", "parameter 'p' is a tuple; take its elements as separate parameters, or declare a struct"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(2)
            .WithArguments("Parameter 'p'", "Sum", "(double, double)", "parameter 'p' is a tuple; take its elements as separate parameters, or declare a struct"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedSignature).WithLocation(3)
            .WithArguments("The return type", "Pair", "(double, double)", "a tuple cannot be returned; return a struct, or a double"));

    private const string Lambda = "differentiated values cannot flow through delegates; write the code inline, or as a static [Differentiable] method and call it";

    [Fact]
    public Task AsyncAndIteratorMethods() => Verify("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static async Task<double> {|#0:F|}(double x)
            {
                await Task.Yield();
                return x * x;
            }

            [Differentiable]
            public static IEnumerable<double> {|#1:G|}(double x)
            {
                yield return x;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedMethodShape).WithLocation(0)
            .WithArguments("F", "async methods cannot be differentiated; make it synchronous and await outside it"),
        new DiagnosticResult(DiagnosticDescriptors.UnsupportedMethodShape).WithLocation(1)
            .WithArguments("G", "iterators (yield return) cannot be differentiated; return an array, or write the values into a Span<T> parameter"));

    [Fact]
    public Task CallsOfVectorValuedMethodsThatCannotBeDifferentiatedAsWritten() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static void Fill(ReadOnlySpan<double> x, Span<double> y)
            {
                for (int i = 0; i < y.Length; i++) y[i] = x[i] * x[i];
            }

            [Differentiable]
            public static double F(double[] a, double[] b)
            {
                var local = new double[a.Length];
                Fill(a, local);
                Fill(a, {|#0:b|});
                Fill(local, {|#1:local|});
                Fill(a, {|#2:a.AsSpan(1)|});
                Fill(a, {|#3:local[1..]|});
                return local[0];
            }
        }
        """,
        Construct(0, "A write into the elements of the parameter 'b' (through the call to 'C.Fill')",
            "a method may write into its array parameters itself, but not through a call yet: copy into a local array (new T[n]) and pass that, or take the results in a Span<T> parameter"),
        Construct(1, "Passing 'local' to 'C.Fill' both as the output 'y' and as another argument",
            "pass a copy for one of them: the derivatives need the output's contents before the call apart from its inputs"),
        Construct(2, "A write into the elements of the parameter 'a' (through the call to 'C.Fill')",
            "a method may write into its array parameters itself, but not through a call yet: copy into a local array (new T[n]) and pass that, or take the results in a Span<T> parameter"),
        Construct(3, "The range 'local[1..]' for the output 'y' of 'C.Fill'", "a range of an array is a copy, which would receive the results: pass array.AsSpan(start, length)"));

    [Fact]
    public Task SpanLocalsThatCannotBeDifferentiatedAsWritten() => Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            static double Total(ReadOnlySpan<double> v) => v[0];

            [Differentiable]
            public static double F(double[] a, double[] b)
            {
                ReadOnlySpan<double> view = a.AsSpan(1);
                {|#0:view = b|};
                view = a.AsSpan(2);
                ReadOnlySpan<double> {|#1:made = b.Length > 2 ? a : b|};
                double s = {|#2:Total(view)|};
                return view[0] + s + made[0];
            }
        }
        """,
        Construct(0, "Assigning the span 'view' a view of something other than 'a', which it views,",
            "a span local moves over the one array or span it is declared on: declare another span local for a view of another"),
        Construct(1, "The span 'made' declared here",
            "declare a span local as a slice of an array or span parameter or local (x.AsSpan(start, length), s.Slice(start, length), s[i..j]) or as the whole of one"),
        Construct(2, "The call to 'C.Total' with a span local", "pass span locals to [Differentiable] methods only, or index them and take their Length"));

    [Fact]
    public Task CallsThatWriteIndexArraysInsideExpressions() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double Take(double[] x, bool[] taken)
            {
                taken[0] = true;
                return x[0];
            }

            [Differentiable]
            public static double F(double[] x, bool[] flags)
            {
                var taken = new bool[x.Length];
                double first = Take(x, taken);
                double s = 2 * {|#0:Take(x, taken)|};
                Take(x, flags);
                return first + s + {|#1:Take(x, taken)|} + {|#2:Take(x, flags)|};
            }
        }
        """,
        Construct(0, "The call to 'C.Take', which writes the array it is given for 'taken', inside an expression",
            "call it in a statement of its own (detS = DetOfMinor(...);), so that the derivatives can keep the array's contents around it"),
        Construct(1, "The call to 'C.Take', which writes the array it is given for 'taken', inside an expression",
            "call it in a statement of its own (detS = DetOfMinor(...);), so that the derivatives can keep the array's contents around it"),
        Construct(2, "The call to 'C.Take', which writes the array it is given for 'taken', inside an expression",
            "call it in a statement of its own (detS = DetOfMinor(...);), so that the derivatives can keep the array's contents around it"));

    [Fact]
    public Task CallsOfMethodsThatUpdateADoubleArrayInPlace() => Verify("""
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double Smooth(double[] v)
            {
                for (int i = 1; i < v.Length; i++) v[i] += 0.5 * v[i - 1];
                return v[v.Length - 1];
            }

            [Differentiable]
            public static double F(double[] x)
            {
                var v = new double[x.Length];
                for (int i = 0; i < x.Length; i++) v[i] = x[i];
                return {|#0:Smooth(v)|};
            }
        }
        """,
        Construct(0, "The call to 'C.Smooth', which updates its parameter 'v' in place,",
            "calls to methods that write into a double[] or float[] they are given are not supported yet; write the results into a Span<T> parameter, or copy the array into a local first in the callee"));
}
