using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>
/// The generated derivatives of one function F, seen through double arrays (one entry per double/float parameter).
/// </summary>
/// <param name="F">F itself.</param>
/// <param name="Gradient">FGradient's gradient (reverse mode; checked against finite differences by <see cref="GradientCheck"/>).</param>
/// <param name="Tangent">FTangent(x, v): F's value and the directional derivative along v (forward mode).</param>
/// <param name="HessianVector">FHessianVector(x, v): H·v (forward over reverse).</param>
/// <param name="Hessian">FHessian(x): the n×n Hessian.</param>
public sealed record ModeFunctions(
    Func<double[], double> F,
    Func<double[], double[]> Gradient,
    Func<double[], double[], (double Value, double Tangent)> Tangent,
    Func<double[], double[], double[]> HessianVector,
    Func<double[], double[,]> Hessian);

/// <summary>How strictly the modes are compared. Every tolerance is relative: |a − b| ≤ tol · max(1, scale).</summary>
/// <param name="TangentTolerance">FTangent's tangent vs gradient · v (scale: |tangent|, Σ|gᵢvᵢ|).</param>
/// <param name="HessianVectorTolerance">H·v vs central differences of the gradient along v.</param>
/// <param name="RelativeStep">Finite-difference step along v, relative to max(1, maxᵢ|xᵢ|) (rounded to a power of two).</param>
/// <param name="HessianTolerance">Symmetry of FHessian, column j vs FHessianVector(eⱼ), and FHessian·v vs FHessianVector(v).</param>
/// <param name="FloatInputs">Round sampled points and directions to float (the function takes or computes in float).</param>
/// <param name="MinCheckedFraction">At least this fraction of the points must be far enough from kinks for the H·v check.</param>
public sealed record ModeOptions(double TangentTolerance, double HessianVectorTolerance, double RelativeStep,
    double HessianTolerance, bool FloatInputs, double MinCheckedFraction = 0.8)
{
    /// <summary>
    /// How far FTangent's Value may be from F's, relative: 0 (bit for bit) except where F calls a generated gradient,
    /// which F runs in reverse mode and the derivatives recompute as directional derivatives (equal up to rounding).
    /// </summary>
    public double ValueTolerance { get; init; }

    public static ModeOptions Double { get; } = new(1e-10, 1e-5, 1e-5, 1e-10, false);
    public static ModeOptions Float { get; } = new(1e-4, 2e-2, 1e-2, 1e-4, true);
}

/// <summary>
/// Checks the generated modes against each other and against finite differences: FTangent vs FGradient (forward vs
/// reverse), FHessianVector vs central differences of FGradient, FHessian's symmetry and columns vs FHessianVector.
/// </summary>
public static class ModeCheck
{
    public const int Points = 50;

    /// <summary>All the mode checks at <see cref="Points"/> random points of <paramref name="sample"/>.</summary>
    public static void Run(string function, string parameters, ModeFunctions functions, Func<Random, double[]> sample,
        ModeOptions? options = null, int seed = 20240601)
    {
        options ??= ModeOptions.Double;
        var names = parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var random = new Random(seed);
        int checkedPoints = 0;
        for (int k = 0; k < Points; k++)
        {
            var x = sample(random);
            if (options.FloatInputs) x = x.Select(c => (double)(float)c).ToArray();
            Assert.True(x.Length == names.Length, $"{function}: the sampler gives {x.Length} coordinates for {names.Length} parameters");
            double fx = functions.F(x);
            Assert.False(double.IsNaN(fx) || double.IsInfinity(fx), $"{function}: not finite at {Point(x, names)}; fix the domain");

            CheckTangent(function, names, x, fx, functions, RandomDirection(random, x.Length, options.FloatInputs), options.TangentTolerance, options.ValueTolerance);
            if (CheckHessianVector(function, names, x, functions, DyadicDirection(random, x.Length), options)) checkedPoints++;
            CheckHessian(function, names, x, functions, DyadicDirection(random, x.Length), options.HessianTolerance);
        }
        int required = (int)Math.Ceiling(options.MinCheckedFraction * Points);
        Assert.True(checkedPoints >= required,
            $"{function}HessianVector: only {checkedPoints} of {Points} points were away from kinks (need {required}); fix the domain");
    }

    /// <summary>A direction with coordinates uniform in [-1, 1) (rounded to float if asked).</summary>
    public static double[] RandomDirection(Random random, int n, bool toFloat)
        => Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1).Select(c => toFloat ? (double)(float)c : c).ToArray();

    /// <summary>
    /// A nonzero direction whose coordinates are multiples of 1/16 in [-1, 1]: then x ± h·v (h a power of two) is exact,
    /// in float too, so that the finite differences see exactly the step they divide by.
    /// </summary>
    public static double[] DyadicDirection(Random random, int n)
    {
        while (true)
        {
            var v = Enumerable.Range(0, n).Select(_ => random.Next(-16, 17) / 16.0).ToArray();
            if (v.Any(c => c != 0)) return v;
        }
    }

    /// <summary>Forward vs reverse: FTangent's Value is F's (exactly), its tangent is gradient · v.</summary>
    public static void CheckTangent(string function, string[] names, double[] x, double fx, ModeFunctions functions,
        double[] v, double tolerance, double valueTolerance = 0)
    {
        var (value, tangent) = functions.Tangent(x, v);
        if (valueTolerance > 0 ? !(Math.Abs(value - fx) <= valueTolerance * Math.Max(1, Math.Abs(fx))) : !value.Equals(fx)) Assert.Fail($"{function}Tangent at {Point(x, names)}: Value {R(value)} but {function} returns {R(fx)}");
        var g = functions.Gradient(x);
        Assert.True(g.Length == x.Length, $"{function}Gradient has {g.Length} entries for {x.Length} parameters");
        double expected = 0, magnitude = 0;
        for (int i = 0; i < g.Length; i++)
        {
            expected += g[i] * v[i];
            magnitude += Math.Abs(g[i] * v[i]);
        }
        double scale = Math.Max(1.0, Math.Max(Math.Abs(tangent), magnitude));
        if (!(Math.Abs(tangent - expected) <= tolerance * scale))
        {
            Assert.Fail($"{function}Tangent at {Point(x, names)} along {Vector(v)}: tangent {R(tangent)}, " +
                        $"but the reverse gradient {Vector(g)} · v = {R(expected)} (|difference| {R(Math.Abs(tangent - expected))} > {R(tolerance)} · {R(scale)})");
        }
    }

    /// <summary>
    /// H·v vs (4·D(h/2) − D(h)) / 3 with D(s) = (∇F(x + s·v) − ∇F(x − s·v)) / 2s. Returns false (checks nothing)
    /// where D(h) and D(h/8) disagree: then the gradient is not smooth around x (a kink or jump), whatever FHessianVector says.
    /// </summary>
    public static bool CheckHessianVector(string function, string[] names, double[] x, ModeFunctions functions, double[] v, ModeOptions options)
    {
        double size = Math.Max(1.0, x.Max(Math.Abs));
        double h = Math.Pow(2, Math.Round(Math.Log2(options.RelativeStep * size)));
        double[] Central(double step)
        {
            var plus = x.Select((c, i) => c + step * v[i]).ToArray();
            var minus = x.Select((c, i) => c - step * v[i]).ToArray();
            var gp = functions.Gradient(plus);
            var gm = functions.Gradient(minus);
            return gp.Select((c, i) => (c - gm[i]) / (2 * step)).ToArray();
        }
        var coarse = Central(h);
        var half = Central(h / 2);
        var fine = Central(h / 8);
        for (int i = 0; i < x.Length; i++)
        {
            if (!Close(coarse[i], fine[i], options.HessianVectorTolerance)) return false;
        }

        var hv = functions.HessianVector(x, v);
        Assert.True(hv.Length == x.Length, $"{function}HessianVector has {hv.Length} entries for {x.Length} parameters");
        for (int i = 0; i < x.Length; i++)
        {
            double numerical = (4 * half[i] - coarse[i]) / 3;
            if (!Close(hv[i], numerical, options.HessianVectorTolerance))
            {
                Assert.Fail($"{function}HessianVector at {Point(x, names)} along {Vector(v)}: (H·v) for {Name(names, i)} is {R(hv[i])}, " +
                            $"but central differences of the gradient give {R(numerical)}");
            }
        }
        return true;
    }

    /// <summary>FHessian is n×n and symmetric, its column j is FHessianVector(eⱼ), and FHessian·v is FHessianVector(v).</summary>
    public static void CheckHessian(string function, string[] names, double[] x, ModeFunctions functions, double[] v, double tolerance)
    {
        int n = x.Length;
        var hessian = functions.Hessian(x);
        Assert.True(hessian.GetLength(0) == n && hessian.GetLength(1) == n,
            $"{function}Hessian is {hessian.GetLength(0)}×{hessian.GetLength(1)} for {n} parameters");
        for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
        {
            if (!Close(hessian[i, j], hessian[j, i], tolerance))
            {
                Assert.Fail($"{function}Hessian at {Point(x, names)} is not symmetric: H[{Name(names, i)}, {Name(names, j)}] = {R(hessian[i, j])}, " +
                            $"H[{Name(names, j)}, {Name(names, i)}] = {R(hessian[j, i])}");
            }
        }
        for (int j = 0; j < n; j++)
        {
            var unit = new double[n];
            unit[j] = 1;
            var column = functions.HessianVector(x, unit);
            for (int i = 0; i < n; i++)
            {
                if (!Close(hessian[i, j], column[i], tolerance))
                {
                    Assert.Fail($"{function}Hessian at {Point(x, names)}: H[{Name(names, i)}, {Name(names, j)}] = {R(hessian[i, j])}, " +
                                $"but {function}HessianVector along e_{Name(names, j)} gives {R(column[i])}");
                }
            }
        }
        var hv = functions.HessianVector(x, v);
        for (int i = 0; i < n; i++)
        {
            double product = 0, magnitude = 0;
            for (int j = 0; j < n; j++)
            {
                product += hessian[i, j] * v[j];
                magnitude += Math.Abs(hessian[i, j] * v[j]);
            }
            double scale = Math.Max(1.0, Math.Max(Math.Abs(hv[i]), magnitude));
            if (!(Math.Abs(hv[i] - product) <= tolerance * scale))
            {
                Assert.Fail($"{function}HessianVector at {Point(x, names)} along {Vector(v)}: (H·v) for {Name(names, i)} is {R(hv[i])}, " +
                            $"but {function}Hessian · v = {R(product)}");
            }
        }
    }

    private static bool Close(double a, double b, double tolerance)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return double.IsNaN(a) && double.IsNaN(b);
        double scale = Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));
        return Math.Abs(a - b) <= tolerance * scale;
    }

    private static string Name(string[] names, int i) => i < names.Length ? names[i] : $"x{i}";

    internal static string Point(double[] x, string[] names)
        => "(" + string.Join(", ", x.Select((c, i) => $"{Name(names, i)} = {R(c)}")) + ")";

    private static string Vector(double[] v) => "[" + string.Join(", ", v.Select(R)) + "]";

    internal static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// Finds a [Differentiable] method's generated FGradient, FTangent (both overloads), FHessianVector and FHessian by
/// reflection, checks their documented signatures, and wraps them as <see cref="ModeFunctions"/>.
/// </summary>
public static class ModeBinding
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static bool IsDifferentiated(Type t) => t == typeof(double) || t == typeof(float);

    private static string Capitalised(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>The [Differentiable] method <paramref name="name"/> of <paramref name="type"/> (with these parameter types, if given).</summary>
    public static MethodInfo Find(Type type, string name, Type[]? signature = null)
    {
        var candidates = type.GetMethods(All)
            .Where(m => m.Name == name && (m.GetCustomAttribute<DifferentiableAttribute>() is not null || m.GetCustomAttribute<CustomDerivativeAttribute>() is not null))
            .Where(m => signature is null || m.GetParameters().Select(p => p.ParameterType).SequenceEqual(signature))
            .ToList();
        Assert.True(candidates.Count == 1, $"{type.Name}.{name}: {candidates.Count} [Differentiable] methods match; give the parameter types");
        return candidates[0];
    }

    /// <summary>
    /// The mode functions of <paramref name="method"/>: its double/float parameters take the array's entries in order,
    /// its other parameters (int, long, bool) take <paramref name="fixedArguments"/> in order.
    /// </summary>
    public static (ModeFunctions Functions, string Parameters, bool UsesFloat) Bind(MethodInfo method, params object[] fixedArguments)
    {
        var type = method.DeclaringType!;
        string where = $"{type.Name}.{method.Name}";
        var parameters = method.GetParameters();
        var types = parameters.Select(p => p.ParameterType).ToArray();
        var differentiated = parameters.Where(p => IsDifferentiated(p.ParameterType)).ToArray();
        var tangentTypes = differentiated.Select(p => p.ParameterType).ToArray();
        var returnType = method.ReturnType;
        Assert.True(IsDifferentiated(returnType), $"{where} returns {returnType.Name}");
        int n = differentiated.Length;

        var fixedValues = new object[parameters.Length];
        int nextFixed = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (IsDifferentiated(types[i])) continue;
            Assert.True(nextFixed < fixedArguments.Length, $"{where}: no fixed argument for {parameters[i].Name}");
            fixedValues[i] = Convert.ChangeType(fixedArguments[nextFixed++], types[i], CultureInfo.InvariantCulture);
        }
        Assert.True(nextFixed == fixedArguments.Length, $"{where}: {fixedArguments.Length} fixed arguments for {nextFixed} parameters");

        object Cast(double value, Type t) => t == typeof(float) ? (object)(float)value : value;
        object[] Arguments(double[] x, params double[][] tangents)
        {
            var args = new List<object>();
            int k = 0;
            for (int i = 0; i < parameters.Length; i++)
            {
                args.Add(IsDifferentiated(types[i]) ? Cast(x[k++], types[i]) : fixedValues[i]);
            }
            foreach (var tangent in tangents)
            {
                for (int j = 0; j < n; j++) args.Add(Cast(tangent[j], tangentTypes[j]));
            }
            return args.ToArray();
        }
        MethodInfo Sibling(string suffix, Type[] parameterTypes, Type expectedReturn)
        {
            var sibling = type.GetMethod(method.Name + suffix, All, null, parameterTypes, null);
            Assert.True(sibling is not null, $"{where}: no {method.Name}{suffix}({string.Join(", ", parameterTypes.Select(t => t.Name))})");
            Assert.True(sibling!.ReturnType == expectedReturn, $"{where}{suffix} returns {sibling.ReturnType}, expected {expectedReturn}");
            Assert.True(sibling.IsPublic == method.IsPublic, $"{where}{suffix}: accessibility differs from {method.Name}'s");
            return sibling;
        }
        static string[]? TupleNames(MethodInfo m) => m.ReturnParameter.GetCustomAttribute<TupleElementNamesAttribute>()?.TransformNames.Select(s => s!).ToArray();
        static object? Call(MethodInfo m, object[] args) => m.Invoke(null, BindingFlags.DoNotWrapExceptions, null, args, null);
        static double[] Doubles(object? tupleOrScalar, int count)
            => count == 1 && tupleOrScalar is not ITuple
                ? new[] { Convert.ToDouble(tupleOrScalar, CultureInfo.InvariantCulture) }
                : Enumerable.Range(0, count).Select(i => Convert.ToDouble(((ITuple)tupleOrScalar!)[i], CultureInfo.InvariantCulture)).ToArray();

        var gradientNames = new[] { "Value" }.Concat(differentiated.Select(p => "d" + Capitalised(p.Name!))).ToArray();
        var gradientType = TupleType(new[] { returnType }.Concat(tangentTypes).ToArray());
        var gradient = Sibling("Gradient", types, gradientType);
        Assert.Equal(gradientNames, TupleNames(gradient));

        var withTangents = types.Concat(tangentTypes).ToArray();
        var tangent = Sibling("Tangent", withTangents, TupleType(new[] { returnType, returnType }));
        Assert.Equal(new[] { "Value", "Tangent" }, TupleNames(tangent));
        var tangentOut = Sibling("Tangent", withTangents.Append(returnType.MakeByRefType()).ToArray(), returnType);
        Assert.Equal(
            parameters.Select(p => p.Name!).Concat(differentiated.Select(p => p.Name + "Tangent")).Append("resultTangent").ToArray(),
            tangentOut.GetParameters().Select(p => p.Name!).ToArray());

        var hessianVector = Sibling("HessianVector", withTangents, n == 1 ? tangentTypes[0] : TupleType(tangentTypes));
        Assert.Equal(
            parameters.Select(p => p.Name!).Concat(differentiated.Select(p => "v" + Capitalised(p.Name!))).ToArray(),
            hessianVector.GetParameters().Select(p => p.Name!).ToArray());
        if (n > 1) Assert.Equal(gradientNames.Skip(1).ToArray(), TupleNames(hessianVector));
        var hessian = Sibling("Hessian", types, returnType.MakeArrayType(2));

        var functions = new ModeFunctions(
            F: x => Convert.ToDouble(Call(method, Arguments(x)), CultureInfo.InvariantCulture),
            Gradient: x => Doubles(Call(gradient, Arguments(x)), n + 1).Skip(1).ToArray(),
            Tangent: (x, v) =>
            {
                var pair = Doubles(Call(tangent, Arguments(x, v)), 2);
                var args = Arguments(x, v).Append(null!).ToArray();
                double value = Convert.ToDouble(Call(tangentOut, args), CultureInfo.InvariantCulture);
                double resultTangent = Convert.ToDouble(args[^1], CultureInfo.InvariantCulture);
                if (!value.Equals(pair[0]) || !resultTangent.Equals(pair[1]))
                {
                    Assert.Fail($"{where}Tangent: the overloads disagree at {ModeCheck.Point(x, parameters.Where(p => IsDifferentiated(p.ParameterType)).Select(p => p.Name!).ToArray())}: " +
                                $"(Value, Tangent) = ({ModeCheck.R(pair[0])}, {ModeCheck.R(pair[1])}), out-overload ({ModeCheck.R(value)}, {ModeCheck.R(resultTangent)})");
                }
                return (pair[0], pair[1]);
            },
            HessianVector: (x, v) => Doubles(Call(hessianVector, Arguments(x, v)), n),
            Hessian: x =>
            {
                var matrix = (Array)Call(hessian, Arguments(x))!;
                var result = new double[matrix.GetLength(0), matrix.GetLength(1)];
                for (int i = 0; i < result.GetLength(0); i++)
                for (int j = 0; j < result.GetLength(1); j++)
                    result[i, j] = Convert.ToDouble(matrix.GetValue(i, j), CultureInfo.InvariantCulture);
                return result;
            });
        bool usesFloat = types.Append(returnType).Any(t => t == typeof(float));
        return (functions, string.Join(" ", differentiated.Select(p => p.Name)), usesFloat);
    }

    private static Type TupleType(Type[] elements) => elements.Length switch
    {
        2 => typeof(ValueTuple<,>).MakeGenericType(elements),
        3 => typeof(ValueTuple<,,>).MakeGenericType(elements),
        4 => typeof(ValueTuple<,,,>).MakeGenericType(elements),
        5 => typeof(ValueTuple<,,,,>).MakeGenericType(elements),
        6 => typeof(ValueTuple<,,,,,>).MakeGenericType(elements),
        7 => typeof(ValueTuple<,,,,,,>).MakeGenericType(elements),
        _ => throw new NotSupportedException($"{elements.Length}-tuples"),
    };
}

/// <summary>One function to check across modes: where it is, where to sample, and the values of its int/long/bool parameters.</summary>
public sealed record ModeCase(Type Type, string Method, Type[]? Signature, Func<Random, double[]> Domain, ModeOptions? Options, object[] FixedArguments)
{
    public string Label
    {
        get
        {
            string name = $"{Type.Name}.{Method}";
            if (Signature is not null) name += "(" + string.Join(", ", Signature.Select(t => t.Name)) + ")";
            if (FixedArguments.Length > 0) name += "(" + string.Join(", ", FixedArguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture))) + ")";
            return name;
        }
    }

    public MethodInfo Find() => ModeBinding.Find(Type, Method, Signature);

    /// <summary>Binds the generated methods and runs <see cref="ModeCheck.Run"/>; float signatures get <see cref="ModeOptions.Float"/>.</summary>
    public void Check()
    {
        var (functions, parameters, usesFloat) = ModeBinding.Bind(Find(), FixedArguments);
        ModeCheck.Run(Label, parameters, functions, Domain, Options ?? (usesFloat ? ModeOptions.Float : ModeOptions.Double));
    }
}

/// <summary>A table of <see cref="ModeCase"/>s, written with a collection initializer, run as an xunit Theory over the labels.</summary>
public sealed class ModeCases : IEnumerable<ModeCase>
{
    private readonly List<ModeCase> cases = new();

    public void Add(Type type, string method, Func<Random, double[]> domain, params object[] fixedArguments)
        => cases.Add(new ModeCase(type, method, null, domain, null, fixedArguments));

    public void Add(Type type, string method, Func<Random, double[]> domain, ModeOptions options, params object[] fixedArguments)
        => cases.Add(new ModeCase(type, method, null, domain, options, fixedArguments));

    public void Add(Type type, string method, Type[] signature, Func<Random, double[]> domain)
        => cases.Add(new ModeCase(type, method, signature, domain, null, Array.Empty<object>()));

    public TheoryData<string> Labels
    {
        get
        {
            var labels = cases.Select(c => c.Label).ToList();
            var duplicate = labels.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new InvalidOperationException($"Two mode cases are labelled {duplicate.Key}");
            var data = new TheoryData<string>();
            foreach (var label in labels) data.Add(label);
            return data;
        }
    }

    public void Check(string label) => cases.Single(c => c.Label == label).Check();

    public IEnumerator<ModeCase> GetEnumerator() => cases.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
