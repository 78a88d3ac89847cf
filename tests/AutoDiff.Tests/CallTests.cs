// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.Functions;
using AutoDiff.Tests.Other;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Calls to [Differentiable] methods: same class, other namespace, constant and int arguments, float callee, recursion.</summary>
public class CallTests
{
    [Fact]
    public void Square() => GradientCheck.Double("Calls.Square", "x",
        p => Calls.Square(p[0]),
        p => { var g = Calls.SquareGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.SquareBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Product() => GradientCheck.Double("Calls.Product", "x y",
        p => Calls.Product(p[0], p[1]),
        p => { var g = Calls.ProductGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Calls.ProductBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void SquareF() => GradientCheck.Float("Calls.SquareF", "x",
        p => Calls.SquareF(p[0]),
        p => { var g = Calls.SquareFGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.SquareFBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void CallSameClass() => GradientCheck.Double("Calls.CallSameClass", "x y",
        p => Calls.CallSameClass(p[0], p[1]),
        p => { var g = Calls.CallSameClassGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Calls.CallSameClassBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void CallSameVariableTwice() => GradientCheck.Double("Calls.CallSameVariableTwice", "x",
        p => Calls.CallSameVariableTwice(p[0]),
        p => { var g = Calls.CallSameVariableTwiceGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.CallSameVariableTwiceBackward(p[0], s, ref a[0]),
        Domain.Box(-2, 2, 1));

    [Fact]
    public void CallWithConstantArgument() => GradientCheck.Double("Calls.CallWithConstantArgument", "x",
        p => Calls.CallWithConstantArgument(p[0]),
        p => { var g = Calls.CallWithConstantArgumentGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.CallWithConstantArgumentBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void CallWithIntArgument(int n) => GradientCheck.Double($"Calls.CallWithIntArgument({n})", "x",
        p => Calls.CallWithIntArgument(p[0], n),
        p => { var g = Calls.CallWithIntArgumentGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.CallWithIntArgumentBackward(p[0], n, s, ref a[0]),
        Domain.Box(-2, 2, 1));

    [Fact]
    public void CallFloatFromDouble() => GradientCheck.Double("Calls.CallFloatFromDouble", "x",
        p => Calls.CallFloatFromDouble(p[0]),
        p => { var g = Calls.CallFloatFromDoubleGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.CallFloatFromDoubleBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1),
        CheckOptions.Float);

    [Fact]
    public void CallOtherNamespace() => GradientCheck.Double("Calls.CallOtherNamespace", "x y",
        p => Calls.CallOtherNamespace(p[0], p[1]),
        p => { var g = Calls.CallOtherNamespaceGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Calls.CallOtherNamespaceBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void CallNonDifferentiableWithConstants() => GradientCheck.Double("Calls.CallNonDifferentiableWithConstants", "x",
        p => Calls.CallNonDifferentiableWithConstants(p[0]),
        p => { var g = Calls.CallNonDifferentiableWithConstantsGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.CallNonDifferentiableWithConstantsBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void NestedCalls() => GradientCheck.Double("Calls.NestedCalls", "x y",
        p => Calls.NestedCalls(p[0], p[1]),
        p => { var g = Calls.NestedCallsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Calls.NestedCallsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void PowerRecursive(int n) => GradientCheck.Double($"Calls.PowerRecursive({n})", "x",
        p => Calls.PowerRecursive(p[0], n),
        p => { var g = Calls.PowerRecursiveGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.PowerRecursiveBackward(p[0], n, s, ref a[0]),
        Domain.Box(-2, 2, 1));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void PowerRecursiveConditional(int n) => GradientCheck.Double($"Calls.PowerRecursiveConditional({n})", "x",
        p => Calls.PowerRecursiveConditional(p[0], n),
        p => { var g = Calls.PowerRecursiveConditionalGradient(p[0], n); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Calls.PowerRecursiveConditionalBackward(p[0], n, s, ref a[0]),
        Domain.Box(-2, 2, 1));

    [Fact]
    public void CallAsStatementAndInLocals() => GradientCheck.Double("Calls.CallAsStatementAndInLocals", "x y",
        p => Calls.CallAsStatementAndInLocals(p[0], p[1]),
        p => { var g = Calls.CallAsStatementAndInLocalsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Calls.CallAsStatementAndInLocalsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-1.5, 1.5, 2));

    [Fact]
    public void CallWithNamedArguments() => GradientCheck.Double("Calls.CallWithNamedArguments", "x y",
        p => Calls.CallWithNamedArguments(p[0], p[1]),
        p => { var g = Calls.CallWithNamedArgumentsGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Calls.CallWithNamedArgumentsBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Cube() => GradientCheck.Double("Helpers.Cube", "x",
        p => Helpers.Cube(p[0]),
        p => { var g = Helpers.CubeGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Helpers.CubeBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Blend() => GradientCheck.Double("Helpers.Blend", "a b weight",
        p => Helpers.Blend(p[0], p[1], p[2]),
        p => { var g = Helpers.BlendGradient(p[0], p[1], p[2]); return (g.Value, new[] { g.dA, g.dB, g.dWeight }); },
        (p, s, a) => Helpers.BlendBackward(p[0], p[1], p[2], s, ref a[0], ref a[1], ref a[2]),
        Domain.Box(-3, 3, 3));
}
