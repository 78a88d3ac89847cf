// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Arithmetic, literals, unary operators, locals, assignments.</summary>
public class BasicsTests
{
    [Fact]
    public void Add() => GradientCheck.Double("Basics.Add", "x y",
        p => Basics.Add(p[0], p[1]),
        p => { var g = Basics.AddGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.AddBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Subtract() => GradientCheck.Double("Basics.Subtract", "x y",
        p => Basics.Subtract(p[0], p[1]),
        p => { var g = Basics.SubtractGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.SubtractBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Multiply() => GradientCheck.Double("Basics.Multiply", "x y",
        p => Basics.Multiply(p[0], p[1]),
        p => { var g = Basics.MultiplyGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.MultiplyBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Divide() => GradientCheck.Double("Basics.Divide", "x y",
        p => Basics.Divide(p[0], p[1]),
        p => { var g = Basics.DivideGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.DivideBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[1]) > 0.3));

    [Fact]
    public void Remainder() => GradientCheck.Double("Basics.Remainder", "x y",
        p => Basics.Remainder(p[0], p[1]),
        p => { var g = Basics.RemainderGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.RemainderBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box((-5, 5), (0.7, 2)).Where(p => Domain.DistanceToGrid(p[0] / p[1]) > 0.01));

    [Fact]
    public void Negate() => GradientCheck.Double("Basics.Negate", "x y",
        p => Basics.Negate(p[0], p[1]),
        p => { var g = Basics.NegateGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.NegateBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void UnaryPlus() => GradientCheck.Double("Basics.UnaryPlus", "x",
        p => Basics.UnaryPlus(p[0]),
        p => { var g = Basics.UnaryPlusGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Basics.UnaryPlusBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Unary() => GradientCheck.Double("Basics.Unary", "x",
        p => Basics.Unary(p[0]),
        p => { var g = Basics.UnaryGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Basics.UnaryBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Constant() => GradientCheck.Double("Basics.Constant", "x",
        p => Basics.Constant(p[0]),
        p => { var g = Basics.ConstantGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Basics.ConstantBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Parentheses() => GradientCheck.Double("Basics.Parentheses", "x y",
        p => Basics.Parentheses(p[0], p[1]),
        p => { var g = Basics.ParenthesesGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.ParenthesesBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Literals() => GradientCheck.Double("Basics.Literals", "x y",
        p => Basics.Literals(p[0], p[1]),
        p => { var g = Basics.LiteralsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.LiteralsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Polynomial() => GradientCheck.Double("Basics.Polynomial", "x",
        p => Basics.Polynomial(p[0]),
        p => { var g = Basics.PolynomialGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Basics.PolynomialBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void SameVariableEverywhere() => GradientCheck.Double("Basics.SameVariableEverywhere", "x",
        p => Basics.SameVariableEverywhere(p[0]),
        p => { var g = Basics.SameVariableEverywhereGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Basics.SameVariableEverywhereBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Locals() => GradientCheck.Double("Basics.Locals", "x y",
        p => Basics.Locals(p[0], p[1]),
        p => { var g = Basics.LocalsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.LocalsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void DeclaredThenAssigned() => GradientCheck.Double("Basics.DeclaredThenAssigned", "x y",
        p => Basics.DeclaredThenAssigned(p[0], p[1]),
        p => { var g = Basics.DeclaredThenAssignedGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.DeclaredThenAssignedBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void CompoundAssignment() => GradientCheck.Double("Basics.CompoundAssignment", "x y",
        p => Basics.CompoundAssignment(p[0], p[1]),
        p => { var g = Basics.CompoundAssignmentGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.CompoundAssignmentBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2));

    [Fact]
    public void CompoundAssignmentOnParameters() => GradientCheck.Double("Basics.CompoundAssignmentOnParameters", "x y",
        p => Basics.CompoundAssignmentOnParameters(p[0], p[1]),
        p => { var g = Basics.CompoundAssignmentOnParametersGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.CompoundAssignmentOnParametersBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2));

    [Theory]
    [InlineData(-3)]
    [InlineData(0)]
    [InlineData(5)]
    public void IncrementDecrement(int n) => GradientCheck.Double($"Basics.IncrementDecrement({n})", "x",
        p => Basics.IncrementDecrement(p[0], n),
        p => { var g = Basics.IncrementDecrementGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Basics.IncrementDecrementBackward(p[0], n, s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void ConstLocals() => GradientCheck.Double("Basics.ConstLocals", "x y",
        p => Basics.ConstLocals(p[0], p[1]),
        p => { var g = Basics.ConstLocalsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.ConstLocalsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void ConstAndStaticReadonlyFields() => GradientCheck.Double("Basics.ConstAndStaticReadonlyFields", "x y",
        p => Basics.ConstAndStaticReadonlyFields(p[0], p[1]),
        p => { var g = Basics.ConstAndStaticReadonlyFieldsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.ConstAndStaticReadonlyFieldsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void ParameterReassigned() => GradientCheck.Double("Basics.ParameterReassigned", "x y",
        p => Basics.ParameterReassigned(p[0], p[1]),
        p => { var g = Basics.ParameterReassignedGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.ParameterReassignedBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void LocalReassignedUsingOldValue() => GradientCheck.Double("Basics.LocalReassignedUsingOldValue", "x y",
        p => Basics.LocalReassignedUsingOldValue(p[0], p[1]),
        p => { var g = Basics.LocalReassignedUsingOldValueGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.LocalReassignedUsingOldValueBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void ParametersReassignedInTurn() => GradientCheck.Double("Basics.ParametersReassignedInTurn", "x y",
        p => Basics.ParametersReassignedInTurn(p[0], p[1]),
        p => { var g = Basics.ParametersReassignedInTurnGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Basics.ParametersReassignedInTurnBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1, 1, 2));

    [Fact]
    public void Keywords() => GradientCheck.Double("Basics.Keywords", "in base",
        p => Basics.Keywords(p[0], p[1]),
        p => { var g = Basics.KeywordsGradient(p[0], p[1]); return (g.Value, new[] { g.dIn, g.dBase }); },
        (p, s, a) => Basics.KeywordsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));
}
