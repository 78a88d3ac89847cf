using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>
/// Every [Differentiable] method in this assembly got its FBackward and FGradient, with the documented
/// signatures: one adjoint per double/float parameter, named "d" + the parameter's name capitalised.
/// </summary>
public class SignatureTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static bool IsDifferentiated(Type t) => t == typeof(double) || t == typeof(float) || (ElementOf(t) is { } e ? IsDifferentiated(e) : IsStruct(t));

    /// <summary>A struct AutoDiff differentiates through (its adjoint is a value of the same struct).</summary>
    private static bool IsStruct(Type t) => t.IsValueType && !t.IsPrimitive && !t.IsEnum && !t.IsByRefLike && t != typeof(decimal);

    private static string AdjointName(string parameter) => "d" + char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);

    /// <summary>Scalars' adjoints are ref parameters; arrays' and spans' are Span&lt;T&gt;.</summary>
    private static Type AdjointType(Type parameter) => parameter.IsArray && parameter.GetArrayRank() == 2 ? parameter
        : ElementOf(parameter) is { } element ? typeof(Span<>).MakeGenericType(element)
        : parameter.MakeByRefType();

    /// <summary>The gradient with respect to an array or span is an array.</summary>
    private static Type GradientType(Type parameter) => parameter.IsArray && parameter.GetArrayRank() == 2 ? parameter
        : ElementOf(parameter) is { } element ? element.MakeArrayType() : parameter;

    private static Type? ElementOf(Type type)
        => type.IsArray ? type.GetElementType()
        : type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Span<>) || type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>)) ? type.GetGenericArguments()[0]
        : null;

    [Fact]
    public void EveryDifferentiableMethodHasBackwardAndGradient()
    {
        var methods = typeof(SignatureTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(All))
            .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null)
            .ToList();
        Assert.True(methods.Count > 100, $"only {methods.Count} [Differentiable] methods found");

        // Vector-valued methods (void, or returning an array) have a pullback with seed spans and a Jacobian instead: VectorFunctionTests.
        // Struct-valued methods too (their pullback takes a struct seed; StructTests checks them).
        // A method of integers only (an index formula) has nothing to differentiate: it gets no derivatives.
        static bool IntegerOrBool(Type t) => t == typeof(int) || t == typeof(long) || t == typeof(bool);
        var integerOnly = methods.Where(m => IntegerOrBool(m.ReturnType) && m.GetParameters().All(p => IntegerOrBool(p.ParameterType))).ToList();
        Assert.NotEmpty(integerOnly);
        foreach (var method in integerOnly)
        {
            Assert.True(method.DeclaringType!.GetMethods(All).All(m => m.Name != method.Name + "Backward"), $"{method.Name}Backward exists");
        }
        foreach (var method in methods.Except(integerOnly).Where(m => m.ReturnType != typeof(void) && !m.ReturnType.IsArray && !IsStruct(m.ReturnType)))
        {
            string where = $"{method.DeclaringType!.FullName}.{method.Name}";
            var parameters = method.GetParameters();
            var differentiated = parameters.Where(p => IsDifferentiated(p.ParameterType) && p.GetCustomAttribute<NoDerivativeAttribute>() is null).ToList();
            var returnType = method.ReturnType;

            // FBackward(args..., seed, ref dP...) returns F's type.
            var backwardParameters = parameters.Select(p => p.ParameterType)
                .Append(returnType)
                .Concat(differentiated.Select(p => AdjointType(p.ParameterType)))
                .ToArray();
            var backward = method.DeclaringType.GetMethod(method.Name + "Backward", All, null, backwardParameters, null);
            Assert.True(backward is not null, $"{where}: no {method.Name}Backward({string.Join(", ", backwardParameters.Select(t => t.Name))})");
            Assert.Equal(returnType, backward!.ReturnType);
            Assert.Equal(method.IsPublic, backward.IsPublic);
            var backwardNames = backward.GetParameters().Select(p => p.Name).ToArray();
            var expectedNames = parameters.Select(p => p.Name).Append("seed").Concat(differentiated.Select(p => AdjointName(p.Name!))).ToArray();
            Assert.Equal(expectedNames, backwardNames);

            // FGradient(args...) returns (Value, dP...).
            var gradient = method.DeclaringType.GetMethod(method.Name + "Gradient", All, null, parameters.Select(p => p.ParameterType).ToArray(), null);
            Assert.True(gradient is not null, $"{where}: no {method.Name}Gradient");
            var tupleTypes = gradient!.ReturnType.GetGenericArguments();
            Assert.Equal(new[] { returnType }.Concat(differentiated.Select(p => GradientType(p.ParameterType))).ToArray(), tupleTypes);
            var names = gradient.ReturnParameter.GetCustomAttribute<TupleElementNamesAttribute>()?.TransformNames;
            Assert.NotNull(names);
            Assert.Equal(new[] { "Value" }.Concat(differentiated.Select(p => AdjointName(p.Name!))).ToArray(), names!.ToArray());
        }
    }
}
