using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Differentiation;

/// <summary>A local that a generated body needs, with the value it starts from.</summary>
internal sealed record Declaration(string Name, IrType Type, IrExpr Initial);

/// <summary>
/// Places each local's declaration where a reader expects it: merged into its first assignment when that
/// assignment is at the top level of the body, otherwise just before the first statement that uses it.
/// Locals that nothing uses are dropped.
/// </summary>
internal static class DeclarationSinker
{
    public static IrBlock Sink(List<IrStatement> body, IEnumerable<Declaration> declarations)
    {
        var placer = new Placer(body);
        foreach (var declaration in declarations) placer.Place(declaration);
        return DropDeadStores(new IrBlock(placer.Statements().ToEquatableArray()));
    }

    /// <summary>
    /// Places declarations in a body, one after the other, in time linear in the body and the declarations: where each name
    /// is first and last mentioned is worked out once (<see cref="Ir.NamesIn"/>), and the declarations inserted are kept
    /// in a group before the statement they precede, so that no statement moves. (Searching the body for each declaration
    /// made a method of 1,000 terms take 30 s to build.)
    /// </summary>
    /// <remarks>
    /// A declaration goes before the first statement that mentions its name: an original statement, or a declaration
    /// inserted earlier whose initial value reads the name (an adjoint array made as long as a local array). It is merged
    /// into that statement when it is an assignment of the name, and into a loop's body when the name is a local of each
    /// iteration (mentioned nowhere after the loop, not in its condition or step, and assigned in its body before it is
    /// read); in a loop's body, merges are all that happen.
    /// </remarks>
    private sealed class Placer
    {
        private readonly List<IrStatement> statements;
        /// <summary>The declarations inserted before each statement, in order.</summary>
        private readonly List<IrDeclare>?[] inserted;
        private readonly Dictionary<string, int> firstMention = new(System.StringComparer.Ordinal);
        private readonly Dictionary<string, int> lastMention = new(System.StringComparer.Ordinal);
        /// <summary>Inserted declarations whose initial values mention a name, with the statement each precedes.</summary>
        private readonly Dictionary<string, List<(int Before, IrDeclare Declare)>> insertedMentions = new(System.StringComparer.Ordinal);
        /// <summary>The bodies of loops that iteration locals were merged into, by the loop's index.</summary>
        private readonly Dictionary<int, Placer> loopBodies = new();

        public Placer(IReadOnlyList<IrStatement> body)
        {
            statements = new List<IrStatement>(body);
            inserted = new List<IrDeclare>?[statements.Count];
            for (int i = 0; i < statements.Count; i++)
            {
                foreach (var name in Ir.NamesIn(statements[i]))
                {
                    if (!firstMention.ContainsKey(name)) firstMention[name] = i;
                    lastMention[name] = i;
                }
            }
        }

        public IEnumerable<IrStatement> Statements()
        {
            for (int i = 0; i < statements.Count; i++)
            {
                if (inserted[i] is { } declares)
                {
                    foreach (var declare in declares) yield return declare;
                }
                yield return loopBodies.TryGetValue(i, out var body) && statements[i] is IrLoop loop
                    ? loop with { Body = new IrBlock(body.Statements().ToEquatableArray()) }
                    : statements[i];
            }
        }

        /// <summary>The index of the first statement that mentions the name, or -1.</summary>
        public int FirstMention(string name) => firstMention.TryGetValue(name, out int index) ? index : -1;

        public void Place(Declaration declaration)
        {
            var name = declaration.Name;
            // The first statement that mentions the name, or (position ≥ 0) an inserted declaration before it whose initial
            // value mentions the name.
            int before = FirstMention(name), position = -1;
            if (insertedMentions.TryGetValue(name, out var mentions))
            {
                foreach (var (group, declare) in mentions)
                {
                    int at = inserted[group]!.IndexOf(declare);
                    if (before < 0 || group < before || (group == before && (position < 0 || at < position))) (before, position) = (group, at);
                }
            }
            if (before < 0) return;
            if (position >= 0)
            {
                Insert(before, position, new IrDeclare(declaration.Type, name, declaration.Initial));
                return;
            }
            var first = statements[before];
            if (first is IrAssign assign && assign.Target == name)
            {
                if (!Ir.VariablesOf(assign.Value).Contains(name))
                {
                    statements[before] = new IrDeclare(declaration.Type, name, assign.Value) { Origin = assign.Origin };
                    return;
                }
                // x = x + e with x starting at zero: declare x = e.
                if (assign.Value is IrBinary { Op: BinaryOp.Add, Left: IrVariable self } sum && self.Name == name
                    && declaration.Initial is IrLiteral { Value: 0 } && !Ir.VariablesOf(sum.Right).Contains(name))
                {
                    statements[before] = new IrDeclare(declaration.Type, name, sum.Right) { Origin = assign.Origin };
                    return;
                }
            }
            // A local of each iteration of a loop (used only in its body, and assigned there before it is read) is declared
            // in the body.
            if (first is IrLoop loop && !MentionedAfter(name, before) && IsIterationLocal(before, loop, name))
            {
                loopBodies[before].Place(declaration);
                return;
            }
            Insert(before, inserted[before]?.Count ?? 0, new IrDeclare(declaration.Type, name, declaration.Initial));
        }

        private bool MentionedAfter(string name, int index)
            => lastMention[name] > index
               || (insertedMentions.TryGetValue(name, out var mentions) && mentions.Any(m => m.Before > index));

        private bool IsIterationLocal(int index, IrLoop loop, string name)
        {
            if (Ir.VariablesOf(loop.Condition).Contains(name) || loop.Step.Statements.Any(s => References(s, name))) return false;
            if (!loopBodies.TryGetValue(index, out var body)) loopBodies[index] = body = new Placer(loop.Body.Statements);
            // Merges are all that happen in a loop's body, so its statements keep their places.
            int first = body.FirstMention(name);
            return first >= 0 && body.statements[first] is IrAssign assign && assign.Target == name && !Ir.VariablesOf(assign.Value).Contains(name);
        }

        private void Insert(int before, int position, IrDeclare declare)
        {
            (inserted[before] ??= new List<IrDeclare>()).Insert(position, declare);
            if (declare.Initializer is null) return;
            foreach (var mentioned in Ir.VariablesOf(declare.Initializer))
            {
                if (mentioned == declare.Name) continue;
                if (!insertedMentions.TryGetValue(mentioned, out var list)) insertedMentions[mentioned] = list = new List<(int, IrDeclare)>();
                list.Add((before, declare));
            }
        }
    }

    /// <summary>
    /// Removes assignments of constants to a local that nothing reads afterwards within its scope: an adjoint reset at the
    /// end of the iteration (or of a branch in it) that declares the local.
    /// </summary>
    private static IrBlock DropDeadStores(IrBlock block) => DropDeadStores(block, new HashSet<string>());

    /// <param name="block">The block.</param>
    /// <param name="deadAtEnd">Locals whose values nothing reads once the block ends (declared in an enclosing block, and not
    /// mentioned after this block there).</param>
    private static IrBlock DropDeadStores(IrBlock block, HashSet<string> deadAtEnd)
    {
        var statements = new List<IrStatement>(block.Statements);
        var dead = new HashSet<string>(deadAtEnd);
        dead.UnionWith(statements.OfType<IrDeclare>().Select(d => d.Name));
        // Walking backwards: the names the statements after the current one mention.
        var mentionedAfter = new HashSet<string>();
        for (int i = statements.Count - 1; i >= 0; i--)
        {
            switch (statements[i])
            {
                case IrAssign { Value: IrLiteral } assign when dead.Contains(assign.Target) && !mentionedAfter.Contains(assign.Target):
                    statements.RemoveAt(i);
                    continue;
                case IrIf ifStatement:
                {
                    var deadHere = new HashSet<string>(dead.Where(name => !mentionedAfter.Contains(name)));
                    statements[i] = ifStatement with { Then = DropDeadStores(ifStatement.Then, deadHere), Else = DropDeadStores(ifStatement.Else, deadHere) };
                    break;
                }
                case IrLoop loop:
                    // A loop's body runs again: only its own locals are dead at its end.
                    statements[i] = loop with { Body = DropDeadStores(loop.Body), Step = DropDeadStores(loop.Step) };
                    break;
            }
            CollectNames(statements[i], mentionedAfter);
        }
        return new IrBlock(statements.ToEquatableArray()) { Origin = block.Origin };
    }

    /// <summary>Adds every variable the statement (or one nested in it) reads or writes.</summary>
    public static void CollectNames(IrStatement statement, HashSet<string> names) => names.UnionWith(Ir.NamesIn(statement));

    /// <summary>True when the statement, or one nested in it, reads or writes the variable.</summary>
    public static bool References(IrStatement statement, string name) => Ir.NamesIn(statement).Contains(name);
}
