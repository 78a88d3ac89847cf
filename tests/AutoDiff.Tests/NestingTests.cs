// Gradient checks against finite differences; see GradientCheck.
using System;
using AutoDiff.Tests.FileScoped;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>Methods in nested types, structs, a file-scoped namespace, with internal or private accessibility, and overloads.</summary>
public class NestingTests
{
    [Fact]
    public void Nested() => GradientCheck.Double("Outer.Inner.Nested", "x y",
        p => Outer.Inner.Nested(p[0], p[1]),
        p => { var g = Outer.Inner.NestedGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Outer.Inner.NestedBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void Deepest() => GradientCheck.Double("Outer.Inner.Deeper.Deepest", "x",
        p => Outer.Inner.Deeper.Deepest(p[0]),
        p => { var g = Outer.Inner.Deeper.DeepestGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Outer.Inner.Deeper.DeepestBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void InternalMethod() => GradientCheck.Double("Outer.InternalMethod", "x",
        p => Outer.InternalMethod(p[0]),
        p => { var g = Outer.InternalMethodGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Outer.InternalMethodBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void CallsPrivate() => GradientCheck.Double("Outer.CallsPrivate", "x y",
        p => Outer.CallsPrivate(p[0], p[1]),
        p => { var g = Outer.CallsPrivateGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Outer.CallsPrivateBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-2, 2, 2));

    [Fact]
    public void InStruct() => GradientCheck.Double("Holder.InStruct", "x y",
        p => Holder.InStruct(p[0], p[1]),
        p => { var g = Holder.InStructGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Holder.InStructBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void InReadonlyStruct() => GradientCheck.Double("ReadonlyHolder.InReadonlyStruct", "x",
        p => ReadonlyHolder.InReadonlyStruct(p[0]),
        p => { var g = ReadonlyHolder.InReadonlyStructGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => ReadonlyHolder.InReadonlyStructBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void StaticInNonStaticClass() => GradientCheck.Double("InstanceClass.StaticInNonStaticClass", "x",
        p => InstanceClass.StaticInNonStaticClass(p[0]),
        p => { var g = InstanceClass.StaticInNonStaticClassGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => InstanceClass.StaticInNonStaticClassBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void InInternalClass() => GradientCheck.Double("InternalClass.InInternalClass", "x",
        p => InternalClass.InInternalClass(p[0]),
        p => { var g = InternalClass.InInternalClassGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => InternalClass.InInternalClassBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void OverloadOneDouble() => GradientCheck.Double("Overloads.Over", "x",
        p => Overloads.Over(p[0]),
        p => { var g = Overloads.OverGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Overloads.OverBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void OverloadTwoDoubles() => GradientCheck.Double("Overloads.Over", "x y",
        p => Overloads.Over(p[0], p[1]),
        p => { var g = Overloads.OverGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => Overloads.OverBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2));

    [Fact]
    public void OverloadFloat() => GradientCheck.Float("Overloads.Over", "x",
        p => Overloads.Over(p[0]),
        p => { var g = Overloads.OverGradient(p[0]); return (g.Value, new[] { g.dX }); },
        (p, s, a) => Overloads.OverBackward(p[0], s, ref a[0]),
        Domain.Box(-3, 3, 1));

    [Fact]
    public void Hypot() => GradientCheck.Double("FileScopedFunctions.Hypot", "x y",
        p => FileScopedFunctions.Hypot(p[0], p[1]),
        p => { var g = FileScopedFunctions.HypotGradient(p[0], p[1]); return (g.Value, new[] { g.dX, g.dY }); },
        (p, s, a) => FileScopedFunctions.HypotBackward(p[0], p[1], s, ref a[0], ref a[1]),
        Domain.Box(-3, 3, 2).Where(p => p[0] * p[0] + p[1] * p[1] > 0.1));

    [Fact]
    public void Forward() => GradientCheck.Double("Neuron.Forward", "a b c x y",
        p => Neuron.Forward(p[0], p[1], p[2], p[3], p[4]),
        p => { var g = Neuron.ForwardGradient(p[0], p[1], p[2], p[3], p[4]); return (g.Value, new[] { g.dA, g.dB, g.dC, g.dX, g.dY }); },
        (p, s, a) => Neuron.ForwardBackward(p[0], p[1], p[2], p[3], p[4], s, ref a[0], ref a[1], ref a[2], ref a[3], ref a[4]),
        Domain.Box(-2, 2, 5));

    [Fact]
    public void Sigmoid() => GradientCheck.Double("Neuron.Sigmoid", "z",
        p => Neuron.Sigmoid(p[0]),
        p => { var g = Neuron.SigmoidGradient(p[0]); return (g.Value, new[] { g.dZ }); },
        (p, s, a) => Neuron.SigmoidBackward(p[0], s, ref a[0]),
        Domain.Box(-5, 5, 1));

    [Fact]
    public void AddMultiply() => GradientCheck.Double("Neuron.AddMultiply", "x y z",
        p => Neuron.AddMultiply(p[0], p[1], p[2]),
        p => { var g = Neuron.AddMultiplyGradient(p[0], p[1], p[2]); return (g.Value, new[] { g.dX, g.dY, g.dZ }); },
        (p, s, a) => Neuron.AddMultiplyBackward(p[0], p[1], p[2], s, ref a[0], ref a[1], ref a[2]),
        Domain.Box(-5, 5, 3));
}
