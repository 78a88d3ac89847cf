using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using static AutoDiff.Generator.Model.DerivativeSignatures;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// Reverse mode: turns a method <c>F</c> into its pullback <c>FBackward</c>, an IR method that runs a forward
/// sweep (F's statements, plus what the reverse sweep needs) and then a reverse sweep that walks the
/// statements backwards, adding <c>seed · ∂F/∂x</c> into each parameter's adjoint.
/// </summary>
/// <remarks>
/// Values the reverse sweep reads are kept by normalisation in variables. A variable that is both read by
/// the reverse sweep and overwritten is saved before each overwrite and restored when the reverse sweep
/// passes the overwrite again; variables the reverse sweep never reads (a running sum) are never saved.
/// Branch conditions are recorded in booleans so that the reverse sweep takes the same branches.
/// </remarks>
internal static partial class ReverseMode
{
    /// <param name="method">The method.</param>
    /// <param name="plainCalls">Reverse every call through <c>GBackward</c> (no split pullbacks, no value-free rules): the form
    /// the kernel emitter expands, which knows only the callees' pullbacks.</param>
    public static IrMethod Differentiate(IrMethod method, bool plainCalls = false) => DifferentiateWithSplit(method, plainCalls).Backward;

    /// <summary>
    /// The pullback <c>FBackward</c>, and F's split pullback: <c>FForward</c> (F's forward sweep, which returns F's value and
    /// leaves on the caller's tape the values its reverse sweep reads) and <c>FReverse</c> (which takes them back and runs
    /// the reverse sweep). Split is null when F's forward sweep keeps arrays (which the tape does not hold) or writes
    /// elements, F is vector-valued or takes ref or out parameters, or running F again costs less than keeping its values
    /// (<c>WorthSplitting</c>): <c>FForward</c> and <c>FReverse</c> then run F's statements and call FBackward.
    /// </summary>
    public static (IrMethod Backward, SplitPullback? Split) DifferentiateWithSplit(IrMethod method, bool plainCalls = false)
        => Differentiate(method, plainCalls, inPlace: false);

    /// <summary>
    /// <c>FBackwardInPlace</c>, the pullback of a vector-valued method <c>F</c> that generated callers use (a caller's
    /// reverse sweep calls it where the forward sweep called F). It takes FBackward's parameters, but each output's seed is
    /// a span it changes in place: given the adjoint of the output's contents after F, it leaves there the adjoint of its
    /// contents on entry (F may read them, and leaves the elements it does not write as they were). It runs F on the
    /// outputs as it finds them and puts back every element it overwrites, so that the outputs end as they began.
    /// </summary>
    public static IrMethod DifferentiateInPlace(IrMethod method) => Differentiate(method, plainCalls: false, inPlace: true).Backward;

    private static (IrMethod Backward, SplitPullback? Split) Differentiate(IrMethod method, bool plainCalls, bool inPlace)
    {
        var pullbackNames = DerivativeNaming.ForPullback(method);
        var reserved = new List<string>(method.Parameters.Select(p => p.Name)) { pullbackNames.Seed };
        reserved.AddRange(pullbackNames.Adjoints.Select(a => a.Adjoint));
        Ir.ForEachStatement(method.Body, s =>
        {
            if (s is IrDeclare d) reserved.Add(d.Name);
        });
        var names = new NameAllocator(reserved);
        var normalized = Normalizer.Normalize(method, names);

        // Pass 1 finds what the reverse sweep reads; pass 2 saves those of them that are overwritten.
        // Pass 1 tapes every loop value; pass 2 recomputes the cheap ones (see FindRecomputations), only from variables
        // that pass 1 already keeps, so that recomputing never makes another variable need saving.
        // In place, every output is restored as the reverse sweep passes its writes, so that it ends as it began.
        var restoredOutputs = inPlace ? method.Parameters.Where(p => p.IsWrittenByCall).Select(p => p.Name).ToList() : new List<string>();
        var probe = new Builder(normalized, pullbackNames, names.Clone(), saveSet: new HashSet<string>(restoredOutputs), readInReverse: null, plainCalls, inPlace);
        probe.Build();
        var readInReverse = new HashSet<string>(probe.PrimalVariablesReadInReverse());
        // The result is written at most once per run (every statement after a return is skipped), so it is
        // never saved, and it still holds the value to return when the reverse sweep ends.
        bool NeedsSaving(string name) => name != normalized.Result.Name && probe.IsOverwritten(name);
        var saveSet = new HashSet<string>(readInReverse.Where(NeedsSaving).Concat(restoredOutputs));
        // Saving brings reads of its own: restoring an element, a[k] = <saved>, reads the index k as it was at the write.
        // When pass 2 reads a variable pass 1 did not, that variable joins the set, which is saved too when overwritten
        // (k++ after the write), and the sweeps are built again, until nothing new is read.
        Builder builder;
        IrBlock body;
        while (true)
        {
            builder = new Builder(normalized, pullbackNames, names.Clone(), saveSet, readInReverse, plainCalls, inPlace);
            body = builder.Build();
            var newlyRead = builder.PrimalVariablesReadInReverse().Where(n => !readInReverse.Contains(n)).ToList();
            if (newlyRead.Count == 0) break;
            readInReverse.UnionWith(newlyRead);
            saveSet.UnionWith(newlyRead.Where(NeedsSaving));
        }

        // The seeds of a vector-valued method: one read-only span per output (a vector-Jacobian product); in place, spans.
        var seeds = method.IsVectorValued
            ? pullbackNames.OutputSeeds.Select(o => new IrParameter(o.Seed,
                (method.ResultArray == o.Output ? method.ReturnType : method.Parameters.First(p => p.Name == o.Output).Type).WithShape(inPlace ? TypeShape.Span : TypeShape.ReadOnlySpan)))
            : new[] { new IrParameter(pullbackNames.Seed, method.ReturnType) };
        var parameters = PullbackParameters(method.Parameters, seeds, p => pullbackNames.AdjointOf(p.Name));
        var backward = new IrMethod(method.Name + (inPlace ? DerivativeKind.BackwardInPlace.Suffix() : DerivativeKind.Backward.Suffix()), method.ReturnType, parameters, body);
        return (backward, inPlace ? null : builder.Split(parameters));
    }

    /// <summary>An assignment statement, numbered in textual order, with the branches that lead to it.</summary>
    private sealed record AssignmentSite(string Target, int Index, ImmutableBranchPath Path, bool InLoop);

    /// <summary>The chain of (if, branch) choices around a statement, outermost first.</summary>
    private sealed class ImmutableBranchPath
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

    private sealed partial class Builder
    {
        private readonly NormalizedMethod method;
        private readonly NameAllocator names;
        private readonly HashSet<string> saveSet;
        private readonly Dictionary<string, IrVariable> adjoints = new();
        private readonly List<AssignmentSite> sites = new();

        /// <summary>The <see cref="sites"/> of each variable, in order.</summary>
        private readonly Dictionary<string, List<AssignmentSite>> sitesByTarget = new();

        private IReadOnlyList<AssignmentSite> SitesOf(string name)
            => sitesByTarget.TryGetValue(name, out var ofName) ? ofName : System.Array.Empty<AssignmentSite>();
        private readonly HashSet<string> elementWrites;
        private readonly List<(IrLoop Loop, IrAssign Init, IrExpr Start)> loopLocalIndices = new();
        private readonly HashSet<string>? readInReverse;
        private readonly List<string> enclosingIndices = new();
        private readonly List<(IrLoop Loop, List<IrAssign> Assignments)> recomputations = new();
        private readonly HashSet<string> recomputed = new();
        private readonly List<IrAssign> unsavedAccumulations = new();
        private readonly List<IrAssignElement> writesIntoFreshElements = new();
        private readonly bool plainCalls;
        private readonly List<Declaration> declarations = new();
        private readonly Dictionary<IrType, IrVariable> discards = new();
        private readonly HashSet<string> primalVariables;
        private readonly List<IrStatement> reverseStatements = new();
        private readonly List<(IrVariable Parameter, IrVariable Local)> parameterAdjointsToFlush = new();

        /// <summary>The adjoint spans of arrays updated in place, and the local arrays that hold their adjoints until the end.</summary>
        private readonly List<(IrVariable Parameter, IrVariable Local)> arrayAdjointsToFlush = new();
        private readonly string tape;
        private readonly List<IrVariable> outputs = new();
        private bool usesTape;
        private int site;
        /// <summary>How many loops are around the statement being processed.</summary>
        private int LoopDepth => enclosingLoopsFused.Count;
        private string? reconstructedIndex;

        /// <summary>Building <c>FBackwardInPlace</c>: the seeds are the outputs' adjoints, and the outputs are not given their results back.</summary>
        private readonly bool inPlace;

        public Builder(NormalizedMethod method, PullbackNames pullbackNames, NameAllocator names, HashSet<string> saveSet, HashSet<string>? readInReverse,
            bool plainCalls, bool inPlace = false)
        {
            this.plainCalls = plainCalls;
            this.inPlace = inPlace;
            this.method = method;
            this.names = names;
            this.saveSet = saveSet;
            tape = names.Fresh("_tape");
            elementWrites = Ir.ElementWriteTargets(method.Body);
            primalVariables = new HashSet<string>(method.Source.Parameters.Select(p => p.Name).Concat(method.Locals.Keys));
            var readInLoops = new HashSet<string>();
            Ir.ForEachStatement(method.Body, statement =>
            {
                if (statement is not IrLoop loop) return;
                Ir.CollectVariables(loop.Condition, readInLoops);
                Ir.ForEachRootExpression(loop.Body, e => Ir.CollectVariables(e, readInLoops));
            });

            // The result's adjoint is the seed; a parameter's is its ref adjoint, or a local when the
            // parameter is reassigned (the ref adjoint only ever accumulates).
            if (!method.Source.IsVectorValued) adjoints[method.Result.Name] = Ir.Var(method.Result.Type, pullbackNames.Seed);
            // An output's adjoint starts as a copy of its seed (the reverse sweep zeroes elements as it goes).
            foreach (var (output, seed) in pullbackNames.OutputSeeds)
            {
                var type = TypeOf(output);
                if (inPlace)
                {
                    // In place, the seed span is the adjoint: at the end it holds the adjoint of the output's contents on entry.
                    adjoints[output] = Ir.Var(type.WithShape(TypeShape.Span), seed);
                }
                else
                {
                    var adjoint = Ir.Var(type.WithShape(TypeShape.Array), names.Fresh(AdjointLocalName(output)));
                    declarations.Add(new Declaration(adjoint.Name, adjoint.Type, new IrArrayCopy(adjoint.Type, Ir.Var(type.WithShape(TypeShape.ReadOnlySpan), seed))));
                    adjoints[output] = adjoint;
                }
                outputs.Add(Ir.Var(type, output));
            }
            foreach (var parameter in method.Source.Parameters.Where(p => p.IsDifferentiable))
            {
                var refAdjoint = Ir.Var(AdjointParameter(parameter.Name, parameter.Type).Type, pullbackNames.AdjointOf(parameter.Name));
                // A local also serves a parameter read in a loop: its adjoint accumulates there, and a ref's target stays in
                // memory (the JIT cannot keep it in a register past the span writes of the same loop).
                if (parameter.IsWritten && parameter.Type.Shape == TypeShape.Array && !inPlace)
                {
                    // An array updated in place: its elements are overwritten, and the adjoint of an overwritten element
                    // starts again from zero, so the adjoint is a local (dV accumulates what the caller had) added at the end.
                    var local = Ir.Var(parameter.Type, names.Fresh(AdjointLocalName(parameter.Name)));
                    declarations.Add(new Declaration(local.Name, local.Type, Pooled(Ir.ZerosLike(Ir.Var(parameter.Type, parameter.Name), parameter.Type))));
                    adjoints[parameter.Name] = local;
                    arrayAdjointsToFlush.Add((refAdjoint, local));
                }
                else if (!parameter.Type.IsSequence && (method.AssignmentCount(parameter.Name) > 1 || readInLoops.Contains(parameter.Name)))
                {
                    var local = Ir.Var(parameter.Type, names.Fresh(AdjointLocalName(parameter.Name)));
                    declarations.Add(new Declaration(local.Name, local.Type, Ir.Zero(local.Type)));
                    adjoints[parameter.Name] = local;
                    parameterAdjointsToFlush.Add((refAdjoint, local));
                }
                else
                {
                    adjoints[parameter.Name] = refAdjoint;
                }
            }
            foreach (var local in method.Locals)
            {
                if (local.Key != method.Result.Name && local.Key != method.Source.ResultArray && method.Activity.IsVaried(local.Key))
                {
                    var adjoint = Ir.Var(local.Value, names.Fresh(AdjointLocalName(local.Key)));
                    // A local array's adjoint is an array of the same length, made when first needed.
                    IrExpr initial = local.Value.IsSequence
                        ? Pooled(Ir.ZerosLike(Ir.Var(local.Value, local.Key), local.Value))
                        : Ir.Zero(adjoint.Type);
                    declarations.Add(new Declaration(adjoint.Name, adjoint.Type, initial));
                    adjoints[local.Key] = adjoint;
                }
                declarations.Add(new Declaration(local.Key, local.Value, Ir.Zero(local.Value)));
            }

            int ifCount = 0;
            void Collect(IrBlock block, ImmutableBranchPath path, bool inLoop)
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
                        Collect(ifStatement.Then, path.Enter(id, true), inLoop);
                        Collect(ifStatement.Else, path.Enter(id, false), inLoop);
                    }
                    if (statement is IrLoop loop)
                    {
                        Collect(loop.Body, path, inLoop: true);
                        Collect(loop.Step, path, inLoop: true);
                    }
                }
            }
            Collect(method.Body, ImmutableBranchPath.Root, inLoop: false);
            this.readInReverse = readInReverse;
            FindLoopLocalIndices(method.Body, new HashSet<string>());
            FindRunningSums(method.Body);
            FindWritesIntoFreshElements();
            if (readInReverse is not null) FindRecomputations(method.Body, readInReverse);
            FindFusibleLoops();
        }

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
                        if (CountedIndex(loop) is { } counted) indices.Add(counted.Index.Name);
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

        private List<IrAssign>? RecomputedIn(IrLoop loop)
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
                        var counted = CountedIndex(loop);
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
        private IrExpr? TripCount(IrLoop loop, IrExpr start)
        {
            if (!loop.TestFirst || CountedIndex(loop) is not { Step: 1 } counted) return null;
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

        private (IrLoop Loop, IrAssign Init, IrExpr Start)? LoopLocal(IrLoop loop)
        {
            foreach (var entry in loopLocalIndices)
            {
                if (ReferenceEquals(entry.Loop, loop)) return entry;
            }
            return null;
        }

        private bool IsLoopLocalInit(IrAssign assign) => loopLocalIndices.Any(e => ReferenceEquals(e.Init, assign));

        /// <summary>True when the variable can be written more than once in a run: by several assignments, or in a loop.</summary>
        public bool IsOverwritten(string name)
            => method.AssignmentCount(name) > 1 || SitesOf(name).Any(s => s.InLoop) || elementWrites.Contains(name);

        /// <summary>
        /// True when some execution can reach this assignment with the variable already holding a value:
        /// it is a parameter, or another assignment to it comes earlier and is not in the other branch of a
        /// shared if. Only then is there an old value to save, and an old adjoint to restart from zero.
        /// </summary>
        private bool HasEarlierValue(string target, int siteIndex)
        {
            var here = sites[siteIndex];
            if (IsParameter(target) || here.InLoop) return true;
            return SitesOf(target).Any(other => other.Index < siteIndex && !other.Path.ExcludedBy(here.Path));
        }

        private readonly List<IrStatement> forwardStatements = new();

        public IrBlock Build()
        {
            var forward = new List<IrStatement>();
            reverseStatements.AddRange(ProcessBlock(method.Body, forward));
            // The method's local arrays live as long as the call: they come from the tape's pool, except a returned one.
            forwardStatements.AddRange(forward.Select(statement => statement switch
            {
                IrDeclare { Initializer: IrNewArray array } declare when declare.Name != method.Source.ResultArray
                    => declare with { Initializer = Pooled(array) },
                IrAssign { Value: IrNewArray array } assign when assign.Target != method.Source.ResultArray
                    => assign with { Value = Pooled(array) },
                _ => statement,
            }));

            var body = new List<IrStatement>();
            body.Add(new IrComment($"Forward sweep: {method.Source.Name}'s statements, keeping the values the reverse sweep reads."));
            body.AddRange(forwardStatements);
            // Outputs the reverse sweep restores get their results back at the end.
            // So do index arrays given to the method that it writes (its caller sees them as the method leaves them).
            var restoredOutputs = inPlace ? new List<IrVariable>()
                : outputs.Concat(method.Source.Parameters.Where(p => p.IsWritten).Select(p => Ir.Var(p.Type, p.Name))).Where(o => saveSet.Contains(o.Name)).ToList();
            var finals = restoredOutputs.Select(o => (Output: o, Final: Ir.Var(o.Type.WithShape(TypeShape.Array), names.Fresh("_" + NameAllocator.Unescaped(o.Name) + "_final")))).ToList();
            foreach (var (output, final) in finals) body.Add(new IrDeclare(final.Type, final.Name, new IrArrayCopy(final.Type, output)));
            body.Add(new IrComment("Reverse sweep: propagate the seed back to the parameters' adjoints."));
            body.AddRange(reverseStatements);
            foreach (var (output, final) in finals) body.Add(new IrCopyInto(final, output.Name));
            foreach (var (parameter, local) in parameterAdjointsToFlush)
            {
                body.Add(Ir.AddAssign(parameter, local));
            }
            foreach (var (parameter, local) in arrayAdjointsToFlush)
            {
                // dV[k] += _d_v[k]: the adjoint of the values passed in.
                ForEachElement(new IrLength(local), index => new IrAssignElement(parameter.Name, index,
                    Ir.Add(new IrElement(parameter.Type.Element, parameter, index), new IrElement(local.Type.Element, local, index))), body);
            }
            if (usesTape)
            {
                body.Insert(1, new IrTapeRent(tape));
                body.Add(new IrTapeReturn(tape));
            }
            if (method.Source.ResultArray is { } resultArray) body.Add(new IrReturn(Ir.Var(TypeOf(resultArray), resultArray)));
            else if (!method.Source.IsVectorValued) body.Add(new IrReturn(method.Result));
            RemoveDeadAdjointStores(body);
            return Tidy(body);
        }

        /// <summary>
        /// The clean-up passes over a pullback body (FBackward's, or FReverse's): fixed-index adjoints into locals, zero
        /// adjoints assigned, declarations placed, and one accumulation per array element.
        /// </summary>
        private IrBlock Tidy(List<IrStatement> body)
        {
            body = ConstantElementAdjoints.Promote(body, AdjointSpans(), names, declarations);
            var startingAtZero = new HashSet<string>(declarations.Where(d => d.Initial is IrLiteral { Value: 0 }).Select(d => d.Name));
            var zeroAdjoints = new HashSet<string>(AdjointLocals().Where(a => !a.Type.IsSequence && startingAtZero.Contains(a.Name)).Select(a => a.Name));
            body = ZeroAccumulations.Fold(body, zeroAdjoints, zeroAdjoints);
            return AccumulationMerger.Merge(DeclarationSinker.Sink(body, declarations));
        }

        /// <summary>The adjoints that are locals of the pullback (not its ref or span parameters).</summary>
        private IEnumerable<IrVariable> AdjointLocals()
        {
            var declared = new HashSet<string>(declarations.Select(d => d.Name));
            return adjoints.Values.Where(a => declared.Contains(a.Name));
        }

        /// <summary>The adjoint spans of the parameters that are arrays (not matrices).</summary>
        private IEnumerable<IrVariable> AdjointSpans()
            => method.Source.Parameters.Where(p => p.IsDifferentiable && p.Type.IsSequence && !p.Type.IsMatrix && adjoints.ContainsKey(p.Name)).Select(p => adjoints[p.Name]);

        /// <summary>
        /// Drops the body's top-level writes to adjoint locals that nothing after them reads: the adjoint a fused loop's
        /// sum gets back after the loop, for reverse statements before the loop that do not read it, and the resets of
        /// adjoints at the end of the reverse sweep.
        /// </summary>
        private void RemoveDeadAdjointStores(List<IrStatement> body)
        {
            var adjointLocals = new HashSet<string>(AdjointLocals().Select(a => a.Name));
            var mentionedAfter = new HashSet<string>();
            for (int i = body.Count - 1; i >= 0; i--)
            {
                if (body[i] is IrAssign assign && adjointLocals.Contains(assign.Target) && !mentionedAfter.Contains(assign.Target)
                    && !Ir.AnyNode(assign.Value, node => node is IrCall or IrTapePop))
                {
                    body.RemoveAt(i);
                    continue;
                }
                DeclarationSinker.CollectNames(body[i], mentionedAfter);
            }
        }

        /// <summary>
        /// After <see cref="Build"/>: the two halves of the split pullback, or null when the method does not qualify. The
        /// forward half is the forward sweep, then a push of each variable the reverse sweep reads that the forward sweep
        /// wrote (its locals, save slots, branch records, iteration counts, reassigned parameters); the reverse half pops
        /// them back, in reverse order, and runs the reverse sweep. Everything else the forward sweep pushed is still on
        /// the tape underneath, in the order the reverse sweep pops it.
        /// </summary>
        public SplitPullback? Split(EquatableArray<IrParameter> pullbackParameters)
        {
            var source = method.Source;
            if (source.IsVectorValued || source.ResultArray is not null || source.Parameters.Any(p => p.Kind != ParameterKind.Value)) return null;
            // A fused loop runs reverse statements in the forward sweep, which needs the seed.
            if (fusedLoops.Count > 0) return null;
            bool keepsArrays = false;
            var written = new List<string>();
            Ir.ForEachStatement(new IrBlock(forwardStatements.ToEquatableArray()), statement =>
            {
                switch (statement)
                {
                    case IrAssign assign:
                        if (!written.Contains(assign.Target)) written.Add(assign.Target);
                        break;
                    case IrAssignElement or IrCopyInto:
                        keepsArrays = true;
                        break;
                }
            });
            Ir.ForEachRootExpression(new IrBlock(forwardStatements.ToEquatableArray()), e => Ir.ForEachNode(e, node => keepsArrays |= node is IrNewArray or IrArrayCopy));
            var read = new HashSet<string>();
            Ir.ForEachRootExpression(new IrBlock(reverseStatements.ToEquatableArray()), e => Ir.CollectVariables(e, read));
            var kept = written.Where(read.Contains).Select(name => Ir.Var(TypeOfAny(name), name)).ToList();
            if (keepsArrays || kept.Any(v => v.Type.IsSequence)) return null;
            if (!WorthSplitting(kept.Count)) return null;

            var forwardBody = new List<IrStatement>
            {
                new IrComment($"{source.Name}'s forward sweep, as in {source.Name}{DerivativeKind.Backward.Suffix()}; the values its reverse sweep reads stay on the caller's tape."),
            };
            forwardBody.AddRange(forwardStatements);
            forwardBody.AddRange(kept.Select(v => (IrStatement)new IrTapePush(tape, v)));
            forwardBody.Add(new IrReturn(method.Result));

            var reverseBody = new List<IrStatement>
            {
                new IrComment($"{source.Name}'s reverse sweep, as in {source.Name}{DerivativeKind.Backward.Suffix()}, on the values {source.Name}{DerivativeKind.Forward.Suffix()} left on the tape."),
            };
            reverseBody.AddRange(Enumerable.Reverse(kept).Select(v => Ir.Assign(v.Name, new IrTapePop(v.Type, tape))));
            reverseBody.AddRange(reverseStatements);
            foreach (var (parameter, local) in parameterAdjointsToFlush) reverseBody.Add(Ir.AddAssign(parameter, local));

            return new SplitPullback(
                new IrMethod(source.Name + DerivativeKind.Forward.Suffix(), source.ReturnType, source.Parameters, DeclarationSinker.Sink(forwardBody, declarations)),
                new IrMethod(source.Name + DerivativeKind.Reverse.Suffix(), IrType.Void, pullbackParameters, Tidy(reverseBody)),
                tape);
        }

        /// <summary>
        /// Whether keeping F's values costs less than computing them again: a push and a pop cost about as much as a few
        /// additions, a transcendental function (exp, log, tanh, pow, ...) several times that. So F is split when its
        /// forward sweep has a loop or a call, or at least one such function for every two values it would keep:
        /// softplus (two of four functions run, five values kept) is split; a ReLU behind an activation switch
        /// (thirteen values, most of them from branches not taken) is recomputed, as FBackward would.
        /// </summary>
        private bool WorthSplitting(int keptCount)
        {
            bool loopOrCall = false;
            int functions = 0;
            var block = new IrBlock(forwardStatements.ToEquatableArray());
            Ir.ForEachStatement(block, statement => loopOrCall |= statement is IrLoop);
            Ir.ForEachRootExpression(block, e => Ir.ForEachNode(e, node =>
            {
                loopOrCall |= node is IrCall;
                if (node is IrMathCall { Function: not (MathFunction.Abs or MathFunction.Max or MathFunction.Min or MathFunction.Clamp
                    or MathFunction.Floor or MathFunction.Ceiling or MathFunction.Round or MathFunction.Truncate or MathFunction.Sign or MathFunction.Sqrt) })
                {
                    functions++;
                }
            }));
            return loopOrCall || 2 * functions >= keptCount;
        }

        /// <summary>The type of a parameter, a local of the method, or a local the builder declared (a save slot, a record, a count).</summary>
        private IrType TypeOfAny(string name)
            => method.Locals.TryGetValue(name, out var type) ? type
                : method.Source.Parameters.FirstOrDefault(p => p.Name == name)?.Type
                ?? declarations.First(d => d.Name == name).Type;

        /// <summary>The primal variables (parameters and locals) that the reverse sweep reads.</summary>
        public IEnumerable<string> PrimalVariablesReadInReverse()
        {
            var read = new HashSet<string>();
            Ir.ForEachRootExpression(new IrBlock(reverseStatements.Concat(reverseStatementsInFusedLoops).ToEquatableArray()), e => Ir.CollectVariables(e, read));
            return read.Where(primalVariables.Contains);
        }

        private List<IrStatement> ProcessBlock(IrBlock block, List<IrStatement> forward)
        {
            var chunks = new List<List<IrStatement>>();
            foreach (var statement in block.Statements)
            {
                // The forward sweep's copy of a statement maps to its line; the reverse sweep is hidden from the debugger.
                int start = forward.Count;
                chunks.Add(ProcessStatement(statement, forward));
                Ir.StampSource(forward, start, statement.Origin);
            }
            chunks.Reverse();
            return chunks.SelectMany(c => c).ToList();
        }

        private List<IrStatement> ProcessStatement(IrStatement statement, List<IrStatement> forward)
        {
            var reverse = new List<IrStatement>();
            switch (statement)
            {
                case IrAssign { Value: IrCall call } assign when Ir.WritesArguments(call):
                {
                    // t = G(args) where G writes index arrays it is given: they are kept before the call and put back
                    // before G's pullback runs (GBackwardInPlace, which leaves them as it finds them).
                    var saved = SaveWrittenViews(call, forward);
                    var reverseOfAssignment = new List<IrStatement>();
                    ProcessAssignment(assign, forward, reverseOfAssignment);
                    RestoreWrittenViews(saved, reverse);
                    reverse.AddRange(reverseOfAssignment);
                    break;
                }
                case IrAssign assign:
                    ProcessAssignment(assign, forward, reverse);
                    break;
                case IrAssignElement element:
                    ProcessElementAssignment(element, forward, reverse);
                    break;
                case IrExpressionStatement { Expression: IrCall call } when Ir.WritesOutputs(statement):
                    ProcessCallWithOutputs(statement, call, forward, reverse);
                    break;
                case IrIf ifStatement:
                {
                    // Named before the branches are processed, so that records number in textual order.
                    var recordName = names.Numbered("_branch");
                    var forwardThen = new List<IrStatement>();
                    var reverseThen = ProcessBlock(ifStatement.Then, forwardThen);
                    var forwardElse = new List<IrStatement>();
                    var reverseElse = ProcessBlock(ifStatement.Else, forwardElse);
                    var condition = ifStatement.Condition;
                    bool recordOnTape = false;
                    if (reverseThen.Count > 0 || reverseElse.Count > 0)
                    {
                        if (!(condition is IrVariable v && method.AssignmentCount(v.Name) <= 1 && LoopDepth == 0))
                        {
                            var record = Ir.Var(IrType.Boolean, recordName);
                            declarations.Add(new Declaration(record.Name, IrType.Boolean, Ir.Zero(IrType.Boolean)));
                            forward.Add(Ir.Assign(record.Name, condition));
                            condition = record;
                            // In a loop every iteration records its own branch: pushed after the if (so that the
                            // branch's own pushes come off the tape first) and popped before the reverse if.
                            recordOnTape = LoopDepth > 0 && !InFusedIteration;
                            if (recordOnTape) reverse.Add(Ir.Assign(record.Name, Pop(IrType.Boolean)));
                        }
                        reverse.Add(reverseThen.Count > 0
                            ? new IrIf(condition, Block(reverseThen), Block(reverseElse))
                            : new IrIf(Ir.Not(condition), Block(reverseElse), IrBlock.Empty));
                    }
                    forward.Add(new IrIf(condition, Block(forwardThen), Block(forwardElse)) { Origin = ifStatement.Origin });
                    if (recordOnTape) forward.Add(Push(condition));
                    break;
                }
                case IrLoop loop when FusionOf(loop) is { } fused:
                    ProcessFusedLoop(fused, forward);
                    break;
                case IrLoop loop:
                    ProcessLoop(loop, forward, reverse);
                    break;
                default:
                    forward.Add(statement);
                    break;
            }
            return reverse;
        }

        /// <summary>
        /// A loop runs forwards counting its iterations; the reverse sweep runs the reversed body as many times.
        /// A loop whose index changes only by a constant step (<c>i++</c>, <c>i -= 2</c>) gets its index back as
        /// <c>start + k·step</c> instead of from the tape. A loop inside a loop keeps its count (and start) on the tape.
        /// </summary>
        private void ProcessLoop(IrLoop loop, List<IrStatement> forward, List<IrStatement> reverse)
        {
            var counted = CountedIndex(loop);
            IrExpr? start = null;
            IrVariable? startVariable = null;
            var loopLocal = LoopLocal(loop);
            if (loopLocal is { } local)
            {
                start = local.Start;
            }
            else if (counted is { } c)
            {
                startVariable = Ir.Var(c.Index.Type, names.Fresh("_" + NameAllocator.Unescaped(c.Index.Name).TrimStart('_') + "_start"));
                declarations.Add(new Declaration(startVariable.Name, startVariable.Type, Ir.Zero(startVariable.Type)));
                start = startVariable;
            }
            // A loop whose trip count the reverse sweep can work out again does not count its iterations.
            var tripCount = start is null ? null : TripCount(loop, start);
            // Numbered either way, so that _iterationsN and _iterationN keep matching numbers.
            var iterationsName = names.Numbered("_iterations");
            IrVariable? iterations = null;
            if (tripCount is null)
            {
                iterations = Ir.Var(IrType.Int32, iterationsName);
                declarations.Add(new Declaration(iterations.Name, IrType.Int32, Ir.Zero(IrType.Int32)));
                forward.Add(Ir.Assign(iterations.Name, Ir.Zero(IrType.Int32)));
            }
            if (startVariable is not null) forward.Add(Ir.Assign(startVariable.Name, counted!.Value.Index));

            enclosingLoopsFused.Add(false);
            if (counted is { } own) enclosingIndices.Add(own.Index.Name);
            var forwardBody = new List<IrStatement>();
            var reverseBody = ProcessBlock(loop.Body, forwardBody);
            var forwardStep = new List<IrStatement>();
            reconstructedIndex = counted?.Index.Name;
            var reverseStep = ProcessBlock(loop.Step, forwardStep);
            reconstructedIndex = null;
            if (counted is not null) enclosingIndices.RemoveAt(enclosingIndices.Count - 1);
            enclosingLoopsFused.RemoveAt(enclosingLoopsFused.Count - 1);

            if (iterations is not null) forwardBody.Add(Ir.Assign(iterations.Name, Ir.Add(iterations, Ir.Lit(IrType.Int32, 1))));
            forward.Add(new IrLoop(loop.Condition, Block(forwardBody), Block(forwardStep), loop.TestFirst));
            if (LoopDepth > 0)
            {
                if (iterations is not null) forward.Add(Push(iterations));
                if (startVariable is not null)
                {
                    forward.Add(Push(startVariable));
                    reverse.Add(Ir.Assign(startVariable.Name, Pop(startVariable.Type)));
                }
                if (iterations is not null) reverse.Add(Ir.Assign(iterations.Name, Pop(IrType.Int32)));
            }

            var iteration = Ir.Var(IrType.Int32, names.Numbered("_iteration"));
            declarations.Add(new Declaration(iteration.Name, IrType.Int32, Ir.Zero(IrType.Int32)));
            reverse.Add(Ir.Assign(iteration.Name, tripCount ?? iterations!));
            var reversed = new List<IrStatement> { Ir.Assign(iteration.Name, Ir.Sub(iteration, Ir.Lit(IrType.Int32, 1))) };
            if (counted is { } d)
            {
                IrExpr k = Ir.Convert(d.Index.Type, iteration);
                IrExpr offset = d.Step == 1 ? k : Ir.Mul(k, Ir.Lit(d.Index.Type, System.Math.Abs(d.Step)));
                IrExpr index = start is IrLiteral { Value: 0 } && d.Step > 0 ? offset
                    : d.Step > 0 ? Ir.Add(Ir.Convert(d.Index.Type, start!), offset)
                    : Ir.Sub(Ir.Convert(d.Index.Type, start!), offset);
                reversed.Add(Ir.Assign(d.Index.Name, index));
            }
            else
            {
                reversed.AddRange(reverseStep);
            }
            // Cheap values of this iteration come back by running their assignments again, not from the tape.
            if (RecomputedIn(loop) is { } recomputedAssignments) reversed.AddRange(recomputedAssignments);
            reversed.AddRange(reverseBody);
            reverse.Add(new IrLoop(Ir.Compare(BinaryOp.Greater, iteration, Ir.Zero(IrType.Int32)), Block(reversed), IrBlock.Empty));
        }

        /// <summary>The index and step of a loop whose step is <c>i = i ± constant</c> and whose body leaves <c>i</c> alone.</summary>
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
                if (statement is not IrLoop loop || CountedIndex(loop) is not { Step: not 0 } counted) continue;
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

        private static (IrVariable Index, long Step)? CountedIndex(IrLoop loop)
        {
            if (loop.Step.Statements.Count != 1 || loop.Step.Statements[0] is not IrAssign step) return null;
            if (step.Value is not IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: IrVariable index, Right: IrLiteral amount } binary) return null;
            if (index.Name != step.Target || !index.Type.IsInteger) return null;
            bool assignedInBody = false;
            Ir.ForEachStatement(loop.Body, s => assignedInBody |= s is IrAssign a && a.Target == index.Name);
            if (assignedInBody) return null;
            long value = (long)amount.Value;
            return (index, binary.Op == BinaryOp.Add ? value : -value);
        }

        private IrStatement Push(IrExpr value)
        {
            usesTape = true;
            return new IrTapePush(tape, value);
        }

        private IrExpr Pop(IrType type)
        {
            usesTape = true;
            return new IrTapePop(type, tape);
        }

        private void ProcessAssignment(IrAssign assign, List<IrStatement> forward, List<IrStatement> reverse)
        {
            int thisSite = site++;
            string target = assign.Target;
            bool hasEarlierValue = HasEarlierValue(target, thisSite);
            IrType type = TypeOf(target);

            // The value before the overwrite comes back from a save slot, or in a loop from the tape.
            IrExpr? restore = null;
            bool inLoop = sites[thisSite].InLoop;
            if (saveSet.Contains(target) && hasEarlierValue && target != reconstructedIndex && !IsLoopLocalInit(assign) && !recomputed.Contains(target)
                && !unsavedAccumulations.Any(a => ReferenceEquals(a, assign)) && !IsFirstAssignmentInFusedLoop(assign))
            {
                if (inLoop)
                {
                    forward.Add(Push(Ir.Var(type, target)));
                    restore = Pop(type);
                }
                else
                {
                    var saveSlot = Ir.Var(type, names.Numbered("_" + NameAllocator.Unescaped(target).TrimStart('_') + "_saved"));
                    declarations.Add(new Declaration(saveSlot.Name, type, Ir.Zero(type)));
                    forward.Add(Ir.Assign(saveSlot.Name, Ir.Var(type, target)));
                    restore = saveSlot;
                }
            }
            if (assign.Value is IrCall { Type.IsFloatingPointSequence: true } madeBy)
            {
                // p = G(args), G returning an array it makes: p is assigned once, at the top of the method, so nothing is
                // saved; the reverse sweep gives p's adjoint to G's pullback as its seed (G's value, made again, is dropped).
                forward.Add(assign);
                if (adjoints.TryGetValue(target, out var arrayAdjoint) && IsActive(madeBy)) reverse.Add(PullbackCall(madeBy, arrayAdjoint, split: false));
                return;
            }
            if (adjoints.TryGetValue(target, out var adjoint) && !plainCalls && assign.Value is IrCall { Method.HasSplit: true } splitCall && IsActive(splitCall)
                && !Ir.VariablesOf(splitCall).Contains(target))
            {
                // t = G(args) with a generated G: the forward sweep calls GForward, which returns G's value and pushes
                // what G's reverse sweep reads; GReverse pops it. Those pushes come after t's own, so t is restored
                // after GReverse (its arguments do not read t).
                var forwardCall = splitCall with
                {
                    Method = splitCall.Method with
                    {
                        Name = splitCall.Method.Name + DerivativeKind.Forward.Suffix(),
                        TangentName = splitCall.Method.Name + DerivativeKind.Tangent.Suffix(),
                        TapeArgument = tape,
                    },
                };
                usesTape = true;
                forward.Add(assign with { Value = forwardCall });
                reverse.Add(PullbackCall(splitCall, adjoint, split: true));
                if (restore is not null) reverse.Add(Ir.Assign(target, restore));
                if (hasEarlierValue && (method.AssignmentCount(target) > 1 || inLoop)) reverse.Add(Ir.Assign(adjoint.Name, Ir.Zero(type)));
                return;
            }
            forward.Add(assign);

            if (adjoint is null)
            {
                if (restore is not null) reverse.Add(Ir.Assign(target, restore));
                return;
            }

            // v = v ± e (e without v): the old v's adjoint is the new v's, so only e needs propagating.
            if (assign.Value is IrBinary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: IrVariable self } accumulation
                && self.Name == target && !Ir.VariablesOf(accumulation.Right).Contains(target))
            {
                if (restore is not null) reverse.Add(Ir.Assign(target, restore));
                Propagate(accumulation.Right, accumulation.Op == BinaryOp.Add ? adjoint : Negate(adjoint), null, reverse);
                return;
            }

            bool readsItself = Ir.VariablesOf(assign.Value).Contains(target);
            IrExpr seed = adjoint;
            if (readsItself)
            {
                // x = f(x): the old x gets f'·(adjoint of the new x), and nothing else of the new adjoint.
                var copy = Ir.Var(type, names.Numbered("_g"));
                reverse.Add(new IrDeclare(type, copy.Name, adjoint));
                reverse.Add(Ir.Assign(adjoint.Name, Ir.Zero(type)));
                seed = copy;
            }
            // The target holds the value just assigned, which rules such as exp's reuse; when the target is about
            // to be restored to its older value, that value is copied first.
            IrExpr result = Ir.Var(type, target);
            if (restore is not null)
            {
                if (assign.Value is IrMathCall call && DerivativeRules.NeedsResult(call, IsActive))
                {
                    var copy = Ir.Var(type, names.Numbered("_value"));
                    reverse.Add(new IrDeclare(type, copy.Name, result));
                    result = copy;
                }
                reverse.Add(Ir.Assign(target, restore));
            }
            Propagate(assign.Value, seed, result, reverse);

            if (!readsItself && hasEarlierValue && (method.AssignmentCount(target) > 1 || inLoop))
            {
                // The value before this assignment is a different value: its adjoint starts again from zero.
                reverse.Add(Ir.Assign(adjoint.Name, Ir.Zero(type)));
            }
        }

        /// <summary>
        /// <c>a[i] = e</c>: the element's old value is saved when the reverse sweep reads the array; the reverse
        /// sweep takes the element's adjoint, zeroes it (the old value is a different value), restores the element
        /// and propagates into <c>e</c>.
        /// </summary>
        private void ProcessElementAssignment(IrAssignElement assign, List<IrStatement> forward, List<IrStatement> reverse)
        {
            var type = TypeOf(assign.Sequence);
            var sequence = Ir.Var(type, assign.Sequence);
            var element = assign.Target(sequence);
            IrExpr? restore = null;
            if (saveSet.Contains(assign.Sequence))
            {
                if (writesIntoFreshElements.Any(w => ReferenceEquals(w, assign)))
                {
                    // The element held the zero of new T[n]: nothing to save.
                    restore = Ir.Zero(type.Element);
                }
                else if (LoopDepth > 0)
                {
                    forward.Add(Push(element));
                    restore = Pop(type.Element);
                }
                else
                {
                    var saveSlot = Ir.Var(type.Element, names.Numbered("_" + NameAllocator.Unescaped(assign.Sequence).TrimStart('_') + "_saved"));
                    declarations.Add(new Declaration(saveSlot.Name, saveSlot.Type, Ir.Zero(saveSlot.Type)));
                    forward.Add(Ir.Assign(saveSlot.Name, element));
                    restore = saveSlot;
                }
            }
            forward.Add(assign);

            if (!adjoints.TryGetValue(assign.Sequence, out var adjoint))
            {
                if (restore is not null) reverse.Add(assign.To(assign.Sequence, restore));
                return;
            }
            var adjointElement = element.In(adjoint);
            var seed = Ir.Var(type.Element, names.Numbered("_g"));
            reverse.Add(new IrDeclare(type.Element, seed.Name, adjointElement));
            reverse.Add(assign.To(adjoint.Name, Ir.Zero(type.Element)));
            IrExpr result = element;
            if (restore is not null)
            {
                if (assign.Value is IrMathCall call && DerivativeRules.NeedsResult(call, IsActive))
                {
                    var copy = Ir.Var(type.Element, names.Numbered("_value"));
                    reverse.Add(new IrDeclare(type.Element, copy.Name, element));
                    result = copy;
                }
                reverse.Add(assign.To(assign.Sequence, restore));
            }
            Propagate(assign.Value, seed, result, reverse);
        }

        /// <summary>
        /// A call of a vector-valued method, <c>G(inputs, outputs)</c>. The forward sweep keeps the contents of each output that
        /// the reverse sweep reads (G's pullback reads them all: they are G's inputs on entry) on the tape, element by element,
        /// then calls G. The reverse sweep puts them back and calls <c>GBackwardInPlace</c>, which adds into the inputs'
        /// adjoints and turns each output's adjoint into the adjoint of its contents before the call.
        /// </summary>
        private void ProcessCallWithOutputs(IrStatement statement, IrCall call, List<IrStatement> forward, List<IrStatement> reverse)
        {
            var saved = SaveWrittenViews(call, forward);
            forward.Add(statement);
            RestoreWrittenViews(saved, reverse);
            // A discarded value has no adjoint: only a vector-valued callee's outputs carry one back.
            if (call.Type.IsVoid && IsActive(call)) reverse.Add(PullbackInPlaceCall(call));
        }

        /// <summary>Saves, before a call, the elements it writes that the reverse sweep reads; the views saved, in order.</summary>
        private List<IrView> SaveWrittenViews(IrCall call, List<IrStatement> forward)
        {
            var saved = Ir.OutputViews(call).Where(o => saveSet.Contains(o.Sequence.Name)).ToList();
            foreach (var view in saved) SaveElements(view, forward);
            return saved;
        }

        /// <summary>Puts back what <see cref="SaveWrittenViews"/> saved, last view first.</summary>
        private void RestoreWrittenViews(List<IrView> saved, List<IrStatement> reverse)
        {
            for (int i = saved.Count - 1; i >= 0; i--) RestoreElements(saved[i], reverse);
        }

        /// <summary>Pushes the elements a call writes (all of an array or span, or a slice's), first to last.</summary>
        private void SaveElements(IrView view, List<IrStatement> output)
            => ForEachElement(view.Length ?? new IrLength(view.Sequence),
                index => Push(new IrElement(view.Sequence.Type.Element, view.Sequence, Position(view, index))), output);

        /// <summary><c>for (_element = 0; _element &lt; count; _element++) body(_element)</c>, on <see cref="ElementIndex"/>.</summary>
        private void ForEachElement(IrExpr count, Func<IrVariable, IrStatement> body, List<IrStatement> output)
        {
            var index = ElementIndex();
            output.Add(Ir.Assign(index.Name, Ir.Zero(IrType.Int32)));
            output.Add(new IrLoop(Ir.Compare(BinaryOp.Less, index, count), IrBlock.Of(body(index)),
                IrBlock.Of(Ir.Assign(index.Name, Ir.Add(index, Ir.Lit(IrType.Int32, 1))))));
        }

        /// <summary>Pops the elements pushed by <see cref="SaveElements"/>, last to first.</summary>
        private void RestoreElements(IrView view, List<IrStatement> output)
        {
            var index = ElementIndex();
            output.Add(Ir.Assign(index.Name, view.Length ?? new IrLength(view.Sequence)));
            output.Add(new IrLoop(Ir.Compare(BinaryOp.Greater, index, Ir.Zero(IrType.Int32)),
                IrBlock.Of(
                    Ir.Assign(index.Name, Ir.Sub(index, Ir.Lit(IrType.Int32, 1))),
                    new IrAssignElement(view.Sequence.Name, Position(view, index), Pop(view.Sequence.Type.Element))),
                IrBlock.Empty));
        }

        /// <summary>The position in the sequence of a view's element <paramref name="index"/>.</summary>
        private static IrExpr Position(IrView view, IrExpr index)
            => view.Start is null or IrLiteral { Value: 0 } ? index : new IrBinary(IrType.Int32, BinaryOp.Add, view.Start, index);

        private IrVariable? elementIndex;

        /// <summary>The index local of the loops that save and restore whole arrays (one for the method: they never nest).</summary>
        private IrVariable ElementIndex()
        {
            if (elementIndex is null)
            {
                elementIndex = Ir.Var(IrType.Int32, names.Fresh("_element"));
                declarations.Add(new Declaration(elementIndex.Name, IrType.Int32, Ir.Zero(IrType.Int32)));
            }
            return elementIndex;
        }

        /// <summary><c>GBackwardInPlace(args..., output adjoints..., adjoints...)</c> for a call of a vector-valued method G.</summary>
        private IrStatement PullbackInPlaceCall(IrCall call)
        {
            var arguments = call.Arguments.Select(a => new IrArgument(a.Value)).ToList();
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                if (!call.Method.Parameters[i].IsOutput) continue;
                arguments.Add(new IrArgument(AdjointArgument(call.Arguments[i].Value, call.Method.Parameters[i].Type)));
            }
            AddAdjointArguments(call, arguments);
            return new IrExpressionStatement(new IrCall(IrType.Void, PullbackInPlaceOf(call.Method), arguments.ToEquatableArray()));
        }

        /// <summary>Adds <c>seed · ∂expr/∂v</c> to the adjoint of every variable <c>v</c> the expression reads.</summary>
        private void Propagate(IrExpr expr, IrExpr seed, IrExpr? result, List<IrStatement> output)
        {
            if (!method.Activity.IsActive(expr)) return;
            switch (expr)
            {
                case IrVariable variable:
                    output.Add(Ir.AddAssign(adjoints[variable.Name], seed));
                    break;
                case IrElement element:
                {
                    var adjoint = adjoints[element.Sequence.Name];
                    var adjointElement = element.In(adjoint);
                    output.Add(new IrAssignElement(adjoint.Name, element.Index, Ir.Add(adjointElement, seed)) { Column = element.Column });
                    break;
                }
                case IrUnary { Op: UnaryOp.Negate } unary:
                    Propagate(unary.Operand, Negate(seed), null, output);
                    break;
                case IrConvert convert:
                    Propagate(convert.Operand, Ir.Convert(convert.Operand.Type, seed), null, output);
                    break;
                case IrBinary binary:
                    PropagateBinary(binary, seed, output);
                    break;
                case IrMathCall call:
                {
                    var activeArguments = call.Arguments.Count(IsActive);
                    if (!DerivativeRules.UsesSeedOnce(call.Function) || activeArguments > 1) seed = Bind(seed, output);
                    var contributions = DerivativeRules.Adjoints(call, result, seed, IsActive);
                    for (int i = 0; i < contributions.Count; i++)
                    {
                        if (contributions[i] is { } contribution) Propagate(call.Arguments[i], contribution, null, output);
                    }
                    break;
                }
                case IrCall call:
                    output.Add(PullbackCall(call, seed, split: false));
                    break;
                default:
                    throw new InvalidOperationException($"Reverse mode cannot propagate through {expr.GetType().Name}.");
            }
        }

        private void PropagateBinary(IrBinary binary, IrExpr seed, List<IrStatement> output)
        {
            bool leftActive = IsActive(binary.Left);
            bool rightActive = IsActive(binary.Right);
            if (leftActive && rightActive) seed = Bind(seed, output);
            var left = binary.Left;
            var right = binary.Right;
            switch (binary.Op)
            {
                case BinaryOp.Add:
                    Propagate(left, seed, null, output);
                    Propagate(right, seed, null, output);
                    break;
                case BinaryOp.Subtract:
                    Propagate(left, seed, null, output);
                    Propagate(right, Negate(seed), null, output);
                    break;
                case BinaryOp.Multiply:
                    Propagate(left, Multiply(seed, right), null, output);
                    Propagate(right, Multiply(seed, left), null, output);
                    break;
                case BinaryOp.Divide:
                    // d(l/r) = dl / r - (l/r) · dr / r
                    Propagate(left, Ir.Div(seed, right), null, output);
                    if (rightActive) Propagate(right, Negate(Ir.Div(Ir.Mul(seed, Ir.Div(left, right)), right)), null, output);
                    break;
                case BinaryOp.Remainder:
                    // l % r = l - trunc(l / r) · r
                    Propagate(left, seed, null, output);
                    if (rightActive) Propagate(right, Negate(Ir.Mul(seed, Ir.Math(MathFunction.Truncate, Ir.Div(left, right)))), null, output);
                    break;
                default:
                    throw new InvalidOperationException($"Reverse mode cannot propagate through the operator {binary.Op}.");
            }
        }

        /// <summary>
        /// <c>FBackward(args..., seed, ref adjoint...)</c> for a differentiable callee <c>F</c>, or <c>FReverse</c> with
        /// the same arguments when F's hand-written rules include that value-free form.
        /// </summary>
        private IrStatement PullbackCall(IrCall call, IrExpr seed, bool split)
        {
            var arguments = call.Arguments.Select(a => new IrArgument(a.Value)).ToList();
            arguments.Add(new IrArgument(seed));
            AddAdjointArguments(call, arguments);
            var pullback = PullbackOf(call.Method, call.Type);
            if (Ir.WritesArguments(call))
            {
                // G writes index arrays it is given: its in-place pullback leaves them as the caller put them back.
                pullback = pullback with { Name = call.Method.Name + DerivativeKind.BackwardInPlace.Suffix() };
            }
            else if (call.Type.IsSequence)
            {
                // G returns an array: its pullback returns it again, and GBackwardTangent gives no tangent of it.
                pullback = pullback with { TangentIsValueFree = true };
            }
            else if (split)
            {
                // The second half of G's split pullback: it takes G's values back from the tape. Its tangent (second order)
                // is GBackwardTangent, which runs G again: GForward's tangent is GTangent, which pushes nothing.
                pullback = pullback with
                {
                    Name = call.Method.Name + DerivativeKind.Reverse.Suffix(),
                    TangentName = pullback.Name + DerivativeKind.Tangent.Suffix(),
                    TapeArgument = tape,
                };
            }
            else if (call.Method.HasReverse && !plainCalls)
            {
                // The forward sweep has G's value already: a hand-written value-free rule only propagates.
                var reverse = call.Method.Name + DerivativeKind.Reverse.Suffix();
                pullback = pullback with
                {
                    Name = reverse,
                    TangentName = (call.Method.HasReverseTangent ? reverse : pullback.Name) + DerivativeKind.Tangent.Suffix(),
                    TangentIsValueFree = call.Method.HasReverseTangent,
                };
            }
            return new IrExpressionStatement(new IrCall(call.Type, pullback, arguments.ToEquatableArray()));
        }

        /// <summary>The adjoint of each differentiable argument of a call, after its other arguments: a span for an array (scratch for an inactive one), a ref otherwise.</summary>
        private void AddAdjointArguments(IrCall call, List<IrArgument> arguments)
        {
            for (int i = 0; i < call.Arguments.Count; i++)
            {
                var parameter = call.Method.Parameters[i];
                if (!parameter.IsDifferentiable) continue;
                var parameterType = parameter.Type;
                var value = call.Arguments[i].Value;
                if (parameterType.IsSequence)
                {
                    arguments.Add(new IrArgument(AdjointArgument(value, parameterType)));
                    continue;
                }
                var adjoint = value is IrVariable v && IsActive(v) ? adjoints[v.Name] : Discard(parameterType);
                arguments.Add(new IrArgument(adjoint, ArgumentKind.Ref));
            }
        }

        /// <summary>
        /// The adjoint passed for an array, span or slice argument: the sequence's adjoint (as the same slice), or, for an
        /// inactive one, zeroed scratch space of its length.
        /// </summary>
        private IrExpr AdjointArgument(IrExpr value, IrType parameterType)
        {
            switch (value)
            {
                case IrVariable sequence when IsActive(sequence) && adjoints.TryGetValue(sequence.Name, out var adjoint):
                    return adjoint;
                case IrSlice slice when IsActive(slice) && adjoints.TryGetValue(slice.Sequence.Name, out var sliced):
                    return slice.Of(sliced) with { Type = sliced.Type.WithShape(TypeShape.Span) };
                case IrSlice slice:
                    return Pooled(new IrNewArray(parameterType.WithShape(TypeShape.Array), slice.Length));
                default:
                    return Pooled(Ir.ZerosLike((IrVariable)value, parameterType));
            }
        }

        /// <summary>
        /// A zeroed floating-point array rented from the call's tape instead of allocated, so that a pullback allocates
        /// nothing in steady state; stack-allocated spans and other element types are left as they are.
        /// </summary>
        private IrExpr Pooled(IrNewArray array)
        {
            if (array.Type.Shape is not (TypeShape.Array or TypeShape.Matrix) || !array.Type.IsFloatingPointSequence) return array;
            usesTape = true;
            return array with { Pool = tape };
        }

        private IrVariable Discard(IrType type)
        {
            if (!discards.TryGetValue(type, out var discard))
            {
                discard = Ir.Var(type, names.Fresh(type.Kind == ScalarKind.Single ? "_ignoredSingle" : "_ignored"));
                declarations.Add(new Declaration(discard.Name, type, Ir.Zero(type)));
                discards[type] = discard;
            }
            return discard;
        }

        /// <summary>Keeps a compound seed in a local when it is about to be used more than once.</summary>
        private IrExpr Bind(IrExpr seed, List<IrStatement> output)
        {
            if (Ir.IsAtom(seed)) return seed;
            var local = Ir.Var(seed.Type, names.Numbered("_g"));
            output.Add(new IrDeclare(seed.Type, local.Name, seed));
            return local;
        }

        private bool IsActive(IrExpr expr) => method.Activity.IsActive(expr);

        private bool IsParameter(string name) => method.Source.Parameters.Any(p => p.Name == name);

        private IrType TypeOf(string name)
            => method.Locals.TryGetValue(name, out var type) ? type : method.Source.Parameters.First(p => p.Name == name).Type;

        private static IrBlock Block(List<IrStatement> statements) => new(statements.ToEquatableArray());

        private static string AdjointLocalName(string name)
        {
            name = NameAllocator.Unescaped(name);
            return name.StartsWith("_") ? "_d" + name : "_d_" + name;
        }

        private static IrExpr Negate(IrExpr expr) => Ir.Negated(expr);

        private static IrExpr Multiply(IrExpr seed, IrExpr factor) => factor switch
        {
            IrLiteral { Value: 1 } => seed,
            IrLiteral { Value: -1 } => Negate(seed),
            _ => Ir.Mul(seed, factor),
        };
    }
}
