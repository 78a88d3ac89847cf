using System;
using System.Linq;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Xunit;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;
using Box = AutoDiff.Generator.Tests.Differentiation.IrInterpreter.Box;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>
/// Forward mode and forward-over-reverse on IR alone: tangents agree with the pullback's gradient
/// (J·v = ∇f·v), and Hessian-vector products agree with central differences of the gradient.
/// </summary>
public class ForwardModeTests
{
    private const string Type = "global::T";

    /// <summary>All four generated forms of a method, registered for calls.</summary>
    private sealed record Forms(IrMethod Method, IrMethod Backward, IrMethod Tangent, IrMethod BackwardTangent);

    private static Forms Register(IrInterpreter interpreter, IrMethod method)
    {
        var backward = ReverseMode.Differentiate(method);
        var forms = new Forms(method, backward, ForwardMode.Differentiate(method), ForwardMode.Differentiate(backward));
        interpreter.Register(Type, forms.Method);
        interpreter.Register(Type, forms.Backward);
        interpreter.Register(Type, forms.Tangent);
        interpreter.Register(Type, forms.BackwardTangent);
        return forms;
    }

    private static (double Value, double Tangent) RunTangent(IrInterpreter interpreter, Forms forms, double[] point, double[] direction)
    {
        var resultTangent = new Box(double.NaN);
        var arguments = point.Select(v => new Box(v)).Concat(direction.Select(v => new Box(v))).Append(resultTangent).ToArray();
        double value = interpreter.Invoke(forms.Tangent, arguments);
        return (value, resultTangent.Value);
    }

    /// <summary>H·v from FBackwardTangent with seed 1, zero adjoints and a zero seed tangent.</summary>
    private static double[] RunHessianVector(IrInterpreter interpreter, Forms forms, double[] point, double[] direction)
    {
        int n = point.Length;
        var adjoints = Enumerable.Range(0, n).Select(_ => new Box(0)).ToArray();
        var products = Enumerable.Range(0, n).Select(_ => new Box(0)).ToArray();
        var arguments = point.Select(v => new Box(v)).Append(new Box(1)).Concat(adjoints)
            .Concat(direction.Select(v => new Box(v))).Append(new Box(0)).Concat(products).Append(new Box(double.NaN)).ToArray();
        interpreter.Invoke(forms.BackwardTangent, arguments);
        return products.Select(b => b.Value).ToArray();
    }

    private static double[] Gradient(IrInterpreter interpreter, Forms forms, double[] point)
        => IrGradientCheck.RunPullback(interpreter, forms.Method, forms.Backward, point).Gradient;

    /// <summary>Checks one point; false when central differences show the point is near a kink.</summary>
    private static bool CheckModesAgree(IrInterpreter interpreter, Forms forms, double[] point, double[] direction, string context)
    {
        var gradient = Gradient(interpreter, forms, point);
        var (value, tangent) = RunTangent(interpreter, forms, point, direction);
        Assert.True(value.Equals(interpreter.Invoke(forms.Method, point)), $"{context}: FTangent's value differs from F's.");
        double dot = gradient.Zip(direction, (g, v) => g * v).Sum();
        double scale = Math.Max(1, gradient.Zip(direction, (g, v) => Math.Abs(g * v)).Sum());
        Assert.True(Math.Abs(tangent - dot) <= 1e-10 * scale, $"{context}: forward mode gives {tangent:R}, reverse mode ∇f·v = {dot:R}.");

        var hv = RunHessianVector(interpreter, forms, point, direction);
        double h = 1e-5;
        double[] Shifted(double s) => point.Zip(direction, (x, v) => x + s * v).ToArray();
        double[] Difference(double step)
        {
            var plus = Gradient(interpreter, forms, Shifted(step));
            var minus = Gradient(interpreter, forms, Shifted(-step));
            return plus.Zip(minus, (p, m) => (p - m) / (2 * step)).ToArray();
        }
        var coarse = Difference(h);
        var fine = Difference(h / 8);
        for (int i = 0; i < hv.Length; i++)
        {
            double s = Math.Max(1, Math.Max(Math.Abs(coarse[i]), Math.Abs(hv[i])));
            if (Math.Abs(coarse[i] - fine[i]) > 1e-4 * s) return false;
            Assert.True(Math.Abs(hv[i] - coarse[i]) <= 1e-5 * s,
                $"{context}: (H·v)[{i}] is {hv[i]:R} by forward over reverse, {coarse[i]:R} by differences of the gradient.");
        }
        return true;
    }

    [Fact]
    public void QuadraticHasTheTutorialsHessian()
    {
        // Σx² over two inputs: H = [[2, 0], [0, 2]], and H·[2, 2] = [4, 4] at x = [4, 4].
        var interpreter = new IrInterpreter();
        var forms = Register(interpreter, Method("F", new[] { "x0", "x1" }, Ret(Ir.Add(Ir.Mul(V("x0"), V("x0")), Ir.Mul(V("x1"), V("x1"))))));
        Assert.Equal(new[] { 4.0, 4.0 }, RunHessianVector(interpreter, forms, new[] { 4.0, 4.0 }, new[] { 2.0, 2.0 }));
        Assert.Equal(new[] { 2.0, 0.0 }, RunHessianVector(interpreter, forms, new[] { 4.0, 4.0 }, new[] { 1.0, 0.0 }));
        Assert.Equal(new[] { 0.0, 2.0 }, RunHessianVector(interpreter, forms, new[] { 4.0, 4.0 }, new[] { 0.0, 1.0 }));
    }

    [Fact]
    public void MixedSecondDerivativeOfAProduct()
    {
        // f = x·y·exp(x): ∂²f/∂x² = y·exp(x)·(x + 2), ∂²f/∂x∂y = exp(x)·(x + 1), ∂²f/∂y² = 0.
        var interpreter = new IrInterpreter();
        var forms = Register(interpreter, Method("F", new[] { "x", "y" }, Ret(Ir.Mul(Ir.Mul(V("x"), V("y")), M(MathFunction.Exp, V("x"))))));
        double x = 0.3, y = -1.7;
        var column0 = RunHessianVector(interpreter, forms, new[] { x, y }, new[] { 1.0, 0.0 });
        var column1 = RunHessianVector(interpreter, forms, new[] { x, y }, new[] { 0.0, 1.0 });
        Assert.Equal(y * Math.Exp(x) * (x + 2), column0[0], 12);
        Assert.Equal(Math.Exp(x) * (x + 1), column0[1], 12);
        Assert.Equal(Math.Exp(x) * (x + 1), column1[0], 12);
        Assert.Equal(0.0, column1[1], 12);
    }

    [Fact]
    public void TangentOfOverwritesAndBranches()
    {
        var interpreter = new IrInterpreter();
        var method = Method("F", new[] { "x", "y" },
            Let("t", Ir.Mul(V("x"), V("y"))),
            If(Gt(V("x"), L(0)), new[] { Set("t", Ir.Mul(M(MathFunction.Sin, V("t")), V("t"))) }, Set("t", Ir.Div(V("t"), Ir.Add(L(2), Ir.Mul(V("y"), V("y")))))),
            Set("x", Ir.Mul(V("x"), V("t"))),
            Ret(Ir.Add(V("x"), M(MathFunction.Tanh, V("t")))));
        var forms = Register(interpreter, method);
        var random = new Random(3);
        int checkedPoints = 0;
        for (int i = 0; i < 50; i++)
        {
            var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
            var direction = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
            if (CheckModesAgree(interpreter, forms, point, direction, "F")) checkedPoints++;
        }
        Assert.True(checkedPoints >= 40);
    }

    [Fact]
    public void TangentAndHessianThroughCalls()
    {
        var interpreter = new IrInterpreter();
        Register(interpreter, Method("G", new[] { "a", "b" }, Ret(Ir.Mul(M(MathFunction.Sin, V("a")), Ir.Mul(V("b"), V("b"))))));
        var g = new IrMethodRef(Type, "G", true, Params(D, D));
        var f = Method("F", new[] { "x", "y" },
            Ret(Ir.Add(new IrCall(D, g, EquatableArray.Of(new IrArgument(V("x")), new IrArgument(V("x")))),
                Ir.Mul(new IrCall(D, g, EquatableArray.Of(new IrArgument(Ir.Mul(V("y"), V("x"))), new IrArgument(L(2)))), V("y")))));
        var forms = Register(interpreter, f);
        var random = new Random(5);
        for (int i = 0; i < 30; i++)
        {
            var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
            var direction = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
            Assert.True(CheckModesAgree(interpreter, forms, point, direction, "F"));
        }
    }

    /// <param name="seed">The random programs' seed.</param>
    /// <param name="indexFamily">Whether programs keep integers the reverse sweep must see as they were (see
    /// <see cref="RandomProgramGenerator.IndexFamily"/>).</param>
    [Theory]
    [InlineData(7, false)]
    [InlineData(20261207, true)]
    public void RandomProgramsAgreeAcrossModes(int seed, bool indexFamily)
    {
        var random = new Random(seed);
        int checkedPoints = 0, points = 0;
        for (int i = 0; i < RandomProgramGenerator.ProgramCount; i++)
        {
            var interpreter = new IrInterpreter();
            var generator = new RandomProgramGenerator(random) { IndexFamily = indexFamily };
            Register(interpreter, generator.Method("G", new[] { "a", "b" }, callee: null));
            Register(interpreter, RandomProgramGenerator.ArrayHelper(Type));
            var method = generator.Method("F", new[] { "x", "y", "z" }, callee: new IrMethodRef(Type, "G", true, Params(D, D)),
                arrayCallee: RandomProgramGenerator.ArrayHelperReference(Type));
            Forms forms;
            try
            {
                forms = Register(interpreter, method);
            }
            catch (Exception e)
            {
                throw new Exception($"Differentiation failed for program {i}:\n{ReverseModeTests.Print(method)}", e);
            }
            for (int p = 0; p < 3; p++, points++)
            {
                var point = Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
                var direction = Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
                try
                {
                    if (CheckModesAgree(interpreter, forms, point, direction, $"program {i}")) checkedPoints++;
                }
                catch (Exception e)
                {
                    throw new Exception($"Program {i}:\n{ReverseModeTests.Print(method)}\nTangent:\n{ReverseModeTests.Print(forms.Tangent)}", e);
                }
            }
        }
        Assert.True(checkedPoints >= points * 8 / 10, $"Only {checkedPoints} of {points} points were away from kinks.");
    }
}
