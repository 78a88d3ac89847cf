using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Diagnostics;

/// <summary>
/// Every diagnostic AutoDiff reports. IDs are stable (users suppress them by ID); each has a help page at
/// <c>docs/diagnostics/&lt;ID&gt;.md</c> and an entry in AnalyzerReleases.*.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>
    /// Property of a diagnostic about a differentiated value: the spans ("start:length;start:length") of the
    /// expressions in its own document that <c>Ad.WithoutDerivative</c> would make constant. The code fixes read it.
    /// </summary>
    public const string StopDerivativeSpansProperty = "AutoDiff.StopDerivativeSpans";

    /// <summary>
    /// Property of ADIFF007 and ADIFF008: C# members (a custom-derivative skeleton) that would resolve the diagnostic
    /// when added to the type that contains its location. The code fixes read it.
    /// </summary>
    public const string SkeletonProperty = "AutoDiff.Skeleton";

    public const string Category = "AutoDiff";
    public const string HelpLinkBase = "https://github.com/autodiff-dotnet/AutoDiff/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "ADIFF001",
        "The type containing a [Differentiable] method must be partial",
        "Type '{0}' must be declared partial so that AutoDiff can add the derivatives of '{1}' to it: add the 'partial' modifier");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error(
        "ADIFF002",
        "Construct not supported in a [Differentiable] method",
        "{0} is not supported in a [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor CallWithoutDerivative = Error(
        "ADIFF003",
        "Call to a method that has no derivative",
        "The call to '{0}' depends on a differentiated value, but '{0}' has no derivative: {1}");

    public static readonly DiagnosticDescriptor ExternalCallWithoutDerivative = Error(
        "ADIFF008",
        "Call to a method of another assembly that has no derivative",
        "The call to '{0}' depends on a differentiated value, but '{0}' (in '{1}') has no derivative: {2}");

    public static readonly DiagnosticDescriptor DynamicDispatch = Error(
        "ADIFF009",
        "Virtual, interface and delegate calls cannot be differentiated",
        "The call to '{0}' is dispatched at run time ({1} call), so AutoDiff cannot know which method it differentiates: call a static method instead (a [Differentiable] one if it depends on differentiated values)");

    public static readonly DiagnosticDescriptor WriteToSharedState = Error(
        "ADIFF010",
        "A [Differentiable] method must not write state outside it",
        "{0} changes state outside the method, and the generated derivatives run the method's code again (some passes twice), so the write would repeat: compute into a local and return it, or move the write out of the method");

    public static readonly DiagnosticDescriptor CalleeNotDifferentiated = Error(
        "ADIFF011",
        "Call to a [Differentiable] method whose derivatives could not be generated",
        "The call to '{0}' cannot be differentiated: {1}, so no derivatives are generated for it; fix that first (the additional locations lead there)");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Error(
        "ADIFF004",
        "Unsupported signature for a [Differentiable] method",
        "{0} of '{1}' has type '{2}', which AutoDiff cannot differentiate: {3}");

    public static readonly DiagnosticDescriptor NoDifferentiableParameter = Error(
        "ADIFF005",
        "A [Differentiable] method needs a double or float parameter",
        "'{0}' has no double or float parameter to differentiate with respect to: add one, or remove [Differentiable]");

    public static readonly DiagnosticDescriptor UnsupportedMethodShape = Error(
        "ADIFF006",
        "Unsupported kind of [Differentiable] method",
        "'{0}' cannot be [Differentiable]: {1}");

    public static readonly DiagnosticDescriptor CustomRuleMismatch = Error(
        "ADIFF007",
        "A custom derivative rule is missing or has the wrong signature",
        "'{0}' is [CustomDerivative], but {1}: write it as '{2}'");

    public static readonly DiagnosticDescriptor KernelNotGenerated = Error(
        "ADIFF012",
        "A [GpuKernel] method cannot become an ILGPU kernel",
        "'{0}' gets no GPU kernels: {1}; its CPU derivatives are still generated");

    public static readonly DiagnosticDescriptor GeneratedMemberCollision = Error(
        "ADIFF013",
        "A generated derivative would have the name and parameters of another member",
        "'{0}' gets no derivatives: the generated '{1}' would collide, as {2}; {3}");

    public static readonly DiagnosticDescriptor IntegerCastCutsDerivative = Warning(
        "ADIFF101",
        "A cast to an integer type cuts the derivative",
        "The cast of '{0}' to '{1}' drops its fractional part, so the derivative through it is zero: keep the value in double or float if it should be differentiated");

    public static readonly DiagnosticDescriptor PiecewiseConstantFunction = Warning(
        "ADIFF102",
        "A piecewise-constant function has a zero derivative",
        "'{0}' is piecewise constant: its derivative is zero wherever it exists, so nothing flows back through '{1}'");

    public static readonly DiagnosticDescriptor ResultIndependentOfInputs = Warning(
        "ADIFF103",
        "The result does not depend on any differentiated input",
        "The result of '{0}' does not depend on any of its differentiated parameters ({1}), so every derivative of it is zero: check the formula, or remove [Differentiable] if the method is not meant to be differentiated");

    public static readonly DiagnosticDescriptor FloatEquality = Warning(
        "ADIFF104",
        "Exact comparison of a differentiated value",
        "'{0}' compares a differentiated value exactly: the branch it picks holds at a single point, so the derivative there is that of the branch, not of the function around it; compare with a tolerance, or wrap the operand in Ad.WithoutDerivative if only its value matters");

    public static readonly DiagnosticDescriptor SideEffectRepeats = Warning(
        "ADIFF105",
        "A side effect runs again in every generated derivative",
        "The call to '{0}' {1}; each generated derivative (FBackward, FGradient, FTangent, FHessianVector and the rest) runs the method's code again, some passes twice, so it repeats: move it out of the method, or suppress this warning where the repetition is harmless");

    public static readonly DiagnosticDescriptor PerSampleWithoutKernel = Warning(
        "ADIFF106",
        "[PerSample] has no effect on a method without [GpuKernel]",
        "'{0}' is [PerSample], but '{1}' is not [GpuKernel]: [PerSample] only tells the kernel generator which parameters vary per sample, so here it changes nothing and '{0}' is differentiated like any parameter; add [GpuKernel] to the method, or use [NoDerivative] to stop its derivative");

    public static readonly DiagnosticDescriptor CalleeWithoutSecondOrder = Info(
        "ADIFF202",
        "A method of another assembly has no second-order derivatives",
        "'{0}' gets no second-order derivatives ({0}HessianVector, {0}Hessian, {0}BackwardTangent), and neither does any method that calls it: '{1}' comes from '{2}', which was built without them (AutoDiffSecondOrder=false); build '{2}' with AutoDiffSecondOrder=true to have them");

    public static readonly DiagnosticDescriptor NonDifferentiablePoint = Info(
        "ADIFF201",
        "The derivative is not defined at some points",
        "'{0}' has no derivative {1}; there AutoDiff uses {2}");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "ADIFF900",
        "AutoDiff failed to differentiate a method",
        "AutoDiff failed to differentiate '{0}' ({1}); nothing was generated for it. Please report this with the method's code.");

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");

    private static DiagnosticDescriptor Info(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");

    private static DiagnosticDescriptor Warning(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
