using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// Which of the tape plan's economies apply: all of them, unless a test switches one off to check that it changes what the
/// reverse sweep keeps, and never a derivative.
/// </summary>
internal sealed record TapeRules
{
    /// <summary>Every economy: what the generator uses.</summary>
    public static readonly TapeRules All = new();

    /// <summary>A counted loop's index is rebuilt from its start in the reverse sweep instead of being kept (<see cref="TapePlan.LoopLocal"/>).</summary>
    public bool RebuildLoopIndices { get; init; } = true;

    /// <summary>A loop whose trip count can be worked out again does not count its iterations (<see cref="TapePlan.TripCount"/>).</summary>
    public bool WorkOutTripCounts { get; init; } = true;

    /// <summary>Cheap loop values are computed again in the reverse sweep instead of taped (<see cref="TapePlan.RecomputedIn"/>).</summary>
    public bool RecomputeCheapValues { get; init; } = true;

    /// <summary>A running sum's partial values are not kept (<see cref="TapePlan.IsUnsavedAccumulation"/>).</summary>
    public bool LeaveRunningSumsUnsaved { get; init; } = true;

    /// <summary>A write into an element of a new array restores a zero instead of a saved value (<see cref="TapePlan.IsWriteIntoFreshElement"/>).</summary>
    public bool RestoreFreshElementsToZero { get; init; } = true;

    /// <summary>A loop whose iterations only add into running sums runs its reverse sweep inside it (<see cref="TapePlan.FusionOf"/>).</summary>
    public bool FuseLoops { get; init; } = true;
}

/// <summary>An assignment statement, numbered in textual order, with the branches that lead to it.</summary>
internal sealed record AssignmentSite(string Target, int Index, ImmutableBranchPath Path, bool InLoop);

/// <summary>The chain of (if, branch) choices around a statement, outermost first.</summary>
internal sealed class ImmutableBranchPath
{
    public static readonly ImmutableBranchPath Root = new(new List<(int, bool)>());

    private readonly List<(int If, bool Then)> steps;

    private ImmutableBranchPath(List<(int, bool)> steps) => this.steps = steps;

    public ImmutableBranchPath Enter(int ifId, bool then) => new(new List<(int, bool)>(steps) { (ifId, then) });

    /// <summary>True when the two statements sit in different branches of one if, so never run together.</summary>
    public bool ExcludedBy(ImmutableBranchPath other)
    {
        for (int i = 0; i < steps.Count && i < other.steps.Count; i++)
        {
            if (steps[i].If != other.steps[i].If) return false;
            if (steps[i].Then != other.steps[i].Then) return true;
        }
        return false;
    }
}

/// <summary>
/// A loop whose reverse sweep runs inside it, each iteration's right after its forward statements: see
/// <see cref="TapePlan.FindFusibleLoops"/>.
/// </summary>
internal sealed record FusedLoop(IrLoop Loop, string Index, List<(string Sum, IrExpr ExitAdjoint)> ExitAdjoints);

/// <summary>
/// What a pullback's reverse sweep keeps and how it gets every other value back, decided before the sweeps are built, and
/// not changed while they are: which variables are saved before they are overwritten (<see cref="Saves"/>), which loop
/// indices are rebuilt from their start, which loops' trip counts are worked out again, which loop values are computed
/// again, which running sums and which writes into new arrays need no saving, and which loops run their reverse sweep
/// inside them. <see cref="ReverseMode"/>'s sweep builder consumes it. Each economy is a rule of <see cref="TapeRules"/>.
/// </summary>
internal sealed partial class TapePlan
{
    private readonly NormalizedMethod method;
    private readonly TapeRules rules;
    private readonly bool plainCalls;
    private readonly bool hasOutputs;
    private readonly IReadOnlyDictionary<string, IrVariable> adjoints;
    private readonly HashSet<string> saveSet;
    private readonly HashSet<string>? readInReverse;
    private readonly HashSet<string> elementWrites;
    private readonly List<AssignmentSite> sites = new();

    /// <summary>The <see cref="sites"/> of each variable, in order.</summary>
    private readonly Dictionary<string, List<AssignmentSite>> sitesByTarget = new();

    private IReadOnlyList<AssignmentSite> SitesOf(string name)
        => sitesByTarget.TryGetValue(name, out var ofName) ? ofName : System.Array.Empty<AssignmentSite>();
    private readonly List<(IrLoop Loop, IrAssign Init, IrExpr Start)> loopLocalIndices = new();
    private readonly List<(IrLoop Loop, List<IrAssign> Assignments)> recomputations = new();
    private readonly HashSet<string> recomputed = new();
    private readonly List<IrAssign> unsavedAccumulations = new();
    private readonly List<IrAssignElement> writesIntoFreshElements = new();
    private readonly List<FusedLoop> fusedLoops = new();
    private readonly List<IrAssign> firstAssignmentsInFusedLoops = new();

    /// <param name="method">The normalised method.</param>
    /// <param name="rules">The economies that apply.</param>
    /// <param name="adjoints">The adjoint of each variable that has one (the result's is the seed).</param>
    /// <param name="hasOutputs">Whether the method writes outputs (spans, or an array it returns).</param>
    /// <param name="saveSet">The variables read by the reverse sweep (or restored at the end) that are saved when overwritten.</param>
    /// <param name="readInReverse">The primal variables the reverse sweep reads; null on the first pass, which finds them.</param>
    /// <param name="plainCalls">The kernel form: it also recomputes Math functions, and fuses no loops.</param>
    public TapePlan(NormalizedMethod method, TapeRules rules, IReadOnlyDictionary<string, IrVariable> adjoints, bool hasOutputs,
        HashSet<string> saveSet, HashSet<string>? readInReverse, bool plainCalls)
    {
        this.method = method;
        this.rules = rules;
        this.adjoints = adjoints;
        this.hasOutputs = hasOutputs;
        // Copies: the caller grows its sets between passes, and a plan does not change.
        this.saveSet = new HashSet<string>(saveSet);
        this.readInReverse = readInReverse is null ? null : new HashSet<string>(readInReverse);
        this.plainCalls = plainCalls;
        elementWrites = Ir.ElementWriteTargets(method.Body);
        int ifCount = 0;
        CollectSites(method.Body, ImmutableBranchPath.Root, inLoop: false, ref ifCount);
        if (rules.RebuildLoopIndices) FindLoopLocalIndices(method.Body, new HashSet<string>());
        if (rules.LeaveRunningSumsUnsaved) FindRunningSums(method.Body);
        if (rules.RestoreFreshElementsToZero) FindWritesIntoFreshElements();
        if (readInReverse is not null && rules.RecomputeCheapValues) FindRecomputations(method.Body, readInReverse);
        if (rules.FuseLoops) FindFusibleLoops();
    }

    /// <summary>Numbers the assignments in textual order, with the branches that lead to each and whether it sits in a loop.</summary>
    private void CollectSites(IrBlock block, ImmutableBranchPath path, bool inLoop, ref int ifCount)
    {
        foreach (var statement in block.Statements)
        {
            if (statement is IrAssign assign)
            {
                var site = new AssignmentSite(assign.Target, sites.Count, path, inLoop);
                sites.Add(site);
                if (!sitesByTarget.TryGetValue(assign.Target, out var ofTarget)) sitesByTarget[assign.Target] = ofTarget = new List<AssignmentSite>();
                ofTarget.Add(site);
            }
            if (statement is IrIf ifStatement)
            {
                int id = ifCount++;
                CollectSites(ifStatement.Then, path.Enter(id, true), inLoop, ref ifCount);
                CollectSites(ifStatement.Else, path.Enter(id, false), inLoop, ref ifCount);
            }
            if (statement is IrLoop loop)
            {
                CollectSites(loop.Body, path, inLoop: true, ref ifCount);
                CollectSites(loop.Step, path, inLoop: true, ref ifCount);
            }
        }
    }

    /// <summary>True when the variable is saved before it is overwritten (the reverse sweep reads it, or restores it at the end).</summary>
    public bool Saves(string name) => saveSet.Contains(name);

    /// <summary>True when the assignment (numbered in textual order) sits in a loop.</summary>
    public bool IsInLoop(int siteIndex) => sites[siteIndex].InLoop;

    /// <summary>True when the variable's value is computed again in the reverse sweep (see <see cref="FindRecomputations(IrBlock, HashSet{string})"/>).</summary>
    public bool IsRecomputed(string name) => recomputed.Contains(name);

    /// <summary>True for an accumulation into a running sum whose partial values need no saving (see <see cref="FindRunningSums"/>).</summary>
    public bool IsUnsavedAccumulation(IrAssign assign) => unsavedAccumulations.Any(a => ReferenceEquals(a, assign));

    /// <summary>True for a write into an element known to hold zero (see <see cref="FindWritesIntoFreshElements"/>).</summary>
    public bool IsWriteIntoFreshElement(IrAssignElement assign) => writesIntoFreshElements.Any(w => ReferenceEquals(w, assign));

    /// <summary>True when some loop runs its reverse sweep inside it.</summary>
    public bool HasFusedLoops => fusedLoops.Count > 0;

    /// <summary>
    /// Loop values the reverse sweep recomputes instead of taping. A scalar local qualifies when it is assigned once in
    /// the method, by a statement directly in a loop's body, from a cheap expression (arithmetic, element reads, no
    /// calls or <c>Math</c> functions) of variables that still hold the iteration's values when its reverse starts: the
    /// counted indices of the loop and of the loops around it (rebuilt there), variables the loop does not write and
    /// that are either written once or read by the reverse sweep anyway (which keeps every variable it reads at its
    /// value at that point of the forward sweep, restoring those overwritten later), and locals recomputed before it.
    /// The local must not be read before that assignment in the body, nor outside the loop, so its value matters only
    /// within an iteration. Each reverse iteration then starts by re-running those assignments,
    /// in order, after rebuilding the index: <c>a = 1 - x[i]</c> costs less again than a push and a pop (Rosenbrock's
    /// loop needs no tape at all).
    /// </summary>
    private void FindRecomputations(IrBlock body, HashSet<string> readInReverse)
    {
        var candidates = new List<(IrLoop Loop, IrAssign Assign)>();
        FindRecomputations(body, new HashSet<string>(), new HashSet<string>(), readInReverse, candidates);
        // Only values the reverse sweep reads are recomputed, with the candidates those read in turn.
        var needed = new HashSet<string>(candidates.Select(c => c.Assign.Target).Where(readInReverse.Contains));
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (_, assign) in candidates)
            {
                if (!needed.Contains(assign.Target)) continue;
                foreach (var read in Ir.VariablesOf(assign.Value))
                {
                    grew |= candidates.Any(c => c.Assign.Target == read) && needed.Add(read);
                }
            }
        }
        // Grouped by loop, by reference: loops are records, and two loops may print alike.
        foreach (var (loop, assign) in candidates.Where(c => needed.Contains(c.Assign.Target)))
        {
            if (RecomputedIn(loop) is { } group) group.Add(assign);
            else recomputations.Add((loop, new List<IrAssign> { assign }));
        }
        recomputed.UnionWith(needed);
    }

    private void FindRecomputations(IrBlock block, HashSet<string> enclosingIndices, HashSet<string> enclosingCandidates,
        HashSet<string> readInReverse, List<(IrLoop Loop, IrAssign Assign)> candidates)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case IrLoop loop:
                    var indices = new HashSet<string>(enclosingIndices);
                    if (IrLoops.CountedIndex(loop) is { } counted) indices.Add(counted.Index.Name);
                    var inLoop = new HashSet<string>(enclosingCandidates);
                    foreach (var assign in Candidates(loop, indices, enclosingCandidates, readInReverse))
                    {
                        candidates.Add((loop, assign));
                        inLoop.Add(assign.Target);
                    }
                    FindRecomputations(loop.Body, indices, inLoop, readInReverse, candidates);
                    break;
                case IrIf ifStatement:
                    FindRecomputations(ifStatement.Then, enclosingIndices, enclosingCandidates, readInReverse, candidates);
                    FindRecomputations(ifStatement.Else, enclosingIndices, enclosingCandidates, readInReverse, candidates);
                    break;
            }
        }
    }

    /// <summary>The assignments directly in the loop's body that can be recomputed (in order).</summary>
    private List<IrAssign> Candidates(IrLoop loop, HashSet<string> indices, HashSet<string> enclosingCandidates, HashSet<string> readInReverse)
    {
        var written = WrittenIn(loop);
        var chosen = new List<IrAssign>();
        var chosenNames = new HashSet<string>();
        bool Available(string u) => indices.Contains(u) || chosenNames.Contains(u)
            || !written.Contains(u) && (enclosingCandidates.Contains(u) || readInReverse.Contains(u) || !IsOverwritten(u));
        var statements = loop.Body.Statements;
        for (int i = 0; i < statements.Count; i++)
        {
            if (statements[i] is not IrAssign assign) continue;
            var target = assign.Target;
            if (!method.Locals.TryGetValue(target, out var type) || type.IsSequence || target == method.Result.Name
                || method.AssignmentCount(target) != 1 || !IsCheapToRecompute(assign.Value, mathToo: plainCalls))
            {
                continue;
            }
            var reads = Ir.VariablesOf(assign.Value);
            if (reads.Contains(target) || !reads.All(Available)) continue;
            bool readBefore = false;
            for (int j = 0; j < i && !readBefore; j++) readBefore = DeclarationSinker.References(statements[j], target);
            if (readBefore || Ir.VariablesOf(loop.Condition).Contains(target) || loop.Step.Statements.Any(s => DeclarationSinker.References(s, target))
                || ReferencedOutsideLoop(target, loop))
            {
                continue;
            }
            chosen.Add(assign);
            chosenNames.Add(target);
        }
        return chosen;
    }

    /// <summary>
    /// Running sums that need no saving inside their loop: <c>s = 0; for (...) { ... s += e; ... }</c> (statements that do
    /// not mention <c>s</c> may come between), where inside the
    /// loop <c>s</c> only accumulates (<c>s = s ± e</c>, e without s). The derivative of an accumulation reads no value of
    /// <c>s</c>, so the reverse sweep never needs the partial sums; after the loop <c>s</c> holds the final sum, which is
    /// what later statements read, and reversing the reset before the loop brings back the value before it. So the
    /// loop pushes nothing for <c>s</c> (a log-sum-exp's <c>sumExp += Math.Exp(...)</c>).
    /// </summary>
    private void FindRunningSums(IrBlock block)
    {
        var statements = block.Statements;
        for (int i = 0; i < statements.Count; i++)
        {
            switch (statements[i])
            {
                case IrLoop loop:
                    // The reset may be followed by statements that leave the sum alone (the loop index's own start).
                    for (int j = i - 1; j >= 0; j--)
                    {
                        if (statements[j] is not IrAssign reset || Ir.VariablesOf(reset.Value).Contains(reset.Target)) continue;
                        bool untouched = true;
                        for (int between = j + 1; between < i && untouched; between++) untouched = !DeclarationSinker.References(statements[between], reset.Target);
                        if (untouched && OnlyAccumulates(reset.Target, loop) is { Count: > 0 } accumulations) unsavedAccumulations.AddRange(accumulations);
                    }
                    FindRunningSums(loop.Body);
                    break;
                case IrIf ifStatement:
                    FindRunningSums(ifStatement.Then);
                    FindRunningSums(ifStatement.Else);
                    break;
            }
        }
    }

    /// <summary>The loop's assignments to <paramref name="name"/> when all of them are accumulations and nothing else in the loop mentions it; otherwise null.</summary>
    private static List<IrAssign>? OnlyAccumulates(string name, IrLoop loop)
    {
        var accumulations = new List<IrAssign>();
        bool Visit(IrBlock block)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case IrAssign assign when assign.Target == name:
                        if (!IsAccumulation(assign)) return false;
                        accumulations.Add(assign);
                        break;
                    case IrIf ifStatement:
                        if (Ir.VariablesOf(ifStatement.Condition).Contains(name) || !Visit(ifStatement.Then) || !Visit(ifStatement.Else)) return false;
                        break;
                    case IrLoop inner:
                        if (Ir.VariablesOf(inner.Condition).Contains(name) || !Visit(inner.Body) || !Visit(inner.Step)) return false;
                        break;
                    default:
                        if (DeclarationSinker.References(statement, name)) return false;
                        break;
                }
            }
            return true;
        }
        return !Ir.VariablesOf(loop.Condition).Contains(name) && Visit(loop.Body) && Visit(loop.Step) ? accumulations : null;
    }

    /// <summary><c>v = v ± e</c> with <c>e</c> not reading <c>v</c>.</summary>
    private static bool IsAccumulation(IrAssign assign)
        => assign.Value is IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: IrVariable self } binary
            && self.Name == assign.Target && !Ir.VariablesOf(binary.Right).Contains(assign.Target);

    /// <summary>
    /// Arithmetic, comparisons, conversions and element reads: no calls, arrays or tape, and no <c>Math</c> functions unless
    /// <paramref name="mathToo"/>. The kernel form (<c>plainCalls</c>) recomputes loop temporaries such as
    /// <c>_t0 = Math.Exp(s * x[i])</c> too: on a GPU a transcendental function costs less than a round trip of its value
    /// through the tape in global memory, and the tape in the thread's scratch row gets shorter. The CPU code keeps
    /// taping them (recomputing there is the open performance question of the recurrence benchmark).
    /// </summary>
    private static bool IsCheapToRecompute(IrExpr value, bool mathToo = false)
    {
        bool cheap = true;
        Ir.ForEachNode(value, node => cheap &= node is IrLiteral or IrVariable or IrStaticField or IrUnary or IrBinary or IrConvert
            or IrElement or IrLength or IrConditional or IrStopDerivative || mathToo && node is IrMathCall);
        return cheap;
    }

    /// <summary>
    /// The variables a loop (body, step and nested statements) may write: assignment targets, arrays whose elements it
    /// writes, and, conservatively, every variable passed to a call (by reference, or an array the callee could write).
    /// </summary>
    private static HashSet<string> WrittenIn(IrLoop loop, bool differentiableCalleesReadArrays = false)
        => WrittenIn(IrBlock.Of(loop), differentiableCalleesReadArrays);

    /// <param name="block">The statements (nested ones included).</param>
    /// <param name="differentiableCalleesReadArrays">Trust that a <c>[Differentiable]</c> callee only reads an array passed
    /// for a parameter that is not a span, unless the parameter is marked written (an index array it writes; the generator
    /// refuses writes into floating-point array parameters, ADIFF002).</param>
    private static HashSet<string> WrittenIn(IrBlock block, bool differentiableCalleesReadArrays)
    {
        var written = new HashSet<string>();
        Ir.ForEachStatement(block, statement =>
        {
            if (statement is IrAssign assign) written.Add(assign.Target);
            if (statement is IrAssignElement element) written.Add(element.Sequence);
        });
        Ir.ForEachRootExpression(block, root => Ir.ForEachNode(root, node =>
        {
            if (node is not IrCall call) return;
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                var argument = call.Arguments[i];
                if (Ir.VariableOf(argument.Value) is not { } variable
                    || argument.Kind == ArgumentKind.Value && !variable.Type.IsSequence) continue;
                bool readOnly = differentiableCalleesReadArrays && call.Method.IsDifferentiable && argument.Kind == ArgumentKind.Value
                    && i < call.Method.Parameters.Count && call.Method.Parameters[i].Type.Shape != TypeShape.Span && !call.Method.Parameters[i].IsWrittenByCall;
                if (!readOnly) written.Add(variable.Name);
            }
        }));
        return written;
    }

    /// <summary>True when a statement outside the loop reads or writes the variable.</summary>
    private bool ReferencedOutsideLoop(string name, IrLoop loop) => ReferencedOutside(name, loop, init: null);

    /// <summary>The assignments the reverse sweep runs again at the start of each of the loop's reverse iterations, or null.</summary>
    public List<IrAssign>? RecomputedIn(IrLoop loop)
    {
        foreach (var entry in recomputations)
        {
            if (ReferenceEquals(entry.Loop, loop)) return entry.Assignments;
        }
        return null;
    }

    /// <summary>
    /// Counted loops whose index starts, just before the loop, from a constant, or (pass 2) from a cheap expression of
    /// values still available when the loop's reverse runs (enclosing loops' indices, variables kept for the reverse
    /// sweep anyway, or written once; <c>for (int row = column + 1; ...)</c>), and is used nowhere else: the reverse
    /// sweep rebuilds the index from that start, so neither the start nor the index's older value is kept (the common
    /// <c>for (int i = 0; ...; i++)</c>, nested or not).
    /// </summary>
    private void FindLoopLocalIndices(IrBlock block, HashSet<string> indices)
    {
        var statements = block.Statements;
        for (int i = 0; i < statements.Count; i++)
        {
            switch (statements[i])
            {
                case IrLoop loop:
                    var counted = IrLoops.CountedIndex(loop);
                    if (i > 0 && statements[i - 1] is IrAssign init && counted is { } c && c.Index.Name == init.Target
                        && (init.Value is IrLiteral || AvailableAfter(init.Value, loop, indices) && !Ir.VariablesOf(init.Value).Contains(init.Target))
                        && !ReferencedOutside(c.Index.Name, loop, init))
                    {
                        loopLocalIndices.Add((loop, init, init.Value));
                    }
                    var inner = new HashSet<string>(indices);
                    if (counted is { } d) inner.Add(d.Index.Name);
                    FindLoopLocalIndices(loop.Body, inner);
                    break;
                case IrIf ifStatement:
                    FindLoopLocalIndices(ifStatement.Then, indices);
                    FindLoopLocalIndices(ifStatement.Else, indices);
                    break;
            }
        }
    }

    /// <summary>
    /// True (in pass 2 only) when a cheap expression read around the loop can be evaluated again while the loop's
    /// reverse runs and give the same value: it reads only the enclosing loops' indices, which the reverse sweep
    /// rebuilds, and variables the loop does not write that the reverse sweep keeps anyway or that are written once.
    /// </summary>
    private bool AvailableAfter(IrExpr value, IrLoop loop, ICollection<string> indices)
    {
        if (readInReverse is null || !IsCheapToRecompute(value)) return false;
        var written = WrittenIn(loop);
        return Ir.VariablesOf(value).All(u => indices.Contains(u) || !written.Contains(u) && (readInReverse.Contains(u) || !IsOverwritten(u)));
    }

    /// <summary>
    /// The trip count of a loop <c>for (i = start; i &lt; bound; i++)</c> (or <c>&lt;=</c>) whose bound the reverse sweep can
    /// evaluate again (see <see cref="AvailableAfter"/>): <c>bound &gt; start ? bound - start : 0</c>. Null otherwise (a
    /// <c>break</c> adds a flag to the condition, so such loops count their iterations).
    /// </summary>
    public IrExpr? TripCount(IrLoop loop, IrExpr start, ICollection<string> enclosingIndices)
    {
        if (!rules.WorkOutTripCounts || !loop.TestFirst || IrLoops.CountedIndex(loop) is not { Step: 1 } counted) return null;
        if (loop.Condition is not IrBinary { Op: BinaryOp.Less or BinaryOp.LessOrEqual, Left: IrVariable index } condition || index.Name != counted.Index.Name) return null;
        if (index.Type != IrType.Int32 || condition.Right.Type != IrType.Int32 || start.Type != IrType.Int32) return null;
        var bound = condition.Op == BinaryOp.LessOrEqual ? Ir.Add(condition.Right, Ir.Lit(IrType.Int32, 1)) : condition.Right;
        if (Ir.VariablesOf(bound).Contains(index.Name) || !AvailableAfter(bound, loop, enclosingIndices)) return null;
        var count = start is IrLiteral { Value: 0 } ? bound : Ir.Sub(bound, start);
        return new IrConditional(IrType.Int32, Ir.Compare(BinaryOp.Greater, bound, start), count, Ir.Lit(IrType.Int32, 0));
    }

    /// <summary>
    /// True when a statement other than the loop (and its initialiser, when given) reads or writes the variable; the
    /// conditions of other ifs and loops count, their bodies are searched.
    /// </summary>
    private bool ReferencedOutside(string name, IrLoop loop, IrAssign? init)
    {
        bool found = false;
        void Visit(IrBlock block)
        {
            foreach (var statement in block.Statements)
            {
                if (ReferenceEquals(statement, loop) || init is not null && ReferenceEquals(statement, init)) continue;
                switch (statement)
                {
                    case IrIf ifStatement:
                        found |= Ir.VariablesOf(ifStatement.Condition).Contains(name);
                        Visit(ifStatement.Then);
                        Visit(ifStatement.Else);
                        break;
                    case IrLoop other:
                        found |= Ir.VariablesOf(other.Condition).Contains(name);
                        Visit(other.Body);
                        Visit(other.Step);
                        break;
                    default:
                        found |= DeclarationSinker.References(statement, name);
                        break;
                }
            }
        }
        Visit(method.Body);
        return found;
    }

    /// <summary>The loop's index rebuilt from its start (see <see cref="FindLoopLocalIndices"/>), or null.</summary>
    public (IrLoop Loop, IrAssign Init, IrExpr Start)? LoopLocal(IrLoop loop)
    {
        foreach (var entry in loopLocalIndices)
        {
            if (ReferenceEquals(entry.Loop, loop)) return entry;
        }
        return null;
    }

    /// <summary>True for the assignment that starts a loop whose index the reverse sweep rebuilds: it saves nothing.</summary>
    public bool IsLoopLocalInit(IrAssign assign) => loopLocalIndices.Any(e => ReferenceEquals(e.Init, assign));

    /// <summary>True when the variable can be written more than once in a run: by several assignments, or in a loop.</summary>
    public bool IsOverwritten(string name)
        => method.AssignmentCount(name) > 1 || SitesOf(name).Any(s => s.InLoop) || elementWrites.Contains(name);

    /// <summary>
    /// True when some execution can reach this assignment with the variable already holding a value:
    /// it is a parameter, or another assignment to it comes earlier and is not in the other branch of a
    /// shared if. Only then is there an old value to save, and an old adjoint to restart from zero.
    /// </summary>
    public bool HasEarlierValue(string target, int siteIndex)
    {
        var here = sites[siteIndex];
        if (method.IsParameter(target) || here.InLoop) return true;
        return SitesOf(target).Any(other => other.Index < siteIndex && !other.Path.ExcludedBy(here.Path));
    }

    /// <summary>
    /// Element writes whose old value is known to be zero, so that the reverse sweep restores a zero instead of
    /// popping a saved value: <c>a[k] = e</c> where <c>a</c> is a local made once by <c>new T[n]</c> at the top of the
    /// method and written nowhere else, and the write sits in a counted loop (not inside another loop) whose index is
    /// <c>k</c>, outside any inner loop. Each iteration has its own <c>k</c>, so each element is written at most once
    /// and held zero before. This keeps a loop that fills a local array tape-free (and GPU kernels need that).
    /// </summary>
    private void FindWritesIntoFreshElements()
    {
        var fresh = new HashSet<string>();
        foreach (var statement in method.Body.Statements)
        {
            if (statement is IrAssign { Value: IrNewArray { Columns: null } } made && method.AssignmentCount(made.Target) == 1) fresh.Add(made.Target);
        }
        if (fresh.Count == 0) return;
        // Arrays written by element more than once, copied into or handed to code that might write them are not fresh.
        var writeCounts = new Dictionary<string, int>();
        Ir.ForEachStatement(method.Body, statement =>
        {
            if (statement is IrAssignElement element) writeCounts[element.Sequence] = writeCounts.TryGetValue(element.Sequence, out var n) ? n + 1 : 1;
            if (statement is IrCopyInto copy) fresh.Remove(copy.Target);
        });
        Ir.ForEachRootExpression(method.Body, root => Ir.AnyNode(root, node =>
        {
            if (node is IrCall call)
            {
                foreach (var argument in call.Arguments)
                {
                    if (Ir.SequenceOf(argument.Value) is { } v && (argument.Kind != ArgumentKind.Value || !call.Method.IsDifferentiable)) fresh.Remove(v.Name);
                }
                // Outputs and arrays a callee writes hold its results, not zeros, wherever the call stands.
                foreach (var output in Ir.OutputArguments(call)) fresh.Remove(output.Name);
            }
            return false;
        }));
        foreach (var statement in method.Body.Statements)
        {
            if (statement is not IrLoop loop || IrLoops.CountedIndex(loop) is not { Step: not 0 } counted) continue;
            CollectIn(loop.Body);

            void CollectIn(IrBlock block)
            {
                foreach (var inner in block.Statements)
                {
                    switch (inner)
                    {
                        case IrAssignElement { Column: null, Index: IrVariable index } element
                            when index.Name == counted.Index.Name && fresh.Contains(element.Sequence) && writeCounts[element.Sequence] == 1:
                            writesIntoFreshElements.Add(element);
                            break;
                        case IrIf branch:
                            CollectIn(branch.Then);
                            CollectIn(branch.Else);
                            break;
                        case IrBlock nested:
                            CollectIn(nested);
                            break;
                    }
                }
            }
        }
    }

}
