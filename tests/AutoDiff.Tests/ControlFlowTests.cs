// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>if/else, else-if chains, the conditional operator, early returns, comparisons and logic (points away from the branch boundaries).</summary>
public class ControlFlowTests
{
    [Fact]
    public void IfElse() => GradientCheck.Double("ControlFlow.IfElse", "x y",
        p => ControlFlow.IfElse(p[0], p[1]),
        p => { var g = ControlFlow.IfElseGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.IfElseBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01));

    [Fact]
    public void ElseIfChain() => GradientCheck.Double("ControlFlow.ElseIfChain", "x",
        p => ControlFlow.ElseIfChain(p[0]),
        p => { var g = ControlFlow.ElseIfChainGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => ControlFlow.ElseIfChainBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01));

    [Fact]
    public void IfAssigns() => GradientCheck.Double("ControlFlow.IfAssigns", "x y",
        p => ControlFlow.IfAssigns(p[0], p[1]),
        p => { var g = ControlFlow.IfAssignsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.IfAssignsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01));

    [Fact]
    public void IfWithoutElse() => GradientCheck.Double("ControlFlow.IfWithoutElse", "x y",
        p => ControlFlow.IfWithoutElse(p[0], p[1]),
        p => { var g = ControlFlow.IfWithoutElseGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.IfWithoutElseBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[1]) > 0.01));

    [Fact]
    public void NestedIfs() => GradientCheck.Double("ControlFlow.NestedIfs", "x y",
        p => ControlFlow.NestedIfs(p[0], p[1]),
        p => { var g = ControlFlow.NestedIfsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.NestedIfsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01 && Math.Abs(p[1] - p[0]) > 0.01));

    [Fact]
    public void Conditional() => GradientCheck.Double("ControlFlow.Conditional", "x y",
        p => ControlFlow.Conditional(p[0], p[1]),
        p => { var g = ControlFlow.ConditionalGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.ConditionalBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01));

    [Fact]
    public void ConditionalInsideArithmetic() => GradientCheck.Double("ControlFlow.ConditionalInsideArithmetic", "x y",
        p => ControlFlow.ConditionalInsideArithmetic(p[0], p[1]),
        p => { var g = ControlFlow.ConditionalInsideArithmeticGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.ConditionalInsideArithmeticBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1] - 1) > 0.01 && Math.Abs(p[0] + 1) > 0.01));

    [Fact]
    public void EarlyReturnInNestedIf() => GradientCheck.Double("ControlFlow.EarlyReturnInNestedIf", "x y",
        p => ControlFlow.EarlyReturnInNestedIf(p[0], p[1]),
        p => { var g = ControlFlow.EarlyReturnInNestedIfGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.EarlyReturnInNestedIfBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01));

    [Fact]
    public void ReturnInOneBranch() => GradientCheck.Double("ControlFlow.ReturnInOneBranch", "x y",
        p => ControlFlow.ReturnInOneBranch(p[0], p[1]),
        p => { var g = ControlFlow.ReturnInOneBranchGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.ReturnInOneBranchBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] + p[1] - 1) > 0.01));

    [Fact]
    public void SeveralEarlyReturns() => GradientCheck.Double("ControlFlow.SeveralEarlyReturns", "x",
        p => ControlFlow.SeveralEarlyReturns(p[0]),
        p => { var g = ControlFlow.SeveralEarlyReturnsGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => ControlFlow.SeveralEarlyReturnsBackward(p[0], s, ref a[0]),
        Domain.Box(-4, 4, 1).Where(p => Math.Abs(p[0] + 2) > 0.01 && Math.Abs(p[0]) > 0.01 && Math.Abs(p[0] - 2) > 0.01));

    [Fact]
    public void Comparisons() => GradientCheck.Double("ControlFlow.Comparisons", "x y",
        p => ControlFlow.Comparisons(p[0], p[1]),
        p => { var g = ControlFlow.ComparisonsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.ComparisonsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01 && Math.Abs(p[0] - 0.5) > 0.01));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LogicalOperators(bool flag) => GradientCheck.Double($"ControlFlow.LogicalOperators({flag})", "x y",
        p => ControlFlow.LogicalOperators(p[0], p[1], flag),
        p => { var g = ControlFlow.LogicalOperatorsGradient(p[0], p[1], flag); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => ControlFlow.LogicalOperatorsBackward(p[0], p[1], flag, s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01 && Math.Abs(p[0] - 1) > 0.01 && Math.Abs(p[1] - 1) > 0.01 && Math.Abs(p[0] - p[1]) > 0.01));

    [Fact]
    public void ConditionOnDifferentiatedCall() => GradientCheck.Double("ControlFlow.ConditionOnDifferentiatedCall", "x",
        p => ControlFlow.ConditionOnDifferentiatedCall(p[0]),
        p => { var g = ControlFlow.ConditionOnDifferentiatedCallGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => ControlFlow.ConditionOnDifferentiatedCallBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1).Where(p => Math.Abs(((2.0 * p[0] - 3.0) * p[0] + 0.5) * p[0] - 4.0) > 0.01));
}
