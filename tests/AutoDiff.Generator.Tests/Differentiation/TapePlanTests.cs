using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.IR;
using Xunit;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>
/// The tape plan's economies, one at a time: each pullback is built with every rule and again with one rule switched off,
/// and both run in the IR interpreter. Switching a rule off may only make the tape keep more (it changes cost), never the
/// value or the derivatives; and each rule must make some program keep less, or it is not doing anything.
/// </summary>
public class TapePlanTests
{
    private const string Type = "global::T";

    public static IEnumerable<object[]> Rules => new[]
    {
        nameof(TapeRules.RebuildLoopIndices),
        nameof(TapeRules.WorkOutTripCounts),
        nameof(TapeRules.RecomputeCheapValues),
        nameof(TapeRules.LeaveRunningSumsUnsaved),
        nameof(TapeRules.RestoreFreshElementsToZero),
        nameof(TapeRules.FuseLoops),
    }.Select(rule => new object[] { rule });

    [Fact]
    public void EveryRuleIsTested()
    {
        var tested = new HashSet<string>(Rules.Select(r => (string)r[0]));
        var declared = typeof(TapeRules).GetProperties().Where(p => p.PropertyType == typeof(bool)).Select(p => p.Name);
        Assert.All(declared, rule => Assert.Contains(rule, tested));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void SwitchingARuleOffChangesWhatTheTapeKeepsNeverTheDerivatives(string rule)
    {
        var without = Without(rule);
        var random = new Random(20261208);
        int programs = 0, keptMore = 0;
        foreach (var (name, method, helpers) in Programs(random))
        {
            var withAll = ReverseMode.DifferentiateUnder(method, TapeRules.All);
            var withoutRule = ReverseMode.DifferentiateUnder(method, without);
            for (int p = 0; p < 2; p++)
            {
                var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
                var (value, gradient, pushes) = Run(method, withAll, helpers, point);
                var (valueWithout, gradientWithout, pushesWithout) = Run(method, withoutRule, helpers, point);
                string where = $"{name} at ({string.Join(", ", point)}) without {rule}";
                Assert.True(value.Equals(valueWithout), $"{where}: value {valueWithout}, with every rule {value}.");
                for (int k = 0; k < gradient.Length; k++)
                {
                    // Only a fused loop's reversed order of iterations may change the rounding.
                    double scale = Math.Max(1, Math.Abs(gradient[k]));
                    Assert.True(Math.Abs(gradient[k] - gradientWithout[k]) <= 1e-12 * scale,
                        $"{where}: ∂/∂{"xyz"[k]} {gradientWithout[k]:R}, with every rule {gradient[k]:R}.\n{ReverseModeTests.Print(withoutRule)}");
                }
                Assert.True(pushesWithout >= pushes, $"{where}: the tape kept {pushesWithout} values, fewer than the {pushes} with every rule.");
                if (pushesWithout > pushes) keptMore++;
            }
            programs++;
        }
        Assert.True(programs > 100, $"Only {programs} programs.");
        Assert.True(keptMore > 0, $"Switching {rule} off changed nothing the tape keeps in {programs} programs.");
    }

    private static TapeRules Without(string rule) => rule switch
    {
        nameof(TapeRules.RebuildLoopIndices) => TapeRules.All with { RebuildLoopIndices = false },
        nameof(TapeRules.WorkOutTripCounts) => TapeRules.All with { WorkOutTripCounts = false },
        nameof(TapeRules.RecomputeCheapValues) => TapeRules.All with { RecomputeCheapValues = false },
        nameof(TapeRules.LeaveRunningSumsUnsaved) => TapeRules.All with { LeaveRunningSumsUnsaved = false },
        nameof(TapeRules.RestoreFreshElementsToZero) => TapeRules.All with { RestoreFreshElementsToZero = false },
        nameof(TapeRules.FuseLoops) => TapeRules.All with { FuseLoops = false },
        _ => throw new ArgumentException(rule),
    };

    private static (double Value, double[] Gradient, long Pushes) Run(IrMethod method, IrMethod backward, IrMethod[] helpers, double[] point)
    {
        var interpreter = new IrInterpreter();
        foreach (var helper in helpers) interpreter.Register(Type, helper);
        interpreter.Register(Type, method);
        interpreter.Register(Type, backward);
        var (value, gradient) = IrGradientCheck.RunPullback(interpreter, method, backward, point);
        return (value, gradient, interpreter.TapePushes);
    }

    /// <summary>A few programs written for one economy each, then random ones (with and without the index family).</summary>
    private static IEnumerable<(string Name, IrMethod Method, IrMethod[] Helpers)> Programs(Random random)
    {
        foreach (var (name, method) in WrittenPrograms()) yield return (name, method, System.Array.Empty<IrMethod>());
        for (int i = 0; i < 240; i++)
        {
            var generator = new RandomProgramGenerator(random) { IndexFamily = i % 2 == 1 };
            var helper = generator.Method("G", new[] { "a", "b" }, callee: null);
            var arrayHelper = RandomProgramGenerator.ArrayHelper(Type);
            var helpers = new[] { helper, ReverseMode.Differentiate(helper), arrayHelper, ReverseMode.Differentiate(arrayHelper) };
            var method = generator.Method("F", new[] { "x", "y", "z" }, new IrMethodRef(Type, "G", true, Params(D, D)), RandomProgramGenerator.ArrayHelperReference(Type));
            yield return ("random program " + i + "\n" + ReverseModeTests.Print(method), method, helpers);
        }
    }

    private static IEnumerable<(string Name, IrMethod Method)> WrittenPrograms()
    {
        var i = Ir.Var(IrType.Int32, "i");
        var j = Ir.Var(IrType.Int32, "j");
        var di = Ir.Convert(D, i);
        var dj = Ir.Convert(D, j);
        IrStatement Index(string name) => new IrDeclare(IrType.Int32, name, Ir.Lit(IrType.Int32, 0));
        IrStatement[] Vector() => new IrStatement[]
        {
            Let("v", new IrNewArray(RandomProgramGenerator.ArrayType, Ir.Lit(IrType.Int32, 3))),
            new IrAssignElement("v", Ir.Lit(IrType.Int32, 0), V("x")),
            new IrAssignElement("v", Ir.Lit(IrType.Int32, 1), V("y")),
            new IrAssignElement("v", Ir.Lit(IrType.Int32, 2), V("z")),
        };
        var v = Ir.Var(RandomProgramGenerator.ArrayType, "v");

        // A cheap loop value (a = v[i] - 1) and a running sum, then a result that is not linear in the sum.
        IrMethod SumOfTerms(IrExpr result) => Method("SumOfTerms", new[] { "x", "y", "z" }, Vector().Concat(new[]
        {
            Let("s", L(0)),
            new IrDeclare(D, "a", null),
            Index("i"),
            Counted("i", 3, IrBlock.Of(
                Set("a", Ir.Sub(new IrElement(D, v, i), L(1))),
                Set("s", Ir.Add(V("s"), Ir.Mul(Ir.Mul(V("a"), V("a")), M(MathFunction.Sin, V("a"))))))),
            Ret(result),
        }).ToArray());
        yield return ("a sum of terms, then sin", SumOfTerms(M(MathFunction.Sin, V("s"))));
        // The same loop with a result linear in the sum: fused.
        yield return ("a sum of terms, then linear", SumOfTerms(Ir.Add(Ir.Mul(V("s"), L(0.5)), V("x"))));

        // A loop filling a new array, each element once.
        yield return ("a new array filled", Method("Fill", new[] { "x", "y", "z" },
            Let("w", new IrNewArray(RandomProgramGenerator.ArrayType, Ir.Lit(IrType.Int32, 3))),
            Index("i"),
            Counted("i", 3, IrBlock.Of(new IrAssignElement("w", i, M(MathFunction.Sin, Ir.Add(Ir.Mul(V("x"), di), V("y")))))),
            Ret(Ir.Add(Ir.Mul(new IrElement(D, Ir.Var(RandomProgramGenerator.ArrayType, "w"), Ir.Lit(IrType.Int32, 0)), new IrElement(D, Ir.Var(RandomProgramGenerator.ArrayType, "w"), Ir.Lit(IrType.Int32, 1))),
                Ir.Mul(new IrElement(D, Ir.Var(RandomProgramGenerator.ArrayType, "w"), Ir.Lit(IrType.Int32, 2)), V("z"))))));

        // A triangle of nested loops: the inner loop's start and trip count come back without the tape.
        yield return ("a triangle of loops", Method("Triangle", new[] { "x", "y", "z" },
            Let("p", V("x")),
            Index("i"),
            Counted("i", 3, IrBlock.Of(
                Index("j"),
                new IrLoop(Ir.Compare(BinaryOp.Less, j, Ir.Add(i, Ir.Lit(IrType.Int32, 1))),
                    IrBlock.Of(Set("p", Ir.Add(Ir.Mul(V("p"), M(MathFunction.Cos, Ir.Add(V("y"), dj))), V("z")))),
                    IrBlock.Of(Set("j", new IrBinary(IrType.Int32, BinaryOp.Add, j, Ir.Lit(IrType.Int32, 1))))))),
            Ret(V("p"))));
    }

    private static IrLoop Counted(string index, int count, IrBlock body)
    {
        var i = Ir.Var(IrType.Int32, index);
        return new IrLoop(Ir.Compare(BinaryOp.Less, i, Ir.Lit(IrType.Int32, count)), body,
            IrBlock.Of(Set(index, new IrBinary(IrType.Int32, BinaryOp.Add, i, Ir.Lit(IrType.Int32, 1)))));
    }
}
