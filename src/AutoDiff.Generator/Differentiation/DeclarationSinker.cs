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
        var statements = new List<IrStatement>(body);
        foreach (var declaration in declarations) Place(statements, declaration);
        return DropDeadStores(new IrBlock(statements.ToEquatableArray()));
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
    public static void CollectNames(IrStatement statement, HashSet<string> names)
    {
        var block = statement as IrBlock ?? IrBlock.Of(statement);
        Ir.ForEachRootExpression(block, e => Ir.CollectVariables(e, names));
        Ir.ForEachStatement(block, s =>
        {
            switch (s)
            {
                case IrAssign a: names.Add(a.Target); break;
                case IrAssignElement e: names.Add(e.Sequence); break;
                case IrDeclare d: names.Add(d.Name); break;
                case IrCopyInto c: names.Add(c.Source.Name); names.Add(c.Target); break;
                case IrTapePush p: names.Add(p.Tape); break;
                case IrTapeRent r: names.Add(r.Tape); break;
                case IrTapeReturn r: names.Add(r.Tape); break;
            }
        });
    }

    private static void Place(List<IrStatement> statements, Declaration declaration)
    {
        int index = statements.FindIndex(s => References(s, declaration.Name));
        if (index < 0) return;
        var first = statements[index];
        if (first is IrAssign assign && assign.Target == declaration.Name)
        {
            if (!Ir.VariablesOf(assign.Value).Contains(declaration.Name))
            {
                statements[index] = new IrDeclare(declaration.Type, declaration.Name, assign.Value) { Origin = assign.Origin };
                return;
            }
            // x = x + e with x starting at zero: declare x = e.
            if (assign.Value is IrBinary { Op: BinaryOp.Add, Left: IrVariable self } sum && self.Name == declaration.Name
                && declaration.Initial is IrLiteral { Value: 0 } && !Ir.VariablesOf(sum.Right).Contains(declaration.Name))
            {
                statements[index] = new IrDeclare(declaration.Type, declaration.Name, sum.Right) { Origin = assign.Origin };
                return;
            }
        }
        // A local of each iteration of a loop (used only in its body, and assigned there before it is read) is declared
        // in the body: the reader sees its scope, and the JIT keeps it in a register without carrying it around the loop.
        if (first is IrLoop loop && IsIterationLocal(loop, declaration.Name) && !statements.Skip(index + 1).Any(s => References(s, declaration.Name)))
        {
            var body = new List<IrStatement>(loop.Body.Statements);
            Place(body, declaration);
            statements[index] = loop with { Body = new IrBlock(body.ToEquatableArray()) };
            return;
        }
        statements.Insert(index, new IrDeclare(declaration.Type, declaration.Name, declaration.Initial));
    }

    /// <summary>
    /// True when the loop's condition and step leave the variable alone and the first statement of its body that
    /// mentions it assigns it without reading it.
    /// </summary>
    private static bool IsIterationLocal(IrLoop loop, string name)
    {
        if (Ir.VariablesOf(loop.Condition).Contains(name) || loop.Step.Statements.Any(s => References(s, name))) return false;
        var first = loop.Body.Statements.FirstOrDefault(s => References(s, name));
        return first is IrAssign assign && assign.Target == name && !Ir.VariablesOf(assign.Value).Contains(name);
    }

    /// <summary>True when the statement, or one nested in it, reads or writes the variable.</summary>
    public static bool References(IrStatement statement, string name)
    {
        bool found = false;
        void Check(IrStatement s)
        {
            switch (s)
            {
                case IrAssign a:
                    found |= a.Target == name || Ir.VariablesOf(a.Value).Contains(name);
                    break;
                case IrAssignElement e:
                    found |= e.Sequence == name || Ir.VariablesOf(e.Index).Contains(name) || Ir.VariablesOf(e.Value).Contains(name)
                        || (e.Column is { } column && Ir.VariablesOf(column).Contains(name));
                    break;
                case IrDeclare d:
                    found |= d.Name == name || (d.Initializer is { } init && Ir.VariablesOf(init).Contains(name));
                    break;
                case IrIf i:
                    found |= Ir.VariablesOf(i.Condition).Contains(name);
                    break;
                case IrLoop l:
                    found |= Ir.VariablesOf(l.Condition).Contains(name);
                    break;
                case IrTapePush push:
                    found |= push.Tape == name || Ir.VariablesOf(push.Value).Contains(name);
                    break;
                case IrCopyInto copy:
                    found |= copy.Source.Name == name || copy.Target == name;
                    break;
                case IrTapeRent rent:
                    found |= rent.Tape == name;
                    break;
                case IrTapeReturn ret:
                    found |= ret.Tape == name;
                    break;
                case IrReturn { Value: { } v }:
                    found |= Ir.VariablesOf(v).Contains(name);
                    break;
                case IrExpressionStatement e:
                    found |= Ir.VariablesOf(e.Expression).Contains(name);
                    break;
            }
        }
        Check(statement);
        if (statement is IrIf or IrBlock or IrLoop)
        {
            Ir.ForEachStatement(statement is IrBlock b ? b : IrBlock.Of(statement), Check);
        }
        return found;
    }
}
