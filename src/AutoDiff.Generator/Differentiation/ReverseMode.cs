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

    /// <summary>The pullback built under the given rules: tests switch each economy of the tape plan off.</summary>
    internal static IrMethod DifferentiateUnder(IrMethod method, TapeRules rules) => Differentiate(method, plainCalls: false, inPlace: false, rules).Backward;

    private static (IrMethod Backward, SplitPullback? Split) Differentiate(IrMethod method, bool plainCalls, bool inPlace, TapeRules? rules = null)
    {
        rules ??= TapeRules.All;
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
        var probe = new Builder(normalized, pullbackNames, names.Clone(), saveSet: new HashSet<string>(restoredOutputs), readInReverse: null, plainCalls, inPlace, rules);
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
            builder = new Builder(normalized, pullbackNames, names.Clone(), saveSet, readInReverse, plainCalls, inPlace, rules);
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

    private sealed partial class Builder
    {
        private readonly NormalizedMethod method;
        private readonly NameAllocator names;
        private readonly Dictionary<string, IrVariable> adjoints = new();

        /// <summary>What the reverse sweep keeps and how it gets the rest back.</summary>
        private readonly TapePlan plan;

        /// <summary>The indices of the counted loops around the statement being processed (rebuilt in their reverse).</summary>
        private readonly List<string> enclosingIndices = new();
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
            bool plainCalls, bool inPlace, TapeRules rules)
        {
            this.plainCalls = plainCalls;
            this.inPlace = inPlace;
            this.method = method;
            this.names = names;
            tape = names.Fresh("_tape");
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
                var type = method.TypeOf(output);
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
            plan = new TapePlan(method, rules, adjoints, hasOutputs: outputs.Count > 0, saveSet, readInReverse, plainCalls);
        }

        /// <inheritdoc cref="TapePlan.IsOverwritten"/>
        public bool IsOverwritten(string name) => plan.IsOverwritten(name);

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
                : outputs.Concat(method.Source.Parameters.Where(p => p.IsWritten).Select(p => Ir.Var(p.Type, p.Name))).Where(o => plan.Saves(o.Name)).ToList();
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
            if (method.Source.ResultArray is { } resultArray) body.Add(new IrReturn(Ir.Var(method.TypeOf(resultArray), resultArray)));
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
                case IrLoop loop when plan.FusionOf(loop) is { } fused:
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
            var counted = IrLoops.CountedIndex(loop);
            IrExpr? start = null;
            IrVariable? startVariable = null;
            var loopLocal = plan.LoopLocal(loop);
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
            var tripCount = start is null ? null : plan.TripCount(loop, start, enclosingIndices);
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
            if (plan.RecomputedIn(loop) is { } recomputedAssignments) reversed.AddRange(recomputedAssignments);
            reversed.AddRange(reverseBody);
            reverse.Add(new IrLoop(Ir.Compare(BinaryOp.Greater, iteration, Ir.Zero(IrType.Int32)), Block(reversed), IrBlock.Empty));
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
            bool hasEarlierValue = plan.HasEarlierValue(target, thisSite);
            IrType type = method.TypeOf(target);

            // The value before the overwrite comes back from a save slot, or in a loop from the tape.
            IrExpr? restore = null;
            bool inLoop = plan.IsInLoop(thisSite);
            if (plan.Saves(target) && hasEarlierValue && target != reconstructedIndex && !plan.IsLoopLocalInit(assign) && !plan.IsRecomputed(target)
                && !plan.IsUnsavedAccumulation(assign) && !plan.IsFirstAssignmentInFusedLoop(assign))
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
            var type = method.TypeOf(assign.Sequence);
            var sequence = Ir.Var(type, assign.Sequence);
            var element = assign.Target(sequence);
            IrExpr? restore = null;
            if (plan.Saves(assign.Sequence))
            {
                if (plan.IsWriteIntoFreshElement(assign))
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


        private static IrBlock Block(List<IrStatement> statements) => new(statements.ToEquatableArray());

        private static string AdjointLocalName(string name)
        {
            name = NameAllocator.Unescaped(name);
            return name.StartsWith("_") ? "_d" + name : "_d_" + name;
        }

        private static IrExpr Negate(IrExpr expr) => Ir.Negated(expr);

    }

    /// <summary><c>seed · factor</c>, without multiplying by one or minus one.</summary>
    internal static IrExpr Multiply(IrExpr seed, IrExpr factor) => factor switch
    {
        IrLiteral { Value: 1 } => seed,
        IrLiteral { Value: -1 } => Ir.Negated(seed),
        _ => Ir.Mul(seed, factor),
    };
}
