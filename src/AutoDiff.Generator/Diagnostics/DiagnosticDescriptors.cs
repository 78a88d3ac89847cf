using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Diagnostics;

/// <summary>
/// Every diagnostic AutoDiff reports. IDs are stable (users suppress them by ID); each has a help page at
/// <c>docs/diagnostics/&lt;ID&gt;.md</c> and an entry in AnalyzerReleases.*.md.
/// </summary>
internal static class DiagnosticDescriptors
{
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

    public static readonly DiagnosticDescriptor IntegerCastCutsDerivative = Warning(
        "ADIFF101",
        "A cast to an integer type cuts the derivative",
        "The cast of '{0}' to '{1}' drops its fractional part, so the derivative through it is zero: keep the value in double or float if it should be differentiated");

    public static readonly DiagnosticDescriptor PiecewiseConstantFunction = Warning(
        "ADIFF102",
        "A piecewise-constant function has a zero derivative",
        "'{0}' is piecewise constant: its derivative is zero wherever it exists, so nothing flows back through '{1}'");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "ADIFF900",
        "AutoDiff failed to differentiate a method",
        "AutoDiff failed to differentiate '{0}' ({1}); nothing was generated for it. Please report this with the method's code.");

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");

    private static DiagnosticDescriptor Warning(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
