using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Differentiation;

internal sealed partial class TapePlan
{
    /// <summary>
    /// Loops whose iterations are independent of each other except through running sums, and whose sums' adjoints are
    /// known before the loop starts, need no reverse loop: each iteration's reverse statements can run right after its
    /// forward ones, while the iteration's values are still in their variables. Nothing is taped or recomputed, and
    /// the data is read once (Rosenbrock's <c>for (i ...) sum += (1 - x[i])² + 100 (x[i+1] - x[i]²)²</c>, a squared
    /// error, a log-likelihood summed over samples). A loop qualifies when
    /// <list type="bullet">
    /// <item>it is a statement of the method's body, counted (<c>i = start; ...; i += step</c>), its index used nowhere
    /// else, with no <c>break</c> (whose flag would sit in the condition), the method scalar-valued;</item>
    /// <item>every variable it writes is either a running sum (only accumulated, <c>s += e</c>, and read nowhere else in
    /// the loop) or a scalar local of the iteration: used nowhere outside the loop and assigned in each iteration
    /// before it is read, so no value passes from one iteration to the next; it writes no array elements and passes
    /// arrays only to <c>[Differentiable]</c> callees, for parameters that are not spans (which they only read);</item>
    /// <item>no variable it reads is written after it (the reverse statements of the code after the loop would
    /// otherwise see adjoints the loop added too early);</item>
    /// <item>the code after it is linear in the sums, with coefficients that are known before the loop (the seed,
    /// parameters, values computed before it): <c>return sum</c>, <c>return sum / n</c>, <c>return a + 0.5 * b</c>.
    /// Each sum's adjoint at the loop's exit is then a formula, and it stays the same through every iteration,
    /// since accumulating into a sum leaves its adjoint alone.</item>
    /// </list>
    /// The order of the reverse iterations changes (first to last), which changes only the rounding of the sums
    /// into the adjoints the loop accumulates.
    /// </summary>
    private void FindFusibleLoops()
    {
        var source = method.Source;
        if (plainCalls || source.IsVectorValued || source.ResultArray is not null || hasOutputs) return;
        var statements = method.Body.Statements;
        for (int k = 1; k < statements.Count; k++)
        {
            if (statements[k] is not IrLoop loop || IrLoops.CountedIndex(loop) is not { } counted) continue;
            var index = counted.Index.Name;
            if (statements[k - 1] is not IrAssign init || init.Target != index || ReferencedOutside(index, loop, init)) continue;
            var after = statements.Skip(k + 1).ToList();
            if (PlanFusion(loop, index, after) is { } fused) fusedLoops.Add(fused);
        }
    }

    /// <summary>The fused form of the loop, or null when it does not qualify (see <see cref="FindFusibleLoops"/>).</summary>
    private FusedLoop? PlanFusion(IrLoop loop, string index, List<IrStatement> after)
    {
        bool jumps = false;
        Ir.ForEachStatement(loop.Body, s => jumps |= s is IrBreak or IrContinue or IrReturn);
        if (jumps) return null;

        var written = WrittenIn(loop, differentiableCalleesReadArrays: true);
        written.Remove(index);
        var sums = new List<string>();
        var iterationLocals = new HashSet<string>();
        foreach (var name in written.OrderBy(n => n, System.StringComparer.Ordinal))
        {
            if (OnlyAccumulates(name, loop) is { Count: > 0 } accumulations
                && accumulations.All(a => unsavedAccumulations.Any(u => ReferenceEquals(u, a))))
            {
                sums.Add(name);
                continue;
            }
            if (method.IsParameter(name) || !method.Locals.TryGetValue(name, out var type) || type.IsSequence || name == method.Result.Name
                || ReferencedOutsideLoop(name, loop))
            {
                return null;
            }
            iterationLocals.Add(name);
        }
        if (!sums.Any(adjoints.ContainsKey)) return null;
        if (Ir.VariablesOf(loop.Condition).Overlaps(iterationLocals)) return null;
        if (!AssignedBeforeRead(loop.Body, iterationLocals, new HashSet<string>())) return null;

        var readInLoop = Ir.VariablesOf(loop.Condition);
        Ir.ForEachRootExpression(loop.Body, e => Ir.CollectVariables(e, readInLoop));
        var writtenAfter = WrittenIn(new IrBlock(after.ToEquatableArray()), differentiableCalleesReadArrays: true);
        if (readInLoop.Overlaps(writtenAfter)) return null;

        var unknownBeforeLoop = new HashSet<string>(written.Concat(writtenAfter)) { index };
        var exitAdjoints = ExitAdjoints(after, sums.Where(adjoints.ContainsKey).ToList(), unknownBeforeLoop);
        if (exitAdjoints is null) return null;

        // An iteration's first assignment to each of its locals (on each path through its ifs) overwrites the previous
        // iteration's value, which nothing reads again: it is not saved.
        FindFirstAssignments(loop.Body, iterationLocals, new HashSet<string>());
        return new FusedLoop(loop, index, exitAdjoints);
    }

    private void FindFirstAssignments(IrBlock block, HashSet<string> iterationLocals, HashSet<string> seen)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IrAssign assign:
                    if (iterationLocals.Contains(assign.Target) && seen.Add(assign.Target)) firstAssignmentsInFusedLoops.Add(assign);
                    break;
                case IrIf ifStatement:
                {
                    var inThen = new HashSet<string>(seen);
                    var inElse = new HashSet<string>(seen);
                    FindFirstAssignments(ifStatement.Then, iterationLocals, inThen);
                    FindFirstAssignments(ifStatement.Else, iterationLocals, inElse);
                    seen.UnionWith(inThen);
                    seen.UnionWith(inElse);
                    break;
                }
                default:
                    // A nested loop's assignments run many times an iteration: none of them is a first.
                    Ir.ForEachStatement(IrBlock.Of(statement), s =>
                    {
                        if (s is IrAssign a) seen.Add(a.Target);
                    });
                    break;
            }
        }
    }

    /// <summary>
    /// True when, walking the block in order, every read of an iteration local comes after an assignment to it that
    /// runs on every path (in both branches of an <c>if</c>; not in a loop, which may not run).
    /// </summary>
    private static bool AssignedBeforeRead(IrBlock block, HashSet<string> iterationLocals, HashSet<string> assigned)
    {
        bool ReadsAssigned(IrExpr? expr) => expr is null || Ir.VariablesOf(expr).All(v => !iterationLocals.Contains(v) || assigned.Contains(v));
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IrAssign assign:
                    if (!ReadsAssigned(assign.Value)) return false;
                    assigned.Add(assign.Target);
                    break;
                case IrAssignElement element:
                    if (!ReadsAssigned(element.Index) || !ReadsAssigned(element.Column) || !ReadsAssigned(element.Value)) return false;
                    break;
                case IrExpressionStatement expression:
                    if (!ReadsAssigned(expression.Expression)) return false;
                    break;
                case IrIf ifStatement:
                {
                    if (!ReadsAssigned(ifStatement.Condition)) return false;
                    var inThen = new HashSet<string>(assigned);
                    var inElse = new HashSet<string>(assigned);
                    if (!AssignedBeforeRead(ifStatement.Then, iterationLocals, inThen) || !AssignedBeforeRead(ifStatement.Else, iterationLocals, inElse)) return false;
                    inThen.IntersectWith(inElse);
                    assigned.UnionWith(inThen);
                    break;
                }
                case IrLoop inner:
                {
                    if (!ReadsAssigned(inner.Condition)) return false;
                    var inside = new HashSet<string>(assigned);
                    if (!AssignedBeforeRead(inner.Body, iterationLocals, inside) || !AssignedBeforeRead(inner.Step, iterationLocals, inside)) return false;
                    break;
                }
                case IrComment:
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The adjoint of each running sum at the loop's exit, as a formula of values known before the loop, when the
    /// statements after the loop are linear in the sums; null otherwise. Walks the statements that involve a sum
    /// (directly or through a variable assigned from one) backwards from the result's adjoint, the seed, as the
    /// reverse sweep would: <c>t = a·s + b</c> adds <c>adjoint(t)·a</c> to <c>s</c>'s adjoint.
    /// </summary>
    private List<(string Sum, IrExpr ExitAdjoint)>? ExitAdjoints(List<IrStatement> after, List<string> sums, HashSet<string> unknownBeforeLoop)
    {
        var dependent = new HashSet<string>(sums);
        var involved = new List<IrAssign>();
        foreach (var statement in after)
        {
            if (!dependent.Any(name => DeclarationSinker.References(statement, name))) continue;
            if (statement is not IrAssign assign || method.TypeOf(assign.Target).IsSequence) return null;
            involved.Add(assign);
            dependent.Add(assign.Target);
        }

        var adjointOf = new Dictionary<string, IrExpr>();
        if (adjoints.TryGetValue(method.Result.Name, out var resultAdjoint)) adjointOf[method.Result.Name] = resultAdjoint;
        for (int i = involved.Count - 1; i >= 0; i--)
        {
            var assign = involved[i];
            if (!adjointOf.TryGetValue(assign.Target, out var adjoint)) continue;
            adjointOf.Remove(assign.Target);
            if (!AddLinearTerms(assign.Value, adjoint, dependent, unknownBeforeLoop, adjointOf)) return null;
        }
        var exits = sums.Where(adjointOf.ContainsKey).Select(s => (s, adjointOf[s])).ToList();
        return exits.Count > 0 ? exits : null;
    }

    /// <summary>
    /// Adds <c>factor · ∂expr/∂v</c> to <paramref name="adjointOf"/>[v] for each dependent variable v, when
    /// <paramref name="expr"/> is linear in them with coefficients that read nothing in
    /// <paramref name="unknownBeforeLoop"/>; false otherwise.
    /// </summary>
    private static bool AddLinearTerms(IrExpr expr, IrExpr factor, HashSet<string> dependent, HashSet<string> unknownBeforeLoop,
        Dictionary<string, IrExpr> adjointOf)
    {
        var reads = Ir.VariablesOf(expr);
        if (!reads.Overlaps(dependent)) return true;
        // Arithmetic on values known before the loop: no call, tape or allocation to repeat there.
        bool Known(IrExpr e) => !Ir.VariablesOf(e).Overlaps(unknownBeforeLoop) && IsCheapToRecompute(e);
        switch (expr)
        {
            case IrVariable variable:
                adjointOf[variable.Name] = adjointOf.TryGetValue(variable.Name, out var existing) ? Ir.Add(existing, factor) : factor;
                return true;
            case IrUnary { Op: UnaryOp.Negate } negation:
                return AddLinearTerms(negation.Operand, Ir.Negated(factor), dependent, unknownBeforeLoop, adjointOf);
            case IrBinary { Op: BinaryOp.Add } sum:
                return AddLinearTerms(sum.Left, factor, dependent, unknownBeforeLoop, adjointOf)
                    && AddLinearTerms(sum.Right, factor, dependent, unknownBeforeLoop, adjointOf);
            case IrBinary { Op: BinaryOp.Subtract } difference:
                return AddLinearTerms(difference.Left, factor, dependent, unknownBeforeLoop, adjointOf)
                    && AddLinearTerms(difference.Right, Ir.Negated(factor), dependent, unknownBeforeLoop, adjointOf);
            case IrBinary { Op: BinaryOp.Multiply } product:
                if (!Ir.VariablesOf(product.Left).Overlaps(dependent))
                {
                    return Known(product.Left) && AddLinearTerms(product.Right, ReverseMode.Multiply(factor, product.Left), dependent, unknownBeforeLoop, adjointOf);
                }
                if (!Ir.VariablesOf(product.Right).Overlaps(dependent))
                {
                    return Known(product.Right) && AddLinearTerms(product.Left, ReverseMode.Multiply(factor, product.Right), dependent, unknownBeforeLoop, adjointOf);
                }
                return false;
            case IrBinary { Op: BinaryOp.Divide } quotient when !Ir.VariablesOf(quotient.Right).Overlaps(dependent) && Known(quotient.Right):
                return AddLinearTerms(quotient.Left, Ir.Div(factor, quotient.Right), dependent, unknownBeforeLoop, adjointOf);
            default:
                return false;
        }
    }

    /// <summary>The fusion planned for this loop (by reference: loops are records, and two may print alike), or null.</summary>
    public FusedLoop? FusionOf(IrLoop loop)
    {
        foreach (var fused in fusedLoops)
        {
            if (ReferenceEquals(fused.Loop, loop)) return fused;
        }
        return null;
    }

    /// <summary>True for an iteration's first assignment to a local of a fused loop: the old value is the previous iteration's, which nothing reads.</summary>
    public bool IsFirstAssignmentInFusedLoop(IrAssign assign) => firstAssignmentsInFusedLoops.Any(a => ReferenceEquals(a, assign));
}
