using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// The public names of generated derivatives (a contract: samples, docs and users' code depend on them).
/// </summary>
internal static class DerivativeNaming
{
    public const string BackwardSuffix = "Backward";
    public const string GradientSuffix = "Gradient";

    /// <summary>The adjoint of parameter <c>x</c> is <c>dX</c>: <c>d</c> and the name with its first letter capitalised.</summary>
    public static string AdjointName(string parameterName)
    {
        var name = parameterName.StartsWith("@") ? parameterName.Substring(1) : parameterName;
        return "d" + char.ToUpperInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>Chooses the seed's and the adjoints' names for a method's pullback, avoiding the parameters' names.</summary>
    public static PullbackNames ForPullback(IrMethod method)
    {
        var names = new NameAllocator(method.Parameters.Select(p => p.Name));
        var seed = names.Fresh("seed");
        var adjoints = method.Parameters
            .Where(p => p.IsDifferentiable)
            .Select(p => (p.Name, names.Fresh(AdjointName(p.Name))))
            .ToList();
        return new PullbackNames(seed, adjoints);
    }
}

/// <summary>The seed's name and each differentiable parameter's adjoint name in a pullback.</summary>
internal sealed class PullbackNames
{
    public PullbackNames(string seed, IReadOnlyList<(string Parameter, string Adjoint)> adjoints)
    {
        Seed = seed;
        Adjoints = adjoints;
    }

    public string Seed { get; }

    public IReadOnlyList<(string Parameter, string Adjoint)> Adjoints { get; }

    public string AdjointOf(string parameter) => Adjoints.First(a => a.Parameter == parameter).Adjoint;
}
