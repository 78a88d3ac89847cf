using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

internal static partial class ReverseMode
{
    private sealed partial class Builder
    {
        private readonly List<IrStatement> reverseStatementsInFusedLoops = new();

        /// <summary>For each loop around the statement being processed, outermost first: whether it is fused.</summary>
        private readonly List<bool> enclosingLoopsFused = new();

        /// <summary>
        /// True directly in a fused loop's body (not in a loop inside it): each statement there runs once an iteration, and
        /// the iteration's reverse statements follow at once, so a branch record can stay in its variable.
        /// </summary>
        private bool InFusedIteration => enclosingLoopsFused.Count > 0 && enclosingLoopsFused[enclosingLoopsFused.Count - 1];

        /// <summary>
        /// A fused loop: the sums' adjoints are set to their exit values before it, and each iteration runs its forward
        /// statements and then its reverse ones. The adjoints go back to zero after it, since the reverse statements of the
        /// code after the loop, which run later, add the same values again for the statements before the loop.
        /// </summary>
        private void ProcessFusedLoop(FusedLoop fused, List<IrStatement> forward)
        {
            var loop = fused.Loop;
            var sumNames = string.Join(", ", fused.ExitAdjoints.Select(e => NameAllocator.Unescaped(e.Sum)));
            bool several = fused.ExitAdjoints.Count > 1;
            forward.Add(new IrComment($"The code after the next loop is linear in {sumNames}, so the adjoint{(several ? "s" : "")} {(several ? "they get" : "it gets")} there"));
            forward.Add(new IrComment($"{(several ? "are" : "is")} known now: each iteration's reverse sweep runs inside the loop, right after the iteration."));
            foreach (var (sum, exitAdjoint) in fused.ExitAdjoints) forward.Add(Ir.Assign(adjoints[sum].Name, exitAdjoint));

            enclosingLoopsFused.Add(true);
            enclosingIndices.Add(fused.Index);
            var forwardBody = new List<IrStatement>();
            var reverseBody = ProcessBlock(loop.Body, forwardBody);
            var forwardStep = new List<IrStatement>();
            reconstructedIndex = fused.Index;
            // The index only moves forwards: the step has nothing to reverse.
            ProcessBlock(loop.Step, forwardStep);
            reconstructedIndex = null;
            enclosingIndices.RemoveAt(enclosingIndices.Count - 1);
            enclosingLoopsFused.RemoveAt(enclosingLoopsFused.Count - 1);

            reverseStatementsInFusedLoops.AddRange(reverseBody);
            if (reverseBody.Count > 0)
            {
                forwardBody.Add(new IrComment("This iteration's reverse sweep."));
                forwardBody.AddRange(reverseBody);
            }
            forward.Add(new IrLoop(loop.Condition, Block(forwardBody), Block(forwardStep), loop.TestFirst));
            foreach (var (sum, _) in fused.ExitAdjoints) forward.Add(Ir.Assign(adjoints[sum].Name, Ir.Zero(method.TypeOf(sum))));
        }
    }
}
