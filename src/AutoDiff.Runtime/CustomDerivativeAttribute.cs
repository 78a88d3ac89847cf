using System;

namespace AutoDiff;

/// <summary>
/// Marks a static method whose derivatives you write yourself, in the same type, under the names and signatures
/// the generator would use: <c>FBackward</c> (the pullback) and <c>FTangent</c> (forward mode, with an <c>out</c>
/// tangent). Generated code that calls <c>F</c> then goes through your rules, in both modes.
/// </summary>
/// <remarks>
/// <para>Use it for a function whose body cannot be differentiated (a call into another library, SIMD code) or
/// whose derivative has a better form (more stable, cheaper). To use a function you cannot annotate, wrap it in a
/// method of your own and mark the wrapper.</para>
/// <para>The generator adds <c>FGradient</c>, the tuple-returning <c>FTangent</c>, <c>FHessianVector</c> and
/// <c>FHessian</c>. For second order it differentiates your <c>FBackward</c> in forward mode (its body must then be
/// differentiable code), unless you also write <c>FBackwardTangent</c>. The analyzer checks every rule's
/// signature against the expected one (ADIFF007): a rule is never silently ignored.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomDerivativeAttribute : Attribute
{
}
