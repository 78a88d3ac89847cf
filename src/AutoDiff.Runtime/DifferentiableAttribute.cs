using System;

namespace AutoDiff;

/// <summary>
/// Marks a static method whose derivatives AutoDiff generates at build time, in the same partial type.
/// </summary>
/// <remarks>
/// For a method <c>F</c> the generator adds <c>FBackward</c> (the pullback: runs <c>F</c>, then adds
/// <c>seed · ∂F/∂x</c> into a <c>ref</c> adjoint for every <c>double</c> or <c>float</c> parameter <c>x</c>, and
/// returns <c>F</c>'s value) and <c>FGradient</c> (the value and the gradient as a named tuple).
/// Parameters of type <c>int</c>, <c>long</c> and <c>bool</c> are accepted and not differentiated.
/// The containing type and every type that encloses it must be <c>partial</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
