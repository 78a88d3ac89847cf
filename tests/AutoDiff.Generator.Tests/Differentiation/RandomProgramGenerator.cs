using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>
/// Generates random straight-line and branching IR methods (locals, overwrites that read the old value,
/// if/else, early returns, conditional expressions, Math functions on safe domains, calls) to find what
/// hand-written tests miss.
/// </summary>
internal sealed class RandomProgramGenerator
{
    private readonly Random random;
    private IrMethodRef? callee;
    private IrMethodRef? arrayCallee;
    private List<string> variables = new();
    private List<string> indices = new();
    private readonly HashSet<string> countedIndices = new();
    private bool hasArray;
    private const string ArrayName = "values";
    private const string MadeName = "made";
    private bool hasMade;
    private const int ArrayLength = 3;
    public static readonly IrType ArrayType = IrType.Double.WithShape(TypeShape.Array);
    private int localCount;
    private int loopDepth;
    private bool hasIndexFamily;
    private const string SlotsName = "slots";
    private const string CounterName = "k";
    private const string SpareName = "spare";
    private const string DepthName = "depth";
    private bool hasSpare;
    private bool valuesAreParameter;
    private bool writesOnlySpare;
    private IrMethodRef? recursive;
    private int recursiveCalls;
    public static readonly IrType IntArrayType = IrType.Int32.WithShape(TypeShape.Array);

    public RandomProgramGenerator(Random random) => this.random = random;

    /// <summary>How deep expressions nest (3 by default; the fuzz tests use smaller programs).</summary>
    public int ExpressionDepth { get; init; } = 3;

    /// <summary>One more than the most statements at the top level of a method (7 by default).</summary>
    public int StatementLimit { get; init; } = 7;

    /// <summary>
    /// Half of the programs also keep integers that the reverse sweep must see as they were (off by default, so that
    /// the programs of tests that do not ask for them stay the same): a counter <c>k</c> advanced in branches and loops,
    /// an integer local array <c>slots</c> written through computed indices, and writes and reads of the local array
    /// <c>values</c> through those indices (<c>values[slots[k % 3] % 3]</c>), as an index list is built in a
    /// determinant by minors.
    /// </summary>
    public bool IndexFamily { get; init; }

    /// <summary>
    /// Programs that call a recursion of their own (off by default, so that the programs of tests that do not ask for it
    /// stay the same): <see cref="RecursiveHelper"/> makes a random recursive method that reads the index list in one
    /// <c>int[]</c> buffer, builds the next one in another and recurses with the two buffers swapped (or not), as a
    /// determinant by minors keeps its row and column lists; <see cref="Method"/>, given it, calls it on buffers of its
    /// own, in branches and loops too, and reads those buffers before and after. A buffer the recursion writes only
    /// through the recursive call, in the other's place, must still be kept and restored by its callers.
    /// </summary>
    public bool Recursion { get; init; }

    /// <summary>
    /// How many programs each random test generates: 300, or AUTODIFF_RANDOM_PROGRAMS for a longer soak run.
    /// </summary>
    public static int ProgramCount => int.TryParse(Environment.GetEnvironmentVariable("AUTODIFF_RANDOM_PROGRAMS"), out var n) && n > 0 ? n : 300;

    /// <summary>
    /// <c>H(double[] v, double s)</c>: a fixed helper that takes an array, so that random programs pass their local
    /// array to a call (its adjoint and tangent then travel as spans).
    /// </summary>
    public static IrMethod ArrayHelper(string containingType)
    {
        var v = Ir.Var(ArrayType, "v");
        var i = Ir.Var(IrType.Int32, "i");
        var element = new IrElement(D, v, i);
        return new IrMethod("H", D, EquatableArray.Of(new IrParameter("v", ArrayType), new IrParameter("s", D)), IrBlock.Of(
            Let("t", V("s")),
            new IrDeclare(IrType.Int32, "i", Ir.Lit(IrType.Int32, 0)),
            new IrLoop(Ir.Compare(BinaryOp.Less, i, new IrLength(v)),
                IrBlock.Of(Set("t", Ir.Add(V("t"), Ir.Mul(element, M(MathFunction.Sin, Ir.Add(element, V("s"))))))),
                IrBlock.Of(Set("i", new IrBinary(IrType.Int32, BinaryOp.Add, i, Ir.Lit(IrType.Int32, 1))))),
            Ret(Ir.Mul(V("t"), L(0.5)))));
    }

    /// <summary>
    /// Programs with a local array also call vector-valued helpers that write it (off by default, so that the programs of
    /// tests that do not ask for them stay the same): <c>W(s, values)</c>, which reads the elements it overwrites and
    /// leaves one alone, and <c>U(a, b, values)</c>, which overwrites every element without reading any (see
    /// <see cref="VectorHelpersSource"/>). The IR interpreter does not run them: only compiled tests ask for them.
    /// </summary>
    public bool VectorCalls { get; init; }

    /// <summary>The C# of the helpers that <see cref="VectorCalls"/> programs call, for a type <c>T</c>.</summary>
    public const string VectorHelpersSource = """
            [Differentiable]
            public static void W(double s, Span<double> o)
            {
                double t = Math.Tanh(s);
                for (int i = 0; i < o.Length; i += 2) o[i] = o[i] * t + Math.Sin(s * (i + 1));
            }

            [Differentiable]
            public static void U(double a, double b, Span<double> o)
            {
                for (int i = 0; i < o.Length; i++) o[i] = a * Math.Cos(b + i);
            }

            [Differentiable]
            public static double[] R(double s)
            {
                var r = new double[3];
                for (int i = 0; i < 3; i++) r[i] = Math.Sin(s * (i + 1)) + s;
                return r;
            }

            [Differentiable]
            public static double S(double s, int[] slots)
            {
                int first = slots[0];
                for (int i = 0; i + 1 < slots.Length; i++) slots[i] = slots[i + 1];
                slots[slots.Length - 1] = (first + 1) % slots.Length;
                return s * (1 + slots[0]);
            }

        """;

    private static readonly IrType SpanType = IrType.Double.WithShape(TypeShape.Span);

    /// <summary><c>S(s, slots)</c>: rotates the index slots it is given (and writes them), returning s·(1 + slots[0]).</summary>
    private static readonly IrMethodRef ShiftReference = new("global::T", "S", true,
        EquatableArray.Of(new IrParameter("s", D), new IrParameter("slots", IntArrayType) { IsWritten = true }));

    private static IrMethodRef VectorHelper(string name, int scalars)
        => new("global::T", name, true, Enumerable.Range(0, scalars).Select(k => new IrParameter("p" + k, D))
            .Append(new IrParameter("o", SpanType) { IsOutput = true }).ToEquatableArray()) { TangentIsValueFree = true };

    /// <summary>A statement calling <c>W</c> or <c>U</c> on the local array.</summary>
    private IrStatement VectorCall()
    {
        int scalars = random.Next(2) == 0 ? 1 : 2;
        var arguments = Enumerable.Range(0, scalars).Select(_ => new IrArgument(M(MathFunction.Tanh, Expr(ExpressionDepth - 1)))).ToList();
        var values = Ir.Var(ArrayType, ArrayName);
        if (random.Next(3) == 0)
        {
            // A slice of the array: the call writes (and W reads) only those elements.
            int start = random.Next(ArrayLength - 1);
            int length = random.Next(1, ArrayLength - start + 1);
            arguments.Add(new IrArgument(new IrSlice(SpanType, values, Ir.Lit(IrType.Int32, start), Ir.Lit(IrType.Int32, length))));
        }
        else
        {
            arguments.Add(new IrArgument(values));
        }
        return new IrExpressionStatement(new IrCall(IrType.Void, VectorHelper(scalars == 1 ? "W" : "U", scalars), arguments.ToEquatableArray()));
    }

    public static IrMethodRef ArrayHelperReference(string containingType)
        => new(containingType, "H", true, EquatableArray.Of(new IrParameter("v", ArrayType), new IrParameter("s", D)));

    /// <summary>
    /// A random method; with <paramref name="recursive"/> (a <see cref="RecursiveHelper"/>, under <see cref="Recursion"/>)
    /// it also keeps a second index buffer and calls the recursion at least once.
    /// </summary>
    public IrMethod Method(string name, string[] parameters, IrMethodRef? callee, IrMethodRef? arrayCallee = null, IrMethodRef? recursive = null)
    {
        this.callee = callee;
        this.arrayCallee = arrayCallee;
        this.recursive = recursive;
        recursiveCalls = 0;
        valuesAreParameter = false;
        variables = parameters.ToList();
        indices = new List<string>();
        countedIndices.Clear();
        localCount = 0;
        loopDepth = 0;
        var body = new List<IrStatement>();
        // Half of the programs keep numbers in a local array too, written and read at constant and loop indices.
        hasArray = random.Next(2) == 0;
        hasIndexFamily = IndexFamily && random.Next(2) == 0;
        hasSpare = recursive is not null;
        if (hasSpare) hasIndexFamily = true;
        if (hasIndexFamily)
        {
            hasArray = true;
            body.Add(new IrDeclare(IntArrayType, SlotsName, new IrNewArray(IntArrayType, Ir.Lit(IrType.Int32, ArrayLength))));
            if (hasSpare) body.Add(new IrDeclare(IntArrayType, SpareName, new IrNewArray(IntArrayType, Ir.Lit(IrType.Int32, ArrayLength))));
            body.Add(new IrDeclare(IrType.Int32, CounterName, Ir.Lit(IrType.Int32, 0)));
        }
        if (hasArray) body.Add(new IrDeclare(ArrayType, ArrayName, new IrNewArray(ArrayType, Ir.Lit(IrType.Int32, ArrayLength))));
        // With vector calls, some programs also read an array that a callee makes and returns (R).
        hasMade = VectorCalls && random.Next(3) == 0;
        if (hasMade)
        {
            body.Add(new IrDeclare(ArrayType, MadeName, new IrCall(ArrayType, new IrMethodRef("global::T", "R", true, EquatableArray.Of(new IrParameter("s", D))),
                EquatableArray.Of(new IrArgument(M(MathFunction.Tanh, V(variables[random.Next(variables.Count)])))))));
        }
        int count = random.Next(2, StatementLimit);
        if (recursive is not null)
        {
            // Every program of the family calls the recursion at least once at the top level, among its statements.
            int before = random.Next(count + 1);
            body.AddRange(Statements(depth: 0, count: before));
            body.Add(RecursiveCall(depth: 0, Ir.Lit(IrType.Int32, random.Next(4))));
            count -= before;
        }
        body.AddRange(Statements(depth: 0, count: count));
        body.Add(Ret(Expr(ExpressionDepth)));
        return IrBuilder.Method(name, parameters, body.ToArray());
    }

    /// <summary>
    /// A random recursive method <c>double name(double x, double y, double[] values, int[] slots, int[] spare, int depth)</c>
    /// (see <see cref="Recursion"/>): it reads <c>values</c> through the index list in <c>slots</c> and <c>spare</c>, writes
    /// both through computed indices, returns at <c>depth &lt;= 0</c>, and otherwise calls itself on <c>depth - 1</c> with
    /// the buffers swapped (two times in three) or not.
    /// </summary>
    public IrMethod RecursiveHelper(string name)
    {
        var parameters = EquatableArray.Of(
            new IrParameter("x", D), new IrParameter("y", D), new IrParameter(ArrayName, ArrayType),
            new IrParameter(SlotsName, IntArrayType), new IrParameter(SpareName, IntArrayType), new IrParameter(DepthName, IrType.Int32));
        callee = null;
        arrayCallee = null;
        // The helper's own statements do not call it (a call there would not bring the depth down); its one recursive
        // call comes after them.
        recursive = null;
        recursiveCalls = 0;
        variables = new List<string> { "x", "y" };
        indices = new List<string>();
        countedIndices.Clear();
        localCount = 0;
        loopDepth = 0;
        hasArray = true;
        hasIndexFamily = true;
        hasSpare = true;
        hasMade = false;
        valuesAreParameter = true;
        // Half of the recursions write only the next list (spare) and read the current one (slots), as a determinant's
        // minors do: slots is then written only by the recursive call, in spare's place.
        writesOnlySpare = random.Next(2) == 0;
        var body = new List<IrStatement> { new IrDeclare(IrType.Int32, CounterName, Ir.Lit(IrType.Int32, 0)) };
        body.AddRange(Statements(depth: 0, count: random.Next(1, 4)));
        body.Add(new IrIf(Ir.Compare(BinaryOp.LessOrEqual, Ir.Var(IrType.Int32, DepthName), Ir.Lit(IrType.Int32, 0)),
            IrBlock.Of(Ret(Expr(ExpressionDepth - 1))), IrBlock.Empty));
        var depthLess = new IrBinary(IrType.Int32, BinaryOp.Subtract, Ir.Var(IrType.Int32, DepthName), Ir.Lit(IrType.Int32, 1));
        body.AddRange(Statements(depth: 0, count: random.Next(1, 4)));
        recursive = RecursiveReference(name);
        body.Add(RecursiveCall(depth: 0, depthLess));
        recursive = null;
        body.AddRange(Statements(depth: 0, count: random.Next(0, 3)));
        body.Add(Ret(Expr(ExpressionDepth)));
        valuesAreParameter = false;
        writesOnlySpare = false;
        return new IrMethod(name, D, parameters, IrBlock.Of(body.ToArray()));
    }

    /// <summary>The reference to a <see cref="RecursiveHelper"/> of type <c>T</c>.</summary>
    public static IrMethodRef RecursiveReference(string name)
        => new("global::T", name, true, EquatableArray.Of(
            new IrParameter("x", D), new IrParameter("y", D), new IrParameter(ArrayName, ArrayType),
            new IrParameter(SlotsName, IntArrayType) { IsWritten = true }, new IrParameter(SpareName, IntArrayType) { IsWritten = true },
            new IrParameter(DepthName, IrType.Int32)));

    /// <summary>
    /// <c>double vN = recursion(tanh(e1), e2, values, slots, spare, depth)</c>, the two buffers swapped two times in three.
    /// </summary>
    private IrStatement RecursiveCall(int depth, IrExpr depthArgument)
    {
        recursiveCalls++;
        bool swapped = random.Next(3) != 0;
        var arguments = EquatableArray.Of(
            new IrArgument(M(MathFunction.Tanh, Expr(ExpressionDepth - 1))),
            new IrArgument(Expr(ExpressionDepth - 1)),
            new IrArgument(Ir.Var(ArrayType, ArrayName)),
            new IrArgument(Ir.Var(IntArrayType, swapped ? SpareName : SlotsName)),
            new IrArgument(Ir.Var(IntArrayType, swapped ? SlotsName : SpareName)),
            new IrArgument(depthArgument));
        var name = "v" + localCount++;
        var statement = Let(name, new IrCall(D, recursive!, arguments));
        if (depth == 0) variables.Add(name);
        return statement;
    }

    private List<IrStatement> Statements(int depth, int count)
    {
        var statements = new List<IrStatement>();
        for (int i = 0; i < count; i++)
        {
            if (recursive is not null && random.Next(6) == 0)
            {
                statements.Add(RecursiveCall(depth, Ir.Lit(IrType.Int32, random.Next(4))));
                continue;
            }
            if (hasIndexFamily && random.Next(3) == 0)
            {
                // With vector calls too, the slots are sometimes rotated by a callee (S), whose value is kept in a local.
                if (VectorCalls && variables.Count > 0 && random.Next(3) == 0)
                {
                    var name = "v" + localCount++;
                    statements.Add(Let(name, new IrCall(D, ShiftReference, EquatableArray.Of(
                        new IrArgument(M(MathFunction.Tanh, Expr(ExpressionDepth - 1))), new IrArgument(Ir.Var(IntArrayType, SlotsName))))));
                    if (depth == 0) variables.Add(name);
                    continue;
                }
                statements.Add(IndexStatement());
                continue;
            }
            int choice = random.Next(10);
            if (choice < 4 || variables.Count < 2)
            {
                var name = "v" + localCount++;
                statements.Add(Let(name, Expr(ExpressionDepth)));
                // Locals declared inside a branch stay local to it.
                if (depth == 0) variables.Add(name);
            }
            else if (choice < 7)
            {
                if (hasArray && VectorCalls && random.Next(3) == 0)
                {
                    statements.Add(VectorCall());
                    continue;
                }
                if (hasArray && !valuesAreParameter && random.Next(3) == 0)
                {
                    statements.Add(new IrAssignElement(ArrayName, ArrayIndex(), Expr(ExpressionDepth)));
                    continue;
                }
                var target = variables[random.Next(variables.Count)];
                statements.Add(Set(target, Expr(ExpressionDepth)));
            }
            else if (choice == 9 && depth < 2)
            {
                statements.AddRange(Loop(depth));
            }
            else if (depth < 2)
            {
                var saved = variables.ToList();
                var then = Statements(depth + 1, random.Next(1, 3));
                variables = saved.ToList();
                int jump = random.Next(loopDepth > 0 ? 6 : 3);
                if (jump == 0) then.Add(Ret(Expr(ExpressionDepth - 1)));
                else if (jump == 3) then.Add(new IrBreak());
                else if (jump == 4) then.Add(new IrContinue());
                var otherwise = Statements(depth + 1, random.Next(0, 3));
                variables = saved;
                statements.Add(new IrIf(Condition(), IrBlock.Of(then.ToArray()), IrBlock.Of(otherwise.ToArray())));
            }
        }
        return statements;
    }

    /// <summary>
    /// A statement on the integers of the index family: the counter advanced (with or without wrapping), an element of
    /// <c>slots</c> written through a computed index, or an element of <c>values</c> written through one.
    /// </summary>
    private IrStatement IndexStatement()
    {
        var one = Ir.Lit(IrType.Int32, 1);
        var counter = Ir.Var(IrType.Int32, CounterName);
        switch (random.Next(5))
        {
            case 0:
                return Set(CounterName, new IrBinary(IrType.Int32, BinaryOp.Add, counter, one));
            case 1:
                return Set(CounterName, new IrBinary(IrType.Int32, BinaryOp.Remainder, new IrBinary(IrType.Int32, BinaryOp.Add, counter, Ir.Lit(IrType.Int32, random.Next(1, 3))), Ir.Lit(IrType.Int32, ArrayLength)));
            case 2:
            case 3:
                return new IrAssignElement(WrittenBuffer(), ComputedIndex(), IntegerValue());
            default:
                if (valuesAreParameter) return new IrAssignElement(WrittenBuffer(), ComputedIndex(), IntegerValue());
                return new IrAssignElement(ArrayName, ComputedIndex(), Expr(ExpressionDepth));
        }
    }

    /// <summary>A non-negative integer: a constant, the counter, a loop index, or an element of <c>slots</c> plus one.</summary>
    private IrExpr IntegerValue()
    {
        switch (random.Next(4))
        {
            case 0: return Ir.Lit(IrType.Int32, random.Next(ArrayLength));
            case 1: return Ir.Var(IrType.Int32, CounterName);
            case 2 when indices.Count > 0: return Ir.Var(IrType.Int32, indices[random.Next(indices.Count)]);
            default: return new IrBinary(IrType.Int32, BinaryOp.Add, new IrElement(IrType.Int32, Ir.Var(IntArrayType, Buffer()), ComputedIndex()), Ir.Lit(IrType.Int32, 1));
        }
    }

    /// <summary>The index buffer to read or write: <c>slots</c>, or with <see cref="Recursion"/> either of the two.</summary>
    private string Buffer() => hasSpare && random.Next(2) == 0 ? SpareName : SlotsName;

    /// <summary>The index buffer to write: as <see cref="Buffer"/>, or only <c>spare</c> in a recursion that reads the other.</summary>
    private string WrittenBuffer() => writesOnlySpare ? SpareName : Buffer();

    /// <summary>An index into the arrays computed from the integers of the index family, modulo the arrays' length.</summary>
    private IrExpr ComputedIndex()
    {
        var counter = new IrBinary(IrType.Int32, BinaryOp.Remainder, Ir.Var(IrType.Int32, CounterName), Ir.Lit(IrType.Int32, ArrayLength));
        return random.Next(3) switch
        {
            0 => counter,
            1 => new IrBinary(IrType.Int32, BinaryOp.Remainder, new IrElement(IrType.Int32, Ir.Var(IntArrayType, Buffer()), counter), Ir.Lit(IrType.Int32, ArrayLength)),
            _ => new IrBinary(IrType.Int32, BinaryOp.Remainder, new IrElement(IrType.Int32, Ir.Var(IntArrayType, Buffer()), Ir.Lit(IrType.Int32, random.Next(ArrayLength))), Ir.Lit(IrType.Int32, ArrayLength)),
        };
    }

    /// <summary>A constant index, or a loop index modulo the array's length.</summary>
    private IrExpr ArrayIndex()
    {
        if (hasIndexFamily && random.Next(2) == 0) return ComputedIndex();
        // With vector calls, loops run at most as many times as the array is long, and a loop's own index may index it
        // directly: a write of values[i] in a counted loop then looks like a first write into a new array's element.
        if (VectorCalls && indices.Count > 0 && countedIndices.Contains(indices[indices.Count - 1]) && random.Next(2) == 0) return Ir.Var(IrType.Int32, indices[indices.Count - 1]);
        if (indices.Count > 0 && random.Next(2) == 0)
        {
            var index = Ir.Var(IrType.Int32, indices[random.Next(indices.Count)]);
            return new IrBinary(IrType.Int32, BinaryOp.Remainder, index, Ir.Lit(IrType.Int32, ArrayLength));
        }
        return Ir.Lit(IrType.Int32, random.Next(ArrayLength));
    }

    /// <summary>A counted for loop, or a while loop whose counter the body also moves (so it is not counted).</summary>
    private List<IrStatement> Loop(int depth)
    {
        var statements = new List<IrStatement>();
        var index = "i" + localCount++;
        var i = Ir.Var(IrType.Int32, index);
        statements.Add(new IrDeclare(IrType.Int32, index, Ir.Lit(IrType.Int32, 0)));
        var saved = variables.ToList();
        var savedIndices = indices.ToList();
        indices.Add(index);
        // With vector calls the kind of loop is chosen first, so that the body knows whether its index stays in range.
        bool? countedFirst = VectorCalls ? random.Next(2) == 0 : null;
        if (countedFirst == true) countedIndices.Add(index);
        loopDepth++;
        var body = Statements(depth + 1, random.Next(1, 4));
        loopDepth--;
        variables = saved;
        indices = savedIndices;
        var one = Ir.Lit(IrType.Int32, 1);
        var bound = Ir.Compare(BinaryOp.Less, i, Ir.Lit(IrType.Int32, random.Next(1, VectorCalls ? ArrayLength + 1 : 5)));
        if (countedFirst ?? random.Next(2) == 0)
        {
            statements.Add(new IrLoop(bound, IrBlock.Of(body.ToArray()), IrBlock.Of(Set(index, new IrBinary(IrType.Int32, BinaryOp.Add, i, one)))));
        }
        else
        {
            // The counter moves in the body, sometimes twice: the index must come back from the tape.
            body.Insert(0, Set(index, new IrBinary(IrType.Int32, BinaryOp.Add, i, one)));
            body.Add(new IrIf(Condition(), IrBlock.Of(Set(index, new IrBinary(IrType.Int32, BinaryOp.Add, i, one))), IrBlock.Empty));
            statements.Add(new IrLoop(bound, IrBlock.Of(body.ToArray()), IrBlock.Empty, TestFirst: random.Next(3) != 0));
        }
        return statements;
    }

    private IrExpr Condition()
    {
        var comparison = Ir.Compare(random.Next(2) == 0 ? BinaryOp.Greater : BinaryOp.Less, Expr(1), Expr(1));
        return random.Next(4) switch
        {
            0 => new IrBinary(IrType.Boolean, BinaryOp.ConditionalAnd, comparison, Ir.Compare(BinaryOp.Greater, Expr(1), L(-0.5))),
            1 => Ir.Not(comparison),
            _ => comparison,
        };
    }

    /// <summary>An expression whose value stays moderate for inputs in [-1, 1].</summary>
    private IrExpr Expr(int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            int leaf = random.Next(8);
            if (leaf == 0) return L(Math.Round(random.NextDouble() * 4 - 2, 2));
            if (leaf == 1 && indices.Count > 0) return Ir.Mul(Ir.Convert(D, Ir.Var(IrType.Int32, indices[random.Next(indices.Count)])), L(0.25));
            if (leaf == 2 && hasArray) return new IrElement(D, Ir.Var(ArrayType, ArrayName), ArrayIndex());
            if (leaf == 3 && hasMade) return new IrElement(D, Ir.Var(ArrayType, MadeName), Ir.Lit(IrType.Int32, random.Next(ArrayLength)));
            return V(variables[random.Next(variables.Count)]);
        }
        IrExpr Sub() => Expr(depth - 1);
        IrExpr Bounded() => M(MathFunction.Tanh, Sub());
        IrExpr Positive() => Ir.Add(L(1.25), Ir.Mul(Bounded(), Bounded()));
        switch (random.Next(17))
        {
            case 0: return Ir.Add(Sub(), Sub());
            case 1: return Ir.Sub(Sub(), Sub());
            case 2: return Ir.Mul(Bounded(), Sub());
            case 3: return Ir.Div(Sub(), Positive());
            case 4: return Ir.Neg(Sub());
            case 5: return M(MathFunction.Sin, Sub());
            case 6: return M(MathFunction.Exp, Bounded());
            case 7: return M(MathFunction.Log, Positive());
            case 8: return M(MathFunction.Sqrt, Positive());
            case 9: return M(MathFunction.Pow, Positive(), Bounded());
            case 10: return M(MathFunction.Atan, Sub());
            case 11: return Bounded();
            case 12: return new IrConditional(D, Condition(), Sub(), Sub());
            case 13 when callee is not null:
                return new IrCall(D, callee, EquatableArray.Of(new IrArgument(Bounded()), new IrArgument(Sub())));
            case 14: return M(MathFunction.Max, Sub(), Sub());
            case 15 when hasArray && arrayCallee is not null:
                return new IrCall(D, arrayCallee, EquatableArray.Of(new IrArgument(Ir.Var(ArrayType, ArrayName)), new IrArgument(Bounded())));
            default: return Ir.Mul(Sub(), L(0.5));
        }
    }
}
