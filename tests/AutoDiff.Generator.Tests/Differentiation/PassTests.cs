using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Xunit;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>
/// The passes that reverse and forward mode run, each on its own: what it promises (the statements it merges, folds,
/// moves or promotes) and that the code computes what it did before (run in <see cref="IrInterpreter"/>).
/// </summary>
public class PassTests
{
    private const string Type = "global::T";
    private static readonly IrType Span = IrType.Double.WithShape(TypeShape.Span);
    private static readonly IrType Int = IrType.Int32;

    private static IrVariable I(string name) => Ir.Var(Int, name);

    private static IrLiteral N(int value) => Ir.Lit(Int, value);

    private static IrElement At(IrVariable sequence, IrExpr index) => new(IrType.Double, sequence, index);

    private static IrStatement AddTo(IrVariable sequence, IrExpr index, IrExpr value)
        => new IrAssignElement(sequence.Name, index, Ir.Add(At(sequence, index), value));

    /// <summary>for (int i = 0; i &lt; count; i++) { body }</summary>
    private static IrStatement[] Loop(string index, IrExpr count, params IrStatement[] body) => new IrStatement[]
    {
        new IrDeclare(Int, index, N(0)),
        new IrLoop(Ir.Compare(BinaryOp.Less, I(index), count), IrBlock.Of(body), IrBlock.Of(Ir.Assign(index, Ir.Add(I(index), N(1))))),
    };

    // ---- Normalizer ----

    [Fact]
    public void TheNormalizerKeepsWhatRandomProgramsCompute()
    {
        var random = new Random(31);
        int compared = 0;
        for (int i = 0; i < RandomProgramGenerator.ProgramCount; i++)
        {
            var interpreter = new IrInterpreter();
            var generator = new RandomProgramGenerator(random);
            interpreter.Register(Type, generator.Method("G", new[] { "a", "b" }, callee: null));
            interpreter.Register(Type, RandomProgramGenerator.ArrayHelper(Type));
            var method = generator.Method("F", new[] { "x", "y", "z" }, callee: new IrMethodRef(Type, "G", true, Params(D, D)),
                arrayCallee: RandomProgramGenerator.ArrayHelperReference(Type));
            var normalized = Normalizer.Normalize(method, new NameAllocator(method.Parameters.Select(p => p.Name).Concat(DeclaredNames(method.Body))));
            var runnable = Runnable(normalized);

            // One exit, every local hoisted, and only the three statement kinds the differentiators take.
            Assert.DoesNotContain(Statements(normalized.Body), s => s is IrReturn or IrDeclare or IrBreak or IrContinue);
            for (int p = 0; p < 3; p++)
            {
                var point = new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 };
                double expected = interpreter.Invoke(method, point);
                double actual = interpreter.Invoke(runnable, point);
                if (double.IsNaN(expected)) continue;
                Assert.True(expected.Equals(actual) || Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)),
                    $"Program {i} at ({string.Join(", ", point)}): {expected} before normalising, {actual} after.\n{ReverseModeTests.Print(method)}");
                compared++;
            }
        }
        Assert.True(compared > RandomProgramGenerator.ProgramCount, $"Only {compared} points compared.");
    }

    /// <summary>The normalised body as a method: its locals declared first, then the body, then the return of the result.</summary>
    private static IrMethod Runnable(NormalizedMethod normalized)
    {
        var parameters = new HashSet<string>(normalized.Source.Parameters.Select(p => p.Name));
        var statements = normalized.Locals.Where(l => !parameters.Contains(l.Key)).Select(l => (IrStatement)new IrDeclare(l.Value, l.Key, Ir.Zero(l.Value))).ToList();
        statements.AddRange(normalized.Body.Statements);
        statements.Add(new IrReturn(normalized.Result));
        return normalized.Source with { Name = normalized.Source.Name + "Normalized", Body = new IrBlock(statements.ToEquatableArray()) };
    }

    // ---- Declaration sinker ----

    [Fact]
    public void TheSinkerMergesTopLevelFirstAssignmentsDeclaresTheRestBeforeTheirFirstUseAndDropsTheUnused()
    {
        // t = x * 2; s = 0; for (i < 3) { u = t * i; s += u; } return s;  with t, s, u, unused declared by the sinker.
        var body = new List<IrStatement>
        {
            Set("t", Ir.Mul(V("x"), L(2))),
            Set("s", L(0)),
        };
        body.AddRange(Loop("i", N(3), Set("u", Ir.Mul(V("t"), Ir.Convert(D, I("i")))), Set("s", Ir.Add(V("s"), V("u")))));
        body.Add(Ret(V("s")));
        var declarations = new[] { "t", "s", "u", "unused" }.Select(n => new Declaration(n, D, L(0)));

        var sunk = DeclarationSinker.Sink(body, declarations);

        Assert.Equal(new IrDeclare(D, "t", Ir.Mul(V("x"), L(2))), sunk.Statements[0]);
        Assert.Equal(new IrDeclare(D, "s", L(0)), sunk.Statements[1]);
        Assert.DoesNotContain(Statements(sunk), s => s is IrDeclare { Name: "unused" });
        // u is a local of each iteration: declared where the loop's body first assigns it, not before the loop.
        var loop = Assert.Single(sunk.Statements.OfType<IrLoop>());
        Assert.IsType<IrDeclare>(loop.Body.Statements[0]);
        Assert.Equal("u", ((IrDeclare)loop.Body.Statements[0]).Name);
        Assert.Single(Statements(sunk), s => s is IrDeclare { Name: "u" });

        var method = Method("F", new[] { "x" }, sunk.Statements.ToArray());
        Assert.Equal(3 * 2.5 * 2, new IrInterpreter().Invoke(method, 2.5), 12);
    }

    [Fact]
    public void ALocalReadAfterTheLoopIsDeclaredBeforeIt()
    {
        // for (i < 2) { last = x * i; } return last;  last is read after the loop, so it is declared (at its start value) before it.
        var body = new List<IrStatement>(Loop("i", N(2), Set("last", Ir.Mul(V("x"), Ir.Convert(D, I("i"))))));
        body.Add(Ret(V("last")));
        var sunk = DeclarationSinker.Sink(body, new[] { new Declaration("last", D, L(0)) });
        int declaration = sunk.Statements.ToList().FindIndex(s => s is IrDeclare { Name: "last" });
        int loop = sunk.Statements.ToList().FindIndex(s => s is IrLoop);
        Assert.InRange(declaration, 0, loop - 1);
        Assert.Equal(4.0, new IrInterpreter().Invoke(Method("F", new[] { "x" }, sunk.Statements.ToArray()), 4.0), 12);
    }

    // ---- Accumulation merger ----

    [Fact]
    public void AccumulationsIntoOneElementMergeIntoTheLastAcrossStatementsThatCannotChangeThem()
    {
        var d = Ir.Var(Span, "dX");
        var block = IrBlock.Of(
            AddTo(d, I("i"), Ir.Mul(V("a"), L(2))),
            Set("b", Ir.Mul(V("a"), V("a"))),
            AddTo(d, I("i"), V("b")),
            AddTo(d, I("i"), Ir.Neg(V("a"))));
        var merged = AccumulationMerger.Merge(block);

        var writes = merged.Statements.OfType<IrAssignElement>().ToList();
        Assert.Single(writes);
        Assert.Same(merged.Statements.Last(), writes[0]);
        Assert.True(Same(block, merged, a: 1.5, i: 1));
        // (The comparison sees a lost accumulation.)
        Assert.False(Same(block, IrBlock.Of(block.Statements.Skip(1).ToArray()), a: 1.5, i: 1));
    }

    [Fact]
    public void AccumulationsStayApartAcrossAChangeOfTheirIndexOrValueOrAReadOfTheArray()
    {
        var d = Ir.Var(Span, "dX");
        var block = IrBlock.Of(
            AddTo(d, I("i"), V("a")),
            Set("i", Ir.Add(I("i"), N(1))),          // the index changes: the two name different elements
            AddTo(d, I("i"), V("a")),
            Set("a", At(d, N(0))),                    // reads the array
            AddTo(d, I("i"), V("a")),
            Set("a", Ir.Mul(V("a"), L(3))),           // changes what the first one adds
            AddTo(d, I("i"), V("a")));
        var merged = AccumulationMerger.Merge(block);

        Assert.Equal(4, merged.Statements.OfType<IrAssignElement>().Count());
        Assert.True(Same(block, merged, a: 0.5, i: 0));
    }

    /// <summary>Runs both blocks on the same a, i and dX = (1, 2, 3, 4) and compares a, i and dX after.</summary>
    private static bool Same(IrBlock before, IrBlock after, double a, int i)
    {
        double[] Run(IrBlock block)
        {
            var method = new IrMethod("R", D, new[] { new IrParameter("a", D, ParameterKind.Ref), new IrParameter("i", Int, ParameterKind.Ref), new IrParameter("dX", Span) }.ToEquatableArray(),
                new IrBlock(new IrStatement[] { new IrDeclare(D, "b", L(0)) }.Concat(block.Statements).Append(Ret(L(0))).ToEquatableArray()));
            var boxes = new[] { new IrInterpreter.Box(a), new IrInterpreter.Box(i), new IrInterpreter.Box(0) { Array = new[] { 1.0, 2, 3, 4 } } };
            new IrInterpreter().Invoke(method, boxes);
            return boxes[2].Array!.Append(boxes[0].Value).Append(boxes[1].Value).ToArray();
        }
        var expected = Run(before);
        var actual = Run(after);
        return expected.Zip(actual, (e, x) => Math.Abs(e - x) <= 1e-12 * Math.Max(1, Math.Abs(e))).All(ok => ok);
    }

    // ---- Zero accumulations ----

    [Fact]
    public void AnAccumulationRightAfterAZeroingBecomesAnAssignment()
    {
        // _d = 0; _d += e;  →  _d = e, and in a loop whose body zeroes it first, each iteration's too.
        var body = new List<IrStatement>
        {
            Set("_d", L(0)),
            Set("_d", Ir.Add(V("_d"), Ir.Mul(V("x"), L(3)))),
        };
        body.AddRange(Loop("i", N(2), Set("_e", L(0)), Set("_e", Ir.Add(V("_e"), V("x"))), Set("_d", Ir.Add(V("_d"), V("_e")))));
        var folded = ZeroAccumulations.Fold(body, new HashSet<string> { "_d", "_e" }, new HashSet<string>());

        Assert.Equal(Set("_d", Ir.Mul(V("x"), L(3))), folded[1]);
        var loop = Assert.Single(folded.OfType<IrLoop>());
        Assert.Equal(Set("_e", V("x")), loop.Body.Statements[1]);
        // _d is not zero in the loop: its accumulation stays.
        Assert.Equal(Set("_d", Ir.Add(V("_d"), V("_e"))), loop.Body.Statements[2]);
    }

    [Fact]
    public void AnAdjointZeroOnOneBranchOnlyIsNotFolded()
    {
        var body = new List<IrStatement>
        {
            Set("_d", L(0)),
            If(Gt(V("x"), L(0)), new[] { Set("_d", V("x")) }),
            Set("_d", Ir.Add(V("_d"), L(1))),
        };
        var folded = ZeroAccumulations.Fold(body, new HashSet<string> { "_d" }, new HashSet<string>());
        Assert.Equal(body[2], folded[2]);
        // Not a candidate: left alone even right after its zeroing.
        var other = new List<IrStatement> { Set("w", L(0)), Set("w", Ir.Add(V("w"), V("x"))) };
        Assert.Equal(other, ZeroAccumulations.Fold(other, new HashSet<string> { "_d" }, new HashSet<string>()));
    }

    // ---- Constant-element adjoints ----

    [Fact]
    public void FixedElementsAccumulatedInALoopAreKeptInLocalsAndAddedOnce()
    {
        // for (i < n) { dP[0] += x * i; dP[1] += x; dP[i] += 1; }
        var dP = Ir.Var(Span, "dP");
        var body = new List<IrStatement>(Loop("i", I("n"),
            AddTo(dP, N(0), Ir.Mul(V("x"), Ir.Convert(D, I("i")))),
            AddTo(dP, N(1), V("x")),
            AddTo(dP, I("i"), L(1))));
        var declarations = new List<Declaration>();
        var promoted = ConstantElementAdjoints.Promote(body, new[] { dP }, new NameAllocator(new[] { "x", "n", "dP", "i" }), declarations);

        Assert.Equal(2, declarations.Count);
        var loop = Assert.Single(promoted.OfType<IrLoop>());
        // In the loop: the fixed elements go to the locals, the moving one stays in the span.
        Assert.Single(Statements(loop.Body).OfType<IrAssignElement>());
        // After the loop, each local is added to its element once.
        var after = promoted.SkipWhile(s => s is not IrLoop).Skip(1).OfType<IrAssignElement>().ToList();
        Assert.Equal(new[] { 0.0, 1.0 }, after.Select(s => ((IrLiteral)s.Index).Value).OrderBy(v => v));

        double[] Run(List<IrStatement> statements, IEnumerable<Declaration> locals)
        {
            var all = locals.Select(l => (IrStatement)new IrDeclare(l.Type, l.Name, l.Initial)).Concat(statements).Append(Ret(L(0)));
            var method = new IrMethod("R", D, new[] { new IrParameter("x", D), new IrParameter("n", Int), new IrParameter("dP", Span) }.ToEquatableArray(),
                new IrBlock(all.ToEquatableArray()));
            var adjoint = new IrInterpreter.Box(0) { Array = new[] { 0.5, 0.25, 0.125, 1.0 } };
            new IrInterpreter().Invoke(method, new IrInterpreter.Box(1.5), new IrInterpreter.Box(4), adjoint);
            return adjoint.Array!;
        }
        Assert.Equal(Run(body, System.Array.Empty<Declaration>()), Run(promoted, declarations));
    }

    [Fact]
    public void ASpanReadElsewhereIsNotPromoted()
    {
        var dP = Ir.Var(Span, "dP");
        var body = new List<IrStatement>(Loop("i", I("n"), AddTo(dP, N(0), V("x")), Set("x", Ir.Add(V("x"), At(dP, N(1))))));
        var declarations = new List<Declaration>();
        var promoted = ConstantElementAdjoints.Promote(body, new[] { dP }, new NameAllocator(new[] { "x", "n", "dP", "i" }), declarations);
        Assert.Empty(declarations);
        Assert.Equal(body, promoted);
    }

    private static IEnumerable<string> DeclaredNames(IrBlock block)
    {
        var names = new List<string>();
        Ir.ForEachStatement(block, s =>
        {
            if (s is IrDeclare d) names.Add(d.Name);
        });
        return names;
    }

    private static List<IrStatement> Statements(IrBlock block)
    {
        var list = new List<IrStatement>();
        Ir.ForEachStatement(block, list.Add);
        return list;
    }
}
