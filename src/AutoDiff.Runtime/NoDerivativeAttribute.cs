using System;

namespace AutoDiff;

/// <summary>
/// Excludes a <c>double</c> or <c>float</c> parameter of a <c>[Differentiable]</c> method from differentiation:
/// it gets no adjoint, no tangent and no row in the gradient or the Hessian, and is treated as a constant
/// (a data value, a hyper-parameter such as a regularisation strength). On a field or auto-property of a struct that
/// differentiable code takes, it marks the member as carried, not differentiated: its derivative is always zero.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
