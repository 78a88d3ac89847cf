using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Xunit;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>Reverse mode on IR alone: pullbacks run in <see cref="IrInterpreter"/>, checked by finite differences.</summary>
public class ReverseModeTests
{
    private const string Type = "global::T";

    private static void CheckAtRandomPoints(IrMethod method, IrInterpreter? interpreter = null, int points = 40, double low = -2, double high = 2, int seed = 1)
    {
        interpreter ??= new IrInterpreter();
        var backward = ReverseMode.Differentiate(method);
        interpreter.Register(Type, method);
        interpreter.Register(Type, backward);
        var random = new Random(seed);
        int smooth = 0;
        for (int i = 0; i < points; i++)
        {
            var point = method.Parameters.Select(_ => low + (high - low) * random.NextDouble()).ToArray();
            if (IrGradientCheck.Check(interpreter, method, backward, point) == IrGradientCheck.Outcome.Checked) smooth++;
        }
        Assert.True(smooth >= points * 3 / 4, $"Only {smooth} of {points} points were away from kinks.");
    }

    [Fact]
    public void ProductAndSine()
        => CheckAtRandomPoints(Method("F", new[] { "x", "y" }, Ret(Ir.Add(Ir.Mul(V("x"), V("y")), M(MathFunction.Sin, V("x"))))));

    [Fact]
    public void OverwrittenLocalIsRestoredFromItsSaveSlot()
    {
        // t = x*y; t = t*t + x; t = sin(t)*t; return t*x: each overwrite destroys a value the reverse sweep needs.
        var method = Method("F", new[] { "x", "y" },
            Let("t", Ir.Mul(V("x"), V("y"))),
            Set("t", Ir.Add(Ir.Mul(V("t"), V("t")), V("x"))),
            Set("t", Ir.Mul(M(MathFunction.Sin, V("t")), V("t"))),
            Ret(Ir.Mul(V("t"), V("x"))));
        CheckAtRandomPoints(method, low: -1, high: 1);
    }

    [Fact]
    public void RunningSumNeedsNoSaveSlot()
    {
        // s = x; s += x*y; s += sin(y): the reverse sweep never reads s, so nothing is saved.
        var method = Method("F", new[] { "x", "y" },
            Let("s", V("x")),
            Set("s", Ir.Add(V("s"), Ir.Mul(V("x"), V("y")))),
            Set("s", Ir.Add(V("s"), M(MathFunction.Sin, V("y")))),
            Ret(V("s")));
        var backward = ReverseMode.Differentiate(method);
        var declared = new List<string>();
        Ir.ForEachStatement(backward.Body, s => { if (s is IrDeclare d) declared.Add(d.Name); });
        Assert.DoesNotContain(declared, name => name.Contains("saved"));
        CheckAtRandomPoints(method);
    }

    [Fact]
    public void CountedLoopWithRunningSumNeedsNoTape()
    {
        // s = x; for (i = 0; i < 5; i++) s += x * y * i: the index comes back as start + k, and s is never read.
        var i = Ir.Var(IrType.Int32, "i");
        var method = Method("F", new[] { "x", "y" },
            Let("s", V("x")),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            new IrLoop(Ir.Compare(BinaryOp.Less, i, Ir.Lit(IrType.Int32, 5)),
                IrBlock.Of(Set("s", Ir.Add(V("s"), Ir.Mul(Ir.Mul(V("x"), V("y")), Ir.Convert(D, i))))),
                IrBlock.Of(Set("i", new IrBinary(IrType.Int32, BinaryOp.Add, i, Ir.Lit(IrType.Int32, 1))))),
            Ret(V("s")));
        var backward = ReverseMode.Differentiate(method);
        var statements = new List<IrStatement>();
        Ir.ForEachStatement(backward.Body, statements.Add);
        Assert.DoesNotContain(statements, s => s is IrTapeRent or IrTapePush);
        var (_, gradient) = IrGradientCheck.RunPullback(new IrInterpreter(), method, backward, new[] { 0.5, -2.0 });
        Assert.Equal(new[] { 1 + -2.0 * 10, 0.5 * 10 }, gradient);
    }

    [Fact]
    public void LoopOverwritingWhatTheReverseSweepReadsUsesTheTape()
    {
        // p = 1; for (i = 0; i < 4; i++) p = p * x: each iteration's p is needed; d(x^4)/dx = 4x^3.
        var i = Ir.Var(IrType.Int32, "i");
        var method = Method("F", new[] { "x" },
            Let("p", L(1)),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            new IrLoop(Ir.Compare(BinaryOp.Less, i, Ir.Lit(IrType.Int32, 4)),
                IrBlock.Of(Set("p", Ir.Mul(V("p"), V("x")))),
                IrBlock.Of(Set("i", new IrBinary(IrType.Int32, BinaryOp.Add, i, Ir.Lit(IrType.Int32, 1))))),
            Ret(V("p")));
        var backward = ReverseMode.Differentiate(method);
        var statements = new List<IrStatement>();
        Ir.ForEachStatement(backward.Body, statements.Add);
        Assert.Contains(statements, s => s is IrTapePush);
        var (_, gradient) = IrGradientCheck.RunPullback(new IrInterpreter(), method, backward, new[] { 1.5 });
        Assert.Equal(4 * Math.Pow(1.5, 3), gradient[0], 12);
    }

    private static IrLoop CountedLoop(string index, int count, IrBlock body)
    {
        var i = Ir.Var(IrType.Int32, index);
        return new IrLoop(Ir.Compare(BinaryOp.Less, i, Ir.Lit(IrType.Int32, count)), body,
            IrBlock.Of(Set(index, new IrBinary(IrType.Int32, BinaryOp.Add, i, Ir.Lit(IrType.Int32, 1)))));
    }

    private static List<IrStatement> StatementsOf(IrMethod method)
    {
        var statements = new List<IrStatement>();
        Ir.ForEachStatement(method.Body, statements.Add);
        return statements;
    }

    /// <summary>h = new double[4]; for (i...) h[i] = exp(x · i) (+ h[i − 1] · y when <paramref name="readsPrevious"/>); return Σ h[i]·h[i]… by a second loop.</summary>
    private static IrMethod FillsALocalArray(bool nested, bool readsPrevious)
    {
        var array = D.WithShape(TypeShape.Array);
        var h = Ir.Var(array, "h");
        var i = Ir.Var(IrType.Int32, "i");
        var di = Ir.Convert(D, i);
        IrExpr value = M(MathFunction.Exp, Ir.Mul(V("x"), di));
        if (readsPrevious)
        {
            var previous = new IrElement(D, h, new IrBinary(IrType.Int32, BinaryOp.Subtract, i, Ir.Lit(IrType.Int32, 1)));
            value = Ir.Add(value, Ir.Mul(new IrConditional(D, Gt(i, Ir.Lit(IrType.Int32, 0)), previous, L(0)), V("y")));
        }
        IrStatement fill = new IrAssignElement("h", i, value);
        var body = new List<IrStatement>
        {
            new IrDeclare(array, "h", new IrNewArray(array, Ir.Lit(IrType.Int32, 4))),
            Let("s", L(0)),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
        };
        if (nested)
        {
            // The same elements written again by an outer loop: their old values are not zero the second time.
            body.Add(new IrDeclare(IrType.Int32, "r", Ir.Lit(IrType.Int32, 0)));
            body.Add(CountedLoop("r", 2, IrBlock.Of(Set("i", Ir.Lit(IrType.Int32, 0)), CountedLoop("i", 4, IrBlock.Of(fill)))));
        }
        else
        {
            body.Add(CountedLoop("i", 4, IrBlock.Of(fill)));
        }
        body.Add(new IrDeclare(IrType.Int32, "j", Ir.Lit(IrType.Int32, 0)));
        var hj = new IrElement(D, h, Ir.Var(IrType.Int32, "j"));
        body.Add(CountedLoop("j", 4, IrBlock.Of(Set("s", Ir.Add(V("s"), Ir.Mul(Ir.Mul(hj, hj), V("y")))))));
        body.Add(Ret(M(MathFunction.Log, V("s"))));
        return Method("F", new[] { "x", "y" }, body.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALoopFillingAFreshLocalArrayByItsIndexNeedsNoTape(bool readsPrevious)
    {
        // Each element is written once, from the zero of new double[4]: the reverse sweep restores a zero, saves no element.
        // (With h[i − 1] in the value, exp(x·i) goes into a temporary first, which the tape still keeps.)
        var method = FillsALocalArray(nested: false, readsPrevious);
        var backward = ReverseMode.Differentiate(method);
        Assert.DoesNotContain(StatementsOf(backward), s => s is IrTapePush { Value: IrElement { Sequence.Name: "h" } });
        if (!readsPrevious) Assert.DoesNotContain(StatementsOf(backward), s => s is IrTapePush);
        Assert.Contains(StatementsOf(backward), s => s is IrAssignElement { Sequence: "h", Value: IrLiteral { Value: 0 } });
        CheckAtRandomPoints(method, low: 0.1, high: 0.6);
    }

    [Fact]
    public void ALocalArrayFilledAgainByAnOuterLoopIsTaped()
    {
        var method = FillsALocalArray(nested: true, readsPrevious: true);
        var backward = ReverseMode.Differentiate(method);
        Assert.Contains(StatementsOf(backward), s => s is IrTapePush { Value: IrElement { Sequence.Name: "h" } });
        CheckAtRandomPoints(method, low: 0.1, high: 0.6);
    }

    [Fact]
    public void TheKernelFormRecomputesTranscendentalLoopValuesThatTheCpuFormTapes()
    {
        // p = 1; for (i...) { e = exp(x · i); p = p · e + y; } return p: e is read by p's reverse. The CPU pullback tapes it;
        // the kernel form (plainCalls) computes exp again in each reverse iteration, and tapes only p.
        var di = Ir.Convert(D, Ir.Var(IrType.Int32, "i"));
        var method = Method("F", new[] { "x", "y" },
            Let("p", L(1)),
            new IrDeclare(D, "e", null),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("i", 4, IrBlock.Of(
                Set("e", M(MathFunction.Exp, Ir.Mul(V("x"), di))),
                Set("p", Ir.Add(Ir.Mul(V("p"), V("e")), V("y"))))),
            Ret(V("p")));
        var cpu = ReverseMode.Differentiate(method);
        var kernel = ReverseMode.Differentiate(method, plainCalls: true);
        Assert.Contains(StatementsOf(cpu), s => s is IrTapePush { Value: IrVariable { Name: "e" } });
        Assert.DoesNotContain(StatementsOf(kernel), s => s is IrTapePush { Value: IrVariable { Name: "e" } });
        Assert.Contains(StatementsOf(kernel), s => s is IrTapePush { Value: IrVariable { Name: "p" } });
        var interpreter = new IrInterpreter();
        interpreter.Register(Type, method);
        interpreter.Register(Type, kernel);
        var random = new Random(3);
        for (int k = 0; k < 20; k++)
        {
            var point = new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5 };
            Assert.Equal(IrGradientCheck.Outcome.Checked, IrGradientCheck.Check(interpreter, method, kernel, point));
        }
    }

    [Fact]
    public void CheapLoopValuesAreRecomputedInsteadOfTaped()
    {
        // for (i...) { a = x - i; b = a * y; s += a * b + b * b; } return s * s: a and b are rebuilt from x, y and i in each
        // reverse iteration, so nothing goes on the tape. (With return s, the loop would be fused.)
        var di = Ir.Convert(D, Ir.Var(IrType.Int32, "i"));
        var method = Method("F", new[] { "x", "y" },
            Let("s", L(0)),
            new IrDeclare(D, "a", null),
            new IrDeclare(D, "b", null),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("i", 4, IrBlock.Of(
                Set("a", Ir.Sub(V("x"), di)),
                Set("b", Ir.Mul(V("a"), V("y"))),
                Set("s", Ir.Add(V("s"), Ir.Add(Ir.Mul(V("a"), V("b")), Ir.Mul(V("b"), V("b"))))))),
            Ret(Ir.Mul(V("s"), V("s"))));
        var backward = ReverseMode.Differentiate(method);
        Assert.DoesNotContain(StatementsOf(backward), s => s is IrTapeRent or IrTapePush);
        Assert.Equal(2, StatementsOf(backward).Count(s => s is IrLoop));
        CheckAtRandomPoints(method);
    }

    [Fact]
    public void LoopValueReadBeforeItsAssignmentIsTaped()
    {
        // for (i...) { s += a * x; a = x * y * i; }: each iteration reads the previous iteration's a, so a is taped, and the
        // loop keeps its reverse loop (it is not fused, though the code after it is linear in s).
        var method = Method("F", new[] { "x", "y" },
            Let("s", L(0)),
            Let("a", L(1)),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("i", 4, IrBlock.Of(
                Set("s", Ir.Add(V("s"), Ir.Mul(V("a"), V("x")))),
                Set("a", Ir.Mul(Ir.Mul(V("x"), V("y")), Ir.Convert(D, Ir.Var(IrType.Int32, "i")))))),
            Ret(V("s")));
        var backward = ReverseMode.Differentiate(method);
        Assert.Contains(StatementsOf(backward), s => s is IrTapePush);
        Assert.Equal(2, LoopCount(backward));
        CheckAtRandomPoints(method);
    }

    [Fact]
    public void InnerLoopValuesAreRecomputedFromTheOuterIndex()
    {
        // for (i...) { u = x * i; for (j...) { a = u + y * j; s += a * a; } }: a is rebuilt from the outer u and index.
        var di = Ir.Convert(D, Ir.Var(IrType.Int32, "i"));
        var dj = Ir.Convert(D, Ir.Var(IrType.Int32, "j"));
        var method = Method("F", new[] { "x", "y" },
            Let("s", L(0)),
            new IrDeclare(D, "u", null),
            new IrDeclare(D, "a", null),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("i", 3, IrBlock.Of(
                Set("u", Ir.Mul(V("x"), di)),
                new IrDeclare(IrType.Int32, "j", Ir.Lit(IrType.Int32, 0)),
                CountedLoop("j", 3, IrBlock.Of(
                    Set("a", Ir.Add(V("u"), Ir.Mul(V("y"), dj))),
                    Set("s", Ir.Add(V("s"), Ir.Mul(V("a"), V("a")))))))),
            Ret(V("s")));
        var backward = ReverseMode.Differentiate(method);
        Assert.DoesNotContain(StatementsOf(backward), s => s is IrTapePush { Value: IrVariable { Name: "a" } });
        CheckAtRandomPoints(method);
    }

    [Fact]
    public void RunningSumIsNotTapedInsideItsLoop()
    {
        // for (o...) { s = 0; for (i...) s += x * i + y; r += s * s; } return r * r: the reverse sweep reads s only after the
        // inner loop, so only the reset pushes s (once per outer iteration), not every accumulation. (With return r, the
        // outer loop would be fused and push nothing.)
        var di = Ir.Convert(D, Ir.Var(IrType.Int32, "i"));
        var method = Method("F", new[] { "x", "y" },
            Let("r", L(0)),
            new IrDeclare(D, "s", null),
            new IrDeclare(IrType.Int32, "o", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("o", 3, IrBlock.Of(
                Set("s", L(0)),
                new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
                CountedLoop("i", 4, IrBlock.Of(Set("s", Ir.Add(V("s"), Ir.Add(Ir.Mul(V("x"), di), V("y")))))),
                Set("r", Ir.Add(V("r"), Ir.Mul(V("s"), V("s")))))),
            Ret(Ir.Mul(V("r"), V("r"))));
        var backward = ReverseMode.Differentiate(method);
        Assert.Single(StatementsOf(backward), st => st is IrTapePush { Value: IrVariable { Name: "s" } });
        CheckAtRandomPoints(method);
    }

    [Fact]
    public void SaveSlotIsUsedWhenTheOldValueIsRead()
    {
        var method = Method("F", new[] { "x" },
            Let("s", Ir.Mul(V("x"), V("x"))),
            Let("u", Ir.Mul(V("s"), V("x"))),
            Set("s", Ir.Mul(V("u"), V("s"))),
            Ret(V("s")));
        var backward = ReverseMode.Differentiate(method);
        var declared = new List<string>();
        Ir.ForEachStatement(backward.Body, s => { if (s is IrDeclare d) declared.Add(d.Name); });
        Assert.Contains(declared, name => name.Contains("saved"));
        CheckAtRandomPoints(method);
    }

    [Fact]
    public void ReassignedParameter()
        => CheckAtRandomPoints(Method("F", new[] { "x", "y" },
            Set("x", Ir.Mul(V("x"), V("x"))),
            Set("x", Ir.Add(V("x"), M(MathFunction.Exp, Ir.Mul(V("x"), V("y"))))),
            Ret(Ir.Mul(V("x"), V("y")))), low: -1, high: 1);

    [Fact]
    public void EarlyReturnInNestedIfWithCodeAfterIt()
    {
        // if (x > 0) { if (y > 0) return x*y; t = t + x; } t = t*y; return t;
        var method = Method("F", new[] { "x", "y" },
            Let("t", Ir.Mul(V("x"), L(3))),
            If(Gt(V("x"), L(0)), new[]
            {
                If(Gt(V("y"), L(0)), new[] { Ret(Ir.Mul(V("x"), V("y"))) }),
                Set("t", Ir.Add(V("t"), M(MathFunction.Sin, V("x")))),
            }),
            Set("t", Ir.Mul(V("t"), V("y"))),
            Ret(V("t")));
        CheckAtRandomPoints(method, points: 80);
    }

    [Fact]
    public void ReturnInOneBranchThenMoreStatements()
    {
        var method = Method("F", new[] { "x" },
            If(Gt(V("x"), L(0.5)), new[] { Ret(M(MathFunction.Exp, V("x"))) }),
            Let("y", Ir.Mul(V("x"), V("x"))),
            Ret(Ir.Add(V("y"), V("x"))));
        CheckAtRandomPoints(method, points: 60);
    }

    [Fact]
    public void ConditionalExpressionInsideArithmetic()
        => CheckAtRandomPoints(Method("F", new[] { "x", "y" },
            Ret(Ir.Mul(V("y"), new IrConditional(D, Gt(V("x"), V("y")), M(MathFunction.Log, Ir.Add(L(3), V("x"))), Ir.Mul(V("x"), V("x")))))),
            points: 60);

    [Fact]
    public void CallsThroughTheCalleesPullback()
    {
        var interpreter = new IrInterpreter();
        var g = Method("G", new[] { "a", "b" }, Ret(Ir.Mul(M(MathFunction.Sin, V("a")), V("b"))));
        interpreter.Register(Type, g);
        interpreter.Register(Type, ReverseMode.Differentiate(g));
        var gRef = new IrMethodRef(Type, "G", true, Params(D, D));
        // F(x, y) = G(x, x) + G(y*y, 2) * x
        var f = Method("F", new[] { "x", "y" },
            Ret(Ir.Add(
                new IrCall(D, gRef, EquatableArray.Of(new IrArgument(V("x")), new IrArgument(V("x")))),
                Ir.Mul(new IrCall(D, gRef, EquatableArray.Of(new IrArgument(Ir.Mul(V("y"), V("y"))), new IrArgument(L(2)))), V("x")))));
        CheckAtRandomPoints(f, interpreter);
    }

    [Fact]
    public void RecursionThroughOwnPullback()
    {
        // P(x, n) = n <= 0 ? 1 : x * P(x, n - 1), with an int counter.
        var interpreter = new IrInterpreter();
        var self = new IrMethodRef(Type, "P", true, Params(D, IrType.Int32));
        var n = Ir.Var(IrType.Int32, "n");
        var method = new IrMethod("P", D, EquatableArray.Of(new IrParameter("x", D), new IrParameter("n", IrType.Int32)), IrBlock.Of(
            If(Ir.Compare(BinaryOp.LessOrEqual, n, Ir.Lit(IrType.Int32, 0)), new[] { Ret(L(1)) }),
            Ret(Ir.Mul(V("x"), new IrCall(D, self, EquatableArray.Of(new IrArgument(V("x")), new IrArgument(new IrBinary(IrType.Int32, BinaryOp.Subtract, n, Ir.Lit(IrType.Int32, 1)))))))));
        var backward = ReverseMode.Differentiate(method);
        interpreter.Register(Type, method);
        interpreter.Register(Type, backward);
        var (value, gradient) = IrGradientCheck.RunPullback(interpreter, method, backward, new[] { 1.5, 4 });
        Assert.Equal(Math.Pow(1.5, 4), value, 12);
        Assert.Equal(4 * Math.Pow(1.5, 3), gradient[0], 12);
    }

    [Fact]
    public void FloatMethod()
    {
        var f = IrType.Single;
        var x = Ir.Var(f, "x");
        var method = new IrMethod("F", f, EquatableArray.Of(new IrParameter("x", f)), IrBlock.Of(
            new IrReturn(Ir.Mul(Ir.Math(MathFunction.Tanh, x), Ir.Convert(f, Ir.Mul(Ir.Convert(D, x), L(3)))))));
        var backward = ReverseMode.Differentiate(method);
        var interpreter = new IrInterpreter();
        foreach (var point in new[] { -1.3, -0.2, 0.4, 1.1 })
        {
            var (_, gradient) = IrGradientCheck.RunPullback(interpreter, method, backward, new[] { point });
            float xf = (float)point;
            double expected = 3 * xf * (1 - Math.Tanh(xf) * Math.Tanh(xf)) + 3 * Math.Tanh(xf);
            Assert.Equal(expected, gradient[0], 5);
        }
    }

    public static IEnumerable<object[]> MathFunctions() => new (MathFunction Function, double Low, double High)[]
    {
        (MathFunction.Exp, -2, 2), (MathFunction.Log, 0.2, 3), (MathFunction.Log10, 0.2, 3), (MathFunction.Log2, 0.2, 3),
        (MathFunction.Sqrt, 0.2, 3), (MathFunction.Cbrt, 0.2, 3), (MathFunction.Sin, -3, 3), (MathFunction.Cos, -3, 3),
        (MathFunction.Tan, -1.2, 1.2), (MathFunction.Asin, -0.9, 0.9), (MathFunction.Acos, -0.9, 0.9), (MathFunction.Atan, -3, 3),
        (MathFunction.Sinh, -2, 2), (MathFunction.Cosh, -2, 2), (MathFunction.Tanh, -2, 2), (MathFunction.Abs, -2, 2),
    }.Select(c => new object[] { c.Function.ToString(), c.Low, c.High });

    [Theory]
    [MemberData(nameof(MathFunctions))]
    public void UnaryMathFunction(string name, double low, double high)
    {
        // f(x, y) = g(x) * y + g(x * 0.5): the rule is reached with a compound seed and with a compound argument.
        var function = Enum.Parse<MathFunction>(name);
        CheckAtRandomPoints(Method("F", new[] { "x", "y" },
            Ret(Ir.Add(Ir.Mul(M(function, V("x")), V("y")), M(function, Ir.Mul(V("x"), L(0.5)))))), low: low, high: high);
    }

    [Theory]
    [InlineData("Pow", 0.3, 2.0)]
    [InlineData("Atan2", -2.0, 2.0)]
    [InlineData("Max", -2.0, 2.0)]
    [InlineData("Min", -2.0, 2.0)]
    [InlineData("LogBase", 1.5, 4.0)]
    public void BinaryMathFunction(string name, double low, double high)
        => CheckAtRandomPoints(Method("F", new[] { "x", "y" }, Ret(Ir.Mul(M(Enum.Parse<MathFunction>(name), V("x"), V("y")), V("x")))), low: low, high: high);

    [Fact]
    public void Clamp()
        => CheckAtRandomPoints(Method("F", new[] { "x", "lo", "hi" },
            Ret(Ir.Mul(M(MathFunction.Clamp, Ir.Mul(V("x"), L(3)), Ir.Sub(V("lo"), L(2)), Ir.Add(V("hi"), L(2))), V("x")))), points: 80, low: -1, high: 1);

    [Fact]
    public void PowWithConstantExponentAtZero()
    {
        // d/dx x^3 at x = 0 is 0, and the rule must not divide by x.
        var method = Method("F", new[] { "x" }, Ret(M(MathFunction.Pow, V("x"), L(3))));
        var (_, gradient) = IrGradientCheck.RunPullback(new IrInterpreter(), method, ReverseMode.Differentiate(method), new[] { 0.0 });
        Assert.Equal(0.0, gradient[0]);
    }

    [Fact]
    public void PiecewiseConstantFunctionsHaveZeroDerivative()
    {
        foreach (var function in new[] { MathFunction.Floor, MathFunction.Ceiling, MathFunction.Round, MathFunction.Truncate })
        {
            var method = Method("F", new[] { "x" }, Ret(Ir.Add(V("x"), M(function, Ir.Mul(V("x"), L(3))))));
            var (_, gradient) = IrGradientCheck.RunPullback(new IrInterpreter(), method, ReverseMode.Differentiate(method), new[] { 0.37 });
            Assert.Equal(1.0, gradient[0]);
        }
    }

    [Fact]
    public void ExcludedParameterAndStoppedValueAreConstants()
    {
        // F(x, c) = x·c + WithoutDerivative(x·x), with c marked [NoDerivative]: ∂F/∂x = c, and c has no adjoint.
        var method = new IrMethod("F", D,
            EquatableArray.Of(new IrParameter("x", D), new IrParameter("c", D) { NoDerivative = true }),
            IrBlock.Of(Ret(Ir.Add(Ir.Mul(V("x"), V("c")), new IrStopDerivative(D, Ir.Mul(V("x"), V("x")))))));
        var backward = ReverseMode.Differentiate(method);
        Assert.Equal(new[] { "x", "c", "seed", "dX" }, backward.Parameters.Select(p => p.Name));
        var (value, gradient) = IrGradientCheck.RunPullback(new IrInterpreter(), method, backward, new[] { 3.0, 0.5 });
        Assert.Equal(3.0 * 0.5 + 9.0, value);
        Assert.Equal(new[] { 0.5 }, gradient);

        var tangent = ForwardMode.Differentiate(method);
        Assert.Equal(new[] { "x", "c", "xTangent", "resultTangent" }, tangent.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void PullbackAccumulatesAndScalesWithTheSeed()
    {
        var method = Method("F", new[] { "x", "y" }, Ret(Ir.Mul(M(MathFunction.Exp, V("x")), V("y"))));
        var backward = ReverseMode.Differentiate(method);
        var interpreter = new IrInterpreter();
        var dx = new IrInterpreter.Box(10);
        var dy = new IrInterpreter.Box(-1);
        interpreter.Invoke(backward, new IrInterpreter.Box(0.5), new IrInterpreter.Box(2), new IrInterpreter.Box(2.5), dx, dy);
        Assert.Equal(10 + 2.5 * Math.Exp(0.5) * 2, dx.Value, 12);
        Assert.Equal(-1 + 2.5 * Math.Exp(0.5), dy.Value, 12);
    }

    /// <param name="seed">The random programs' seed.</param>
    /// <param name="indexFamily">Whether programs keep integers the reverse sweep must see as they were (see
    /// <see cref="RandomProgramGenerator.IndexFamily"/>).</param>
    [Theory]
    [InlineData(20261129, false)]
    [InlineData(20261208, true)]
    public void RandomProgramsMatchFiniteDifferences(int seed, bool indexFamily)
    {
        var random = new Random(seed);
        int programs = 0, checkedPoints = 0;
        for (int i = 0; i < RandomProgramGenerator.ProgramCount; i++)
        {
            var interpreter = new IrInterpreter();
            var generator = new RandomProgramGenerator(random) { IndexFamily = indexFamily };
            var helper = generator.Method("G", new[] { "a", "b" }, callee: null);
            var helperBackward = ReverseMode.Differentiate(helper);
            interpreter.Register(Type, helper);
            interpreter.Register(Type, helperBackward);
            var arrayHelper = RandomProgramGenerator.ArrayHelper(Type);
            interpreter.Register(Type, arrayHelper);
            interpreter.Register(Type, ReverseMode.Differentiate(arrayHelper));
            var method = generator.Method("F", new[] { "x", "y", "z" }, callee: new IrMethodRef(Type, "G", true, Params(D, D)),
                arrayCallee: RandomProgramGenerator.ArrayHelperReference(Type));
            IrMethod backward;
            try
            {
                backward = ReverseMode.Differentiate(method);
            }
            catch (Exception e)
            {
                throw new Exception($"Differentiation failed for program {i}: {method}", e);
            }
            interpreter.Register(Type, method);
            interpreter.Register(Type, backward);
            for (int p = 0; p < 4; p++)
            {
                var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
                try
                {
                    if (IrGradientCheck.Check(interpreter, method, backward, point, tolerance: 1e-5) == IrGradientCheck.Outcome.Checked) checkedPoints++;
                }
                catch (Exception e)
                {
                    throw new Exception($"Program {i}:\n{Print(method)}\nPullback:\n{Print(backward)}", e);
                }
            }
            programs++;
        }
        Assert.Equal(RandomProgramGenerator.ProgramCount, programs);
        Assert.True(checkedPoints >= RandomProgramGenerator.ProgramCount * 4 * 8 / 10, $"Only {checkedPoints} of {RandomProgramGenerator.ProgramCount * 4} points were away from kinks.");
    }

    internal static string Print(IrMethod method)
    {
        var writer = new Emission.SourceWriter();
        Emission.CSharpWriter.WriteBlock(writer, method.Body);
        return writer.ToString();
    }

    /// <summary>The loops of the pullback's body, nested ones included.</summary>
    private static int LoopCount(IrMethod method) => StatementsOf(method).Count(s => s is IrLoop);

    /// <summary>for (i...) { a = x - i; b = a * y; s += a * b + b * b; } then <paramref name="result"/>(s).</summary>
    private static IrMethod SumOfIterations(IrExpr result, params IrStatement[] after)
    {
        var di = Ir.Convert(D, Ir.Var(IrType.Int32, "i"));
        var statements = new List<IrStatement>
        {
            Let("s", L(0)),
            new IrDeclare(D, "a", null),
            new IrDeclare(D, "b", null),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("i", 4, IrBlock.Of(
                Set("a", Ir.Sub(V("x"), di)),
                Set("b", Ir.Mul(M(MathFunction.Exp, V("a")), V("y"))),
                Set("s", Ir.Add(V("s"), Ir.Add(Ir.Mul(V("a"), V("b")), Ir.Mul(V("b"), V("b"))))))),
        };
        statements.AddRange(after);
        statements.Add(Ret(result));
        return Method("F", new[] { "x", "y" }, statements.ToArray());
    }

    [Fact]
    public void LoopFollowedByLinearCodeRunsItsReverseInside()
    {
        // return 0.5 * s / y: s's adjoint at the loop's end, 0.5 / y, is known before the loop, so each iteration's
        // reverse statements run inside the loop; nothing is taped, even exp(a).
        var method = SumOfIterations(Ir.Div(Ir.Mul(L(0.5), V("s")), V("y")));
        var backward = ReverseMode.Differentiate(method);
        Assert.Equal(1, LoopCount(backward));
        Assert.DoesNotContain(StatementsOf(backward), s => s is IrTapeRent or IrTapePush);
        CheckAtRandomPoints(method, low: 0.5, high: 2);
    }

    [Fact]
    public void LoopFollowedByLinearCodeThroughLocalsIsFused()
    {
        // m = s * y; t = m - x; return t + s: the adjoint of s is y + 1, through two locals.
        var method = SumOfIterations(Ir.Add(V("t"), V("s")),
            Let("m", Ir.Mul(V("s"), V("y"))),
            Let("t", Ir.Sub(V("m"), V("x"))));
        Assert.Equal(1, LoopCount(ReverseMode.Differentiate(method)));
        CheckAtRandomPoints(method);
    }

    [Theory]
    [InlineData("log")]
    [InlineData("square")]
    [InlineData("coefficient written after the loop")]
    public void LoopFollowedByNonlinearCodeKeepsItsReverseLoop(string after)
    {
        var method = after switch
        {
            "log" => SumOfIterations(M(MathFunction.Log, Ir.Mul(V("s"), V("s")))),
            "square" => SumOfIterations(Ir.Mul(V("s"), V("s"))),
            _ => SumOfIterations(Ir.Mul(V("s"), V("c")), Let("c", Ir.Mul(V("x"), V("x")))),
        };
        var backward = ReverseMode.Differentiate(method);
        Assert.Equal(2, LoopCount(backward));
        CheckAtRandomPoints(method, low: 0.5, high: 2);
    }

    [Fact]
    public void SecondLoopReadingTheFirstLoopsResultIsFusedAndTheFirstIsNot()
    {
        // mean = (Σ x·i) / 4; var = Σ (x·i·y - mean)²; return var: the first loop's sum reaches the result through the
        // second loop, nonlinearly; the second loop is fused and adds into mean's adjoint before the first loop's reverse.
        var di = Ir.Convert(D, Ir.Var(IrType.Int32, "i"));
        var dj = Ir.Convert(D, Ir.Var(IrType.Int32, "j"));
        var method = Method("F", new[] { "x", "y" },
            Let("s", L(0)),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("i", 4, IrBlock.Of(Set("s", Ir.Add(V("s"), Ir.Mul(V("x"), di))))),
            Let("mean", Ir.Div(V("s"), L(4))),
            Let("v", L(0)),
            new IrDeclare(D, "d", null),
            new IrDeclare(IrType.Int32, "j", Ir.Lit(IrType.Int32, 0)),
            CountedLoop("j", 4, IrBlock.Of(
                Set("d", Ir.Sub(Ir.Mul(Ir.Mul(V("x"), dj), V("y")), V("mean"))),
                Set("v", Ir.Add(V("v"), Ir.Mul(V("d"), V("d")))))),
            Ret(V("v")));
        var backward = ReverseMode.Differentiate(method);
        Assert.Equal(3, LoopCount(backward));
        CheckAtRandomPoints(method);
    }

    [Fact]
    public void AccumulationsIntoAZeroAdjointBecomeAssignments()
    {
        // In the fused loop every iteration's adjoint of a starts from zero: _d_a = ..., not _d_a += ... onto a zero.
        var backward = ReverseMode.Differentiate(SumOfIterations(V("s")));
        var writes = StatementsOf(backward).OfType<IrDeclare>().Where(d => d.Name == "_d_a").ToList();
        Assert.Single(writes);
        Assert.IsNotType<IrLiteral>(writes[0].Initializer);
    }
}
