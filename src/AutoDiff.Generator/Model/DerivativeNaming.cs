using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Model;

/// <summary>
/// The public names of generated derivatives (a contract: samples, docs and users' code depend on them).
/// </summary>
internal static class DerivativeNaming
{
    /// <summary>
    /// The methods generated for <paramref name="method"/>. Generated code calls them by these simple names, so no
    /// parameter or local the generator names may take one (the tangent of parameter <c>y</c> of a method <c>y</c> is
    /// not <c>yTangent</c>).
    /// </summary>
    public static IEnumerable<string> MethodNames(string method)
    {
        var name = method.StartsWith("@") ? method.Substring(1) : method;
        return DerivativeKinds.Reserved.Select(kind => name + kind.Suffix());
    }

    /// <summary>The adjoint of parameter <c>x</c> is <c>dX</c>: <c>d</c> and the name with its first letter capitalised.</summary>
    public static string AdjointName(string parameterName)
    {
        var name = parameterName.StartsWith("@") ? parameterName.Substring(1) : parameterName;
        return "d" + char.ToUpperInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>Chooses the seed's and the adjoints' names for a method's pullback, avoiding the parameters' and locals' names.</summary>
    public static PullbackNames ForPullback(IrMethod method)
    {
        // The adjoints are parameters of the pullback, so they must not take the name of a local of its body either.
        var reserved = method.Parameters.Select(p => p.Name).Concat(MethodNames(method.Name)).ToList();
        Ir.ForEachStatement(method.Body, s =>
        {
            if (s is IrDeclare d) reserved.Add(d.Name);
        });
        var names = new NameAllocator(reserved);
        // A scalar result's adjoint is the seed; a vector-valued method's outputs each get theirs (dY for y).
        var seed = method.IsVectorValued && method.ResultArray is null ? "" : names.Fresh("seed");
        var outputSeeds = method.Parameters.Where(p => p.IsOutput).Select(p => (p.Name, names.Fresh(AdjointName(p.Name)))).ToList();
        // A returned array's seed is the span "seed".
        if (method.ResultArray is { } result) outputSeeds.Add((result, seed));
        var adjoints = method.Parameters
            .Where(p => p.IsDifferentiable)
            .Select(p => (p.Name, names.Fresh(AdjointName(p.Name))))
            .ToList();
        return new PullbackNames(seed, adjoints, outputSeeds);
    }
}

/// <summary>The seed's name and each differentiable parameter's adjoint name in a pullback.</summary>
internal sealed class PullbackNames
{
    public PullbackNames(string seed, IReadOnlyList<(string Parameter, string Adjoint)> adjoints, IReadOnlyList<(string Output, string Seed)> outputSeeds)
    {
        Seed = seed;
        Adjoints = adjoints;
        OutputSeeds = outputSeeds;
    }

    /// <summary>For a vector-valued method: each output span and the name of its seed (its given adjoint).</summary>
    public IReadOnlyList<(string Output, string Seed)> OutputSeeds { get; }

    public string Seed { get; }

    public IReadOnlyList<(string Parameter, string Adjoint)> Adjoints { get; }

    public string AdjointOf(string parameter) => Adjoints.First(a => a.Parameter == parameter).Adjoint;
}
