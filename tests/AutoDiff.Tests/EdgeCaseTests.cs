// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Overwrites in branches, self-referencing updates, mixed compound assignments, nested conditionals.</summary>
public class EdgeCaseTests
{
    [Fact]
    public void ParameterReassignedInBranch() => GradientCheck.Double("EdgeCases.ParameterReassignedInBranch", "x y",
        p => EdgeCases.ParameterReassignedInBranch(p[0], p[1]),
        p => { var g = EdgeCases.ParameterReassignedInBranchGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.ParameterReassignedInBranchBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01));

    [Fact]
    public void SiblingScopesSameLocalName() => GradientCheck.Double("EdgeCases.SiblingScopesSameLocalName", "x y",
        p => EdgeCases.SiblingScopesSameLocalName(p[0], p[1]),
        p => { var g = EdgeCases.SiblingScopesSameLocalNameGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.SiblingScopesSameLocalNameBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01));

    [Fact]
    public void OverwriteInBranches() => GradientCheck.Double("EdgeCases.OverwriteInBranches", "x y",
        p => EdgeCases.OverwriteInBranches(p[0], p[1]),
        p => { var g = EdgeCases.OverwriteInBranchesGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.OverwriteInBranchesBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2).Where(p => Math.Abs(p[0]) > 0.01));

    [Fact]
    public void SelfReferentialUpdates() => GradientCheck.Double("EdgeCases.SelfReferentialUpdates", "x",
        p => EdgeCases.SelfReferentialUpdates(p[0]),
        p => { var g = EdgeCases.SelfReferentialUpdatesGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => EdgeCases.SelfReferentialUpdatesBackward(p[0], s, ref a[0]),
        Domain.Box(-2, 2, 1));

    [Theory]
    [InlineData(-3)]
    [InlineData(0)]
    [InlineData(4)]
    public void CompoundWithIntOperands(int n) => GradientCheck.Double($"EdgeCases.CompoundWithIntOperands({n})", "x",
        p => EdgeCases.CompoundWithIntOperands(p[0], n),
        p => { var g = EdgeCases.CompoundWithIntOperandsGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => EdgeCases.CompoundWithIntOperandsBackward(p[0], n, s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void CompoundFloatWithDouble() => GradientCheck.Float("EdgeCases.CompoundFloatWithDouble", "x",
        p => EdgeCases.CompoundFloatWithDouble(p[0]),
        p => { var g = EdgeCases.CompoundFloatWithDoubleGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => EdgeCases.CompoundFloatWithDoubleBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void IncrementParameter() => GradientCheck.Double("EdgeCases.IncrementParameter", "x y",
        p => EdgeCases.IncrementParameter(p[0], p[1]),
        p => { var g = EdgeCases.IncrementParameterGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.IncrementParameterBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void IntFromConditional() => GradientCheck.Double("EdgeCases.IntFromConditional", "x",
        p => EdgeCases.IntFromConditional(p[0]),
        p => { var g = EdgeCases.IntFromConditionalGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => EdgeCases.IntFromConditionalBackward(p[0], s, ref a[0]),
        Domain.Box(-3.5, 3.5, 1).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[0] - 2) > 0.01 && Math.Abs(p[0] + 2) > 0.01 && Math.Abs(p[0] + 2.5) > 0.01));

    [Fact]
    public void CallsInConditional() => GradientCheck.Double("EdgeCases.CallsInConditional", "x y",
        p => EdgeCases.CallsInConditional(p[0], p[1]),
        p => { var g = EdgeCases.CallsInConditionalGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.CallsInConditionalBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01));

    [Fact]
    public void EarlyReturnThenParameterChange() => GradientCheck.Double("EdgeCases.EarlyReturnThenParameterChange", "x y",
        p => EdgeCases.EarlyReturnThenParameterChange(p[0], p[1]),
        p => { var g = EdgeCases.EarlyReturnThenParameterChangeGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.EarlyReturnThenParameterChangeBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[1]) > 0.01));

    [Fact]
    public void NestedConditionals() => GradientCheck.Double("EdgeCases.NestedConditionals", "x y",
        p => EdgeCases.NestedConditionals(p[0], p[1]),
        p => { var g = EdgeCases.NestedConditionalsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.NestedConditionalsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01 && Math.Abs(p[0] + p[1] - 1) > 0.01));

    [Fact]
    public void SameLocalUsedAfterManyRewrites() => GradientCheck.Double("EdgeCases.SameLocalUsedAfterManyRewrites", "x y",
        p => EdgeCases.SameLocalUsedAfterManyRewrites(p[0], p[1]),
        p => { var g = EdgeCases.SameLocalUsedAfterManyRewritesGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.SameLocalUsedAfterManyRewritesBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.2, 1.2, 2));

    [Fact]
    public void RemainderFloat() => GradientCheck.Float("EdgeCases.RemainderFloat", "x y",
        p => EdgeCases.RemainderFloat(p[0], p[1]),
        p => { var g = EdgeCases.RemainderFloatGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.RemainderFloatBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((-5, 5), (0.7, 2)).Where(p => Domain.DistanceToGrid(p[0] / p[1]) > 0.15));

    [Fact]
    public void DeepExpression() => GradientCheck.Double("EdgeCases.DeepExpression", "x y",
        p => EdgeCases.DeepExpression(p[0], p[1]),
        p => { var g = EdgeCases.DeepExpressionGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => EdgeCases.DeepExpressionBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));
}
