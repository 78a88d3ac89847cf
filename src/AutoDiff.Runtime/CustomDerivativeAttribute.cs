using System;

namespace AutoDiff;

/// <summary>
/// Marks a static method whose derivatives you write yourself, in the same type, under the names and signatures
/// the generator would use: <c>FBackward</c> (the pullback) and <c>FTangent</c> (forward mode, with an <c>out</c>
/// tangent). Generated code that calls <c>F</c> then goes through your rules, in both modes.
/// </summary>
/// <remarks>
/// <para>Use it for a function whose body cannot be differentiated (a call into another library, SIMD code) or
/// whose derivative has a better form (more stable, cheaper).</para>
/// <para>For a method you cannot annotate (in the BCL or another library), write a forwarder with the same name,
/// parameters and result, and mark it <c>[CustomDerivative(typeof(Math), nameof(Math.FusedMultiplyAdd))]</c>: calls to that
/// method in <c>[Differentiable]</c> code then use the forwarder's rules.</para>
/// <para>The generator adds <c>FGradient</c>, the tuple-returning <c>FTangent</c>, <c>FHessianVector</c> and
/// <c>FHessian</c>. For second order it differentiates your <c>FBackward</c> in forward mode (its body must then be
/// differentiable code), unless you also write <c>FBackwardTangent</c>. The analyzer checks every rule's
/// signature against the expected one (ADIFF007): a rule is never silently ignored.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomDerivativeAttribute : Attribute
{
    /// <summary>The rules are for the marked method itself.</summary>
    public CustomDerivativeAttribute()
    {
    }

    /// <summary>
    /// The marked method forwards to <paramref name="methodName"/> of <paramref name="type"/> (same parameters and result),
    /// and its rules are used wherever <c>[Differentiable]</c> code calls that method.
    /// </summary>
    public CustomDerivativeAttribute(Type type, string methodName)
    {
        Type = type;
        MethodName = methodName;
    }

    /// <summary>The type of the method the rules stand for, or null when they are for the marked method.</summary>
    public Type? Type { get; }

    /// <summary>The name of the method the rules stand for, or null when they are for the marked method.</summary>
    public string? MethodName { get; }
}
