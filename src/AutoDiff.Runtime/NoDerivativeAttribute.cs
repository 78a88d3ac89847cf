using System;

namespace AutoDiff;

/// <summary>
/// Excludes a <c>double</c> or <c>float</c> parameter of a <c>[Differentiable]</c> method from differentiation:
/// it gets no adjoint, no tangent and no row in the gradient or the Hessian, and is treated as a constant
/// (a data value, a hyper-parameter such as a regularisation strength).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
