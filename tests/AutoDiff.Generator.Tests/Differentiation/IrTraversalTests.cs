using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiff.Generator.IR;
using Xunit;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>
/// The walker and the rewriter know every kind of IR node: each is built by reflection from its constructor, and both
/// traverse it (the rewriter, changing nothing, returns the very node). A node added to the IR without a case in them fails
/// here, not silently in a pass.
/// </summary>
public class IrTraversalTests
{
    public static TheoryData<string> NodeTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in ConcreteNodes()) data.Add(type.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(NodeTypes))]
    public void TheWalkerAndTheRewriterKnowEveryNode(string name)
    {
        var type = ConcreteNodes().Single(t => t.Name == name);
        var node = Build(type, depth: 0);
        var walker = new CountingWalker();
        var rewriter = new IdentityRewriter();
        if (node is IrStatement statement)
        {
            walker.Visit(statement);
            Assert.Same(statement, rewriter.Rewrite(statement));
        }
        else
        {
            var expr = (IrExpr)node;
            walker.Visit(expr);
            Assert.Same(expr, rewriter.Rewrite(expr));
            Assert.True(walker.Expressions > 0);
        }
    }

    [Fact]
    public void TheWalkerVisitsParentsBeforeChildrenAndRootsOnce()
    {
        var x = Ir.Var(IrType.Double, "x");
        var a = Ir.Var(IrType.Double.WithShape(TypeShape.Array), "a");
        var element = new IrElement(IrType.Double, a, Ir.Lit(IrType.Int32, 1));
        var body = IrBlock.Of(
            new IrDeclare(IrType.Double, "y", Ir.Mul(x, element)),
            new IrIf(Ir.Compare(BinaryOp.Less, x, Ir.Lit(IrType.Double, 0)), IrBlock.Of(Ir.Assign("y", Ir.Neg(x))), IrBlock.Empty),
            new IrCopyInto(a, "b"));
        var order = new List<string>();
        Ir.ForEachRootExpression(body, root => Ir.ForEachNode(root, node => order.Add(node switch
        {
            IrVariable v => v.Name,
            IrLiteral l => l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => node.GetType().Name,
        })));
        Assert.Equal(new[] { "IrBinary", "x", "IrElement", "a", "1", "IrBinary", "x", "0", "IrUnary", "x", "a" }, order);
        var statements = new List<string>();
        Ir.ForEachStatement(body, s => statements.Add(s.GetType().Name));
        Assert.Equal(new[] { "IrDeclare", "IrIf", "IrAssign", "IrCopyInto" }, statements);
        Assert.Equal(new[] { "a", "b" }, Ir.NamesIn(body.Statements[2]).OrderBy(n => n));
    }

    [Fact]
    public void TheRewriterRebuildsOnlyWhatChangesAndKeepsTheOrigin()
    {
        var x = Ir.Var(IrType.Double, "x");
        var unchanged = new IrAssign("z", Ir.Lit(IrType.Double, 2));
        var origin = new SourceLine("F.cs", 3);
        var block = IrBlock.Of(new IrAssign("y", Ir.Add(x, Ir.Lit(IrType.Double, 1))) { Origin = origin }, unchanged);
        var renamed = new Renamer().RewriteBlock(block);
        var first = Assert.IsType<IrAssign>(renamed.Statements[0]);
        Assert.Equal("w", Assert.IsType<IrVariable>(Assert.IsType<IrBinary>(first.Value).Left).Name);
        Assert.Equal(origin, first.Origin);
        Assert.Same(unchanged, renamed.Statements[1]);
        Assert.Same(block, new IdentityRewriter().RewriteBlock(block));
    }

    private sealed class Renamer : IrRewriter
    {
        public override IrExpr RewriteVariable(IrVariable variable) => variable.Name == "x" ? variable with { Name = "w" } : variable;
    }

    private sealed class CountingWalker : IrWalker
    {
        public int Expressions { get; private set; }

        protected override void BeforeVisit(IrExpr expr) => Expressions++;
    }

    private sealed class IdentityRewriter : IrRewriter
    {
    }

    private static IEnumerable<Type> ConcreteNodes()
        => typeof(IrExpr).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && (typeof(IrExpr).IsAssignableFrom(t) || typeof(IrStatement).IsAssignableFrom(t)))
            .OrderBy(t => t.Name);

    /// <summary>A node of <paramref name="type"/> from its widest constructor, every child filled, optional ones included.</summary>
    private static object Build(Type type, int depth)
    {
        if (type == typeof(IrType)) return IrType.Double;
        if (type == typeof(string)) return "v";
        if (type == typeof(double)) return 1.0;
        if (type == typeof(int)) return 1;
        if (type == typeof(bool)) return true;
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0)!;
        if (type == typeof(IrVariable)) return Ir.Var(IrType.Double.WithShape(TypeShape.Array), "a");
        if (type == typeof(IrExpr)) return depth > 2 ? Ir.Lit(IrType.Double, 2) : Ir.Add(Ir.Var(IrType.Double, "x"), Ir.Lit(IrType.Double, 3));
        if (type == typeof(IrBlock)) return IrBlock.Of(Ir.Assign("x", Ir.Var(IrType.Double, "y")));
        if (type == typeof(IrMethodRef)) return new IrMethodRef("global::T", "G", true, new[] { new IrParameter("p", IrType.Double) }.ToEquatableArray());
        if (type == typeof(IrArgument)) return new IrArgument(Ir.Var(IrType.Double, "x"));
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            var element = type.GetGenericArguments()[0];
            var items = Array.CreateInstance(element, 2);
            items.SetValue(Build(element, depth + 1), 0);
            items.SetValue(Build(element, depth + 1), 1);
            return Activator.CreateInstance(type, items)!;
        }
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Build(underlying, depth);
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var node = constructor.Invoke(constructor.GetParameters().Select(p => Build(p.ParameterType, depth + 1)).ToArray());
        // Optional children (init properties such as an element's Column): filled too, so that their cases are walked.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.GetValue(node) is not null) continue;
            if (property.PropertyType == typeof(IrExpr)) property.SetValue(node, Build(typeof(IrExpr), depth + 1));
        }
        return node;
    }
}
