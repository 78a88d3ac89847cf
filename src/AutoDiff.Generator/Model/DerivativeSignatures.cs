using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Model;

/// <summary>
/// The parameter lists of generated derivatives, which differentiation builds and lowering and emission rely on: a
/// pullback takes the method's parameters, then the seeds, then an adjoint per differentiable parameter; a tangent takes
/// the method's parameters, then a tangent per parameter that has one, then the result's tangent.
/// </summary>
internal static class DerivativeSignatures
{
    /// <summary>The name of the tangent of parameter <c>x</c>: <c>xTangent</c>.</summary>
    public static string TangentParameterName(string parameter) => parameter.TrimStart('@') + DerivativeKind.Tangent.Suffix();

    /// <summary>True for the parameters that get a tangent: every double or float parameter (value or ref).</summary>
    public static bool HasTangent(IrParameter parameter) => parameter.Type.CarriesDerivative && parameter.Kind != ParameterKind.Out && !parameter.NoDerivative;

    /// <summary>
    /// The tangent parameter of a parameter: a scalar's is a scalar of the same kind; an array's or span's is a
    /// read-only span when the method only reads it, and a span when it writes it (a pullback's adjoints).
    /// </summary>
    public static IrParameter TangentParameter(string name, IrParameter parameter, bool written) => parameter.Type.Shape switch
    {
        TypeShape.Scalar => new IrParameter(name, parameter.Type, parameter.Kind),
        TypeShape.Matrix => new IrParameter(name, parameter.Type),
        _ => new IrParameter(name, parameter.Type.WithShape(written ? TypeShape.Span : TypeShape.ReadOnlySpan)),
    };

    /// <summary>A tangent parameter for each parameter that has one, in order.</summary>
    public static List<IrParameter> TangentParameters(IEnumerable<IrParameter> parameters, Func<IrParameter, string> name, Func<IrParameter, bool> written)
        => parameters.Where(HasTangent).Select(p => TangentParameter(name(p), p, written(p))).ToList();

    /// <summary>The tangent version of a differentiable callee.</summary>
    public static IrMethodRef TangentOf(IrMethodRef callee, IrType returnType)
    {
        // A pullback writes its span parameters (the adjoints) and only reads the others.
        var parameters = callee.Parameters.ToList();
        parameters.AddRange(TangentParameters(callee.Parameters, p => p.Name + DerivativeKind.Tangent.Suffix(), p => p.Type.Shape == TypeShape.Span));
        if (!callee.TangentIsValueFree) parameters.Add(new IrParameter("resultTangent", returnType, ParameterKind.Out));
        return new IrMethodRef(callee.ContainingType, callee.TangentName ?? callee.Name + DerivativeKind.Tangent.Suffix(), true, parameters.ToEquatableArray());
    }

    /// <summary>The adjoint of a scalar is a ref parameter; the adjoint of an array or span is a span, accumulated into.</summary>
    public static IrParameter AdjointParameter(string name, IrType type)
        => type.IsMatrix ? new IrParameter(name, type)
            : type.IsSequence ? new IrParameter(name, type.WithShape(TypeShape.Span))
            : new IrParameter(name, type, ParameterKind.Ref);

    /// <summary>A pullback's parameters: the method's, then the seeds, then an adjoint for each differentiable parameter.</summary>
    public static EquatableArray<IrParameter> PullbackParameters(IEnumerable<IrParameter> parameters, IEnumerable<IrParameter> seeds, Func<IrParameter, string> adjointName)
    {
        var list = parameters.ToList();
        return list.Concat(seeds).Concat(list.Where(p => p.IsDifferentiable).Select(p => AdjointParameter(adjointName(p), p.Type))).ToEquatableArray();
    }

    /// <summary>The method reference of a differentiable callee's pullback.</summary>
    public static IrMethodRef PullbackOf(IrMethodRef callee, IrType returnType)
    {
        var parameters = PullbackParameters(callee.Parameters, new[] { new IrParameter("seed", returnType) }, p => "d" + p.Name);
        return new IrMethodRef(callee.ContainingType, callee.Name + DerivativeKind.Backward.Suffix(), true, parameters);
    }

    /// <summary>The method reference of a vector-valued callee's <c>FBackwardInPlace</c> (see <c>ReverseMode.DifferentiateInPlace</c>).</summary>
    public static IrMethodRef PullbackInPlaceOf(IrMethodRef callee)
    {
        var seeds = callee.Parameters.Where(p => p.IsOutput).Select(p => new IrParameter("d" + p.Name, p.Type.WithShape(TypeShape.Span)));
        var parameters = PullbackParameters(callee.Parameters, seeds, p => "d" + p.Name);
        return new IrMethodRef(callee.ContainingType, callee.Name + DerivativeKind.BackwardInPlace.Suffix(), true, parameters) { TangentIsValueFree = true };
    }
}
