using System;
using System.Linq;
using System.Numerics;
using AutoDiff.Tests.Functions;
using Xunit;

namespace AutoDiff.Tests;

/// <summary>
/// Structs as differentiable values: user structs (mutable fields, read-only properties with a constructor, record
/// structs, nested structs, [NoDerivative] and int members), System.Numerics' Vector3 and Complex, arrays of structs,
/// and calls between struct-taking methods. Each derivative is checked against central differences, the struct
/// version against the same code written with numbers, forward mode against reverse mode, and H·v against
/// differences of the gradient.
/// </summary>
public class StructTests
{
    /// <summary>The [Differentiable] methods of <see cref="Structs"/> that this class checks across modes.</summary>
    public static readonly string[] CheckedAcrossModes =
    {
        nameof(Structs.SpringEnergy), nameof(Structs.SpringEnergyScalars), nameof(Structs.ParticleEnergy), nameof(Structs.PolarArea),
        nameof(Structs.TaggedValue), nameof(Structs.VectorLoss), nameof(Structs.ComplexLoss), nameof(Structs.ChainLength),
        nameof(Structs.SimulateSpring), nameof(Structs.CallsStructMethod), nameof(Structs.LocalStructArray), nameof(Structs.PairPotential),
        nameof(Structs.Rotate), nameof(Structs.Projectile), nameof(Structs.Mobius),
    };

    /// <summary>
    /// Checks a function of a flat vector of numbers: the gradient against central differences, forward mode along a
    /// direction against the gradient, and H·v against differences of the gradient.
    /// </summary>
    private static void CheckAllModes(
        Func<double[], double> value,
        Func<double[], double[]> gradient,
        Func<double[], double[], double> tangent,
        Func<double[], double[], double[]> hessianVector,
        double[] x,
        double h = 1e-6,
        int digits = 6,
        double tangentTolerance = 1e-9,
        double hessianVectorTolerance = 1e-4,
        double hessianVectorStep = 1e-5)
    {
        var g = gradient(x);
        Assert.Equal(x.Length, g.Length);
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double central = (value(plus) - value(minus)) / (2 * h);
            Assert.True(Math.Abs(central - g[i]) <= Math.Pow(10, -digits) * Math.Max(1, Math.Abs(central)),
                $"∂/∂x[{i}]: gradient {g[i]}, central difference {central}");
        }
        var direction = x.Select((_, i) => Math.Sin(1.7 * i + 0.3)).ToArray();
        double expected = g.Select((gi, i) => gi * direction[i]).Sum();
        double actual = tangent(x, direction);
        Assert.True(Math.Abs(expected - actual) <= tangentTolerance * Math.Max(1, Math.Abs(expected)), $"tangent {actual}, gradient·v {expected}");

        var hv = hessianVector(x, direction);
        double step = hessianVectorStep;
        var gPlus = gradient(x.Select((xi, i) => xi + step * direction[i]).ToArray());
        var gMinus = gradient(x.Select((xi, i) => xi - step * direction[i]).ToArray());
        for (int i = 0; i < x.Length; i++)
        {
            double difference = (gPlus[i] - gMinus[i]) / (2 * step);
            Assert.True(Math.Abs(difference - hv[i]) <= hessianVectorTolerance * Math.Max(1, Math.Abs(difference)), $"H·v[{i}]: {hv[i]}, gradient difference {difference}");
        }
    }

    private static Vec2 V(double[] x, int at) => new(x[at], x[at + 1]);

    private static double[] Flat(params Vec2[] vs) => vs.SelectMany(v => new[] { v.X, v.Y }).ToArray();

    [Theory]
    [InlineData(0.3, -1.2, 1.7, 0.4, 2.5, 0.8)]
    [InlineData(-2.0, 0.5, 0.1, 0.2, 0.7, 3.0)]
    public void SpringEnergyAcrossModes(double ax, double ay, double bx, double by, double k, double rest)
    {
        double[] x = { ax, ay, bx, by, k, rest };
        CheckAllModes(
            p => Structs.SpringEnergy(V(p, 0), V(p, 2), p[4], p[5]),
            p =>
            {
                var g = Structs.SpringEnergyGradient(V(p, 0), V(p, 2), p[4], p[5]);
                return Flat(g.dA, g.dB).Concat(new[] { g.dK, g.dRest }).ToArray();
            },
            (p, v) => Structs.SpringEnergyTangent(V(p, 0), V(p, 2), p[4], p[5], V(v, 0), V(v, 2), v[4], v[5]).Tangent,
            (p, v) =>
            {
                var hv = Structs.SpringEnergyHessianVector(V(p, 0), V(p, 2), p[4], p[5], V(v, 0), V(v, 2), v[4], v[5]);
                return Flat(hv.dA, hv.dB).Concat(new[] { hv.dK, hv.dRest }).ToArray();
            },
            x);
    }

    /// <summary>The struct version's derivatives are the scalar version's, to the last bit where the arithmetic is the same.</summary>
    [Fact]
    public void StructDerivativesEqualTheSameCodeWrittenWithNumbers()
    {
        var a = new Vec2(0.3, -1.2);
        var b = new Vec2(1.7, 0.4);
        var s = Structs.SpringEnergyGradient(a, b, 2.5, 0.8);
        var n = Structs.SpringEnergyScalarsGradient(a.X, a.Y, b.X, b.Y, 2.5, 0.8);
        Assert.Equal(n.Value, s.Value, 14);
        Assert.Equal(new[] { n.dAx, n.dAy, n.dBx, n.dBy, n.dK, n.dRest }, Flat(s.dA, s.dB).Concat(new[] { s.dK, s.dRest }).ToArray(), new Tolerance(1e-13));

        var va = new Vec2(0.5, -0.25);
        var vb = new Vec2(-1, 2);
        var st = Structs.SpringEnergyTangent(a, b, 2.5, 0.8, va, vb, 0.1, -0.2);
        var nt = Structs.SpringEnergyScalarsTangent(a.X, a.Y, b.X, b.Y, 2.5, 0.8, va.X, va.Y, vb.X, vb.Y, 0.1, -0.2);
        Assert.Equal(nt.Tangent, st.Tangent, 13);

        var sh = Structs.SpringEnergyHessian(a, b, 2.5, 0.8);
        var nh = Structs.SpringEnergyScalarsHessian(a.X, a.Y, b.X, b.Y, 2.5, 0.8);
        Assert.Equal(nh.GetLength(0), sh.GetLength(0));
        for (int i = 0; i < nh.GetLength(0); i++)
            for (int j = 0; j < nh.GetLength(1); j++)
                Assert.Equal(nh[i, j], sh[i, j], 12);
    }

    /// <summary>Adjoints accumulate into the struct passed by ref, field by field.</summary>
    [Fact]
    public void BackwardAccumulatesIntoTheStructAdjoint()
    {
        var a = new Vec2(0.3, -1.2);
        var b = new Vec2(1.7, 0.4);
        var g = Structs.SpringEnergyGradient(a, b, 2.5, 0.8);
        var dA = new Vec2(10, 20);
        var dB = default(Vec2);
        double dK = 0, dRest = 0;
        Structs.SpringEnergyBackward(a, b, 2.5, 0.8, 2.0, ref dA, ref dB, ref dK, ref dRest);
        Assert.Equal(10 + 2 * g.dA.X, dA.X, 12);
        Assert.Equal(20 + 2 * g.dA.Y, dA.Y, 12);
        Assert.Equal(2 * g.dB.X, dB.X, 12);
    }

    [Fact]
    public void NestedStructsWithReadOnlyPropertiesAndAConstructor()
    {
        double[] x = { 0.4, -0.7, 1.3, 9.81 };
        Particle P(double[] p) => new(new Vec2(p[0], p[1]), p[2]);
        CheckAllModes(
            p => Structs.ParticleEnergy(P(p), p[3]),
            p =>
            {
                var g = Structs.ParticleEnergyGradient(P(p), p[3]);
                return new[] { g.dP.Position.X, g.dP.Position.Y, g.dP.Mass, g.dG };
            },
            (p, v) => Structs.ParticleEnergyTangent(P(p), p[3], P(v), v[3]).Tangent,
            (p, v) =>
            {
                var hv = Structs.ParticleEnergyHessianVector(P(p), p[3], P(v), v[3]);
                return new[] { hv.dP.Position.X, hv.dP.Position.Y, hv.dP.Mass, hv.dG };
            },
            x);
    }

    [Fact]
    public void RecordStructsAndWithExpressions()
    {
        double[] x = { 1.3, 0.6 };
        CheckAllModes(
            p => Structs.PolarArea(new Polar(p[0], p[1])),
            p =>
            {
                var g = Structs.PolarAreaGradient(new Polar(p[0], p[1]));
                return new[] { g.dP.Radius, g.dP.Angle };
            },
            (p, v) => Structs.PolarAreaTangent(new Polar(p[0], p[1]), new Polar(v[0], v[1])).Tangent,
            (p, v) =>
            {
                var hv = Structs.PolarAreaHessianVector(new Polar(p[0], p[1]), new Polar(v[0], v[1]));
                return new[] { hv.Radius, hv.Angle };
            },
            x);
    }

    /// <summary>An int member and a [NoDerivative] member are carried: they shape the value and get zero derivatives.</summary>
    [Fact]
    public void IntAndNoDerivativeMembersAreCarried()
    {
        var t = new Tagged { Value = 1.5, Count = 3, Weight = 0.25 };
        var g = Structs.TaggedValueGradient(t, 2.0);
        Assert.Equal(1.5 * 2 * 0.25 + 3 * 2, g.Value, 12);
        Assert.Equal(2.0 * 0.25, g.dT.Value, 12);
        Assert.Equal(0, g.dT.Count);
        Assert.Equal(0, g.dT.Weight);
        Assert.Equal(1.5 * 0.25 + 3, g.dX, 12);
        // The Hessian covers the differentiable numbers only: t.Value and x.
        Assert.Equal(2, Structs.TaggedValueHessian(t, 2.0).GetLength(0));
    }

    private static Vector3 V3(double[] x, int at) => new((float)x[at], (float)x[at + 1], (float)x[at + 2]);

    /// <summary>Vector3's Cross, Normalize, Dot, Distance, Lerp, Length and operators, in float: looser tolerances.</summary>
    [Fact]
    public void Vector3FunctionsAcrossModes()
    {
        double[] x = { 0.7, -0.2, 1.1, 0.3, 0.9, -0.6, 0.35 };
        var a = V3(x, 0);
        var b = V3(x, 3);
        float s = (float)x[6];
        var g = Structs.VectorLossGradient(a, b, s);
        // Central differences in double of the same formula written with double arithmetic.
        double Reference(double[] p)
        {
            double[] A = { p[0], p[1], p[2] }, B = { p[3], p[4], p[5] };
            double S = p[6];
            double[] c = { A[1] * B[2] - A[2] * B[1], A[2] * B[0] - A[0] * B[2], A[0] * B[1] - A[1] * B[0] };
            double[] m = { A[0] + S * B[0], A[1] + S * B[1], A[2] + S * B[2] };
            double ml = Math.Sqrt(m.Sum(q => q * q));
            double dot = c.Select((ci, i) => ci * m[i] / ml).Sum();
            double dist = Math.Sqrt(A.Select((ai, i) => (ai - B[i]) * (ai - B[i])).Sum());
            double lerp = Math.Sqrt(A.Select((ai, i) => Math.Pow(ai + (B[i] - ai) * S, 2)).Sum());
            double prod = A.Select((ai, i) => Math.Pow(ai * B[i], 2)).Sum();
            return dot + dist + lerp - prod / 10;
        }
        Assert.Equal(Reference(x), g.Value, 4);
        double[] gradient = { g.dA.X, g.dA.Y, g.dA.Z, g.dB.X, g.dB.Y, g.dB.Z, g.dS };
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            Assert.Equal((Reference(plus) - Reference(minus)) / 2e-6, gradient[i], 3);
        }
        var va = new Vector3(0.3f, -0.1f, 0.2f);
        var vb = new Vector3(-0.4f, 0.5f, 0.1f);
        var t = Structs.VectorLossTangent(a, b, s, va, vb, 0.7f);
        float expected = Vector3.Dot(g.dA, va) + Vector3.Dot(g.dB, vb) + g.dS * 0.7f;
        Assert.Equal(expected, t.Tangent, 4);
        var hv = Structs.VectorLossHessianVector(a, b, s, va, vb, 0.7f);
        const float h = 1e-3f;
        var gp = Structs.VectorLossGradient(a + h * va, b + h * vb, s + h * 0.7f);
        var gm = Structs.VectorLossGradient(a - h * va, b - h * vb, s - h * 0.7f);
        Assert.Equal((gp.dS - gm.dS) / (2 * h), hv.dS, 1);
        Assert.True(Vector3.Distance((gp.dA - gm.dA) / (2 * h), hv.dA) < 2e-2f, $"H·v along a: {hv.dA} vs {(gp.dA - gm.dA) / (2 * h)}");
    }

    private static Complex C(double[] x, int at) => new(x[at], x[at + 1]);

    [Theory]
    [InlineData(0.8, 0.6, 0.4)]
    [InlineData(-1.3, 0.2, -0.7)]
    public void ComplexFunctionsAcrossModes(double re, double im, double w)
    {
        double[] x = { re, im, w };
        CheckAllModes(
            p => Structs.ComplexLoss(C(p, 0), p[2]),
            p =>
            {
                var g = Structs.ComplexLossGradient(C(p, 0), p[2]);
                return new[] { g.dZ.Real, g.dZ.Imaginary, g.dW };
            },
            (p, v) => Structs.ComplexLossTangent(C(p, 0), p[2], C(v, 0), v[2]).Tangent,
            (p, v) =>
            {
                var hv = Structs.ComplexLossHessianVector(C(p, 0), p[2], C(v, 0), v[2]);
                return new[] { hv.dZ.Real, hv.dZ.Imaginary, hv.dW };
            },
            x, digits: 5);
    }

    private static Vec2[] Points(double[] p) => Enumerable.Range(0, p.Length / 2).Select(i => V(p, 2 * i)).ToArray();

    [Fact]
    public void ArraysOfStructsAcrossModes()
    {
        double[] x = { 0, 0, 1, 0.5, 1.5, 2, 3, 2.2, 2.5, 4 };
        CheckAllModes(
            p => Structs.ChainLength(Points(p)),
            p => Flat(Structs.ChainLengthGradient(Points(p)).dPoints),
            (p, v) => Structs.ChainLengthTangent(Points(p), Points(v)).Tangent,
            (p, v) => Flat(Structs.ChainLengthHessianVector(Points(p), Points(v))),
            x);
    }

    [Fact]
    public void LocalArraysOfStructsWritesAndForeach()
    {
        double[] x = { 0.5, -1, 1, 0.25, 2, 1.5, 0.75 };
        Vec2[] P(double[] p) => Points(p.Take(6).ToArray());
        CheckAllModes(
            p => Structs.LocalStructArray(P(p), p[6]),
            p =>
            {
                var g = Structs.LocalStructArrayGradient(P(p), p[6]);
                return Flat(g.dP).Append(g.dS).ToArray();
            },
            (p, v) => Structs.LocalStructArrayTangent(P(p), p[6], P(v), v[6]).Tangent,
            (p, v) =>
            {
                var hv = Structs.LocalStructArrayHessianVector(P(p), p[6], P(v), v[6]);
                return Flat(hv.dP).Append(hv.dS).ToArray();
            },
            x);
    }

    [Fact]
    public void LoopsOverVector3Values()
    {
        var start = new Vector3(1, -0.5f, 0.25f);
        double k = 1.3;
        var g = Structs.SimulateSpringGradient(k, start, 20);
        double h = 1e-3;
        double central = (Structs.SimulateSpring(k + h, start, 20) - Structs.SimulateSpring(k - h, start, 20)) / (2 * h);
        Assert.Equal(central, g.dK, 2);
        var t = Structs.SimulateSpringTangent(k, start, 20, 1.0, Vector3.Zero);
        Assert.Equal(g.dK, t.Tangent, 6);
        const float hs = 1e-2f;
        double centralX = (Structs.SimulateSpring(k, start + new Vector3(hs, 0, 0), 20) - Structs.SimulateSpring(k, start - new Vector3(hs, 0, 0), 20)) / (2 * hs);
        Assert.Equal(centralX, g.dStart.X, 2);
    }

    /// <summary>A [Differentiable] method calling another that takes structs goes through its scalarised derivatives.</summary>
    [Fact]
    public void CallsToStructTakingMethods()
    {
        double[] x = { 0.3, -1.2, 2.5 };
        CheckAllModes(
            p => Structs.CallsStructMethod(V(p, 0), p[2]),
            p =>
            {
                var g = Structs.CallsStructMethodGradient(V(p, 0), p[2]);
                return new[] { g.dA.X, g.dA.Y, g.dK };
            },
            (p, v) => Structs.CallsStructMethodTangent(V(p, 0), p[2], V(v, 0), v[2]).Tangent,
            (p, v) =>
            {
                var hv = Structs.CallsStructMethodHessianVector(V(p, 0), p[2], V(v, 0), v[2]);
                return new[] { hv.dA.X, hv.dA.Y, hv.dK };
            },
            x);
    }

    [Fact]
    public void PairPotentialAcrossModes()
    {
        double[] x = { 0.3, -0.4, 1.1, 0.9, 1.7 };
        CheckAllModes(
            p => Structs.PairPotential(V(p, 0), V(p, 2), p[4]),
            p =>
            {
                var g = Structs.PairPotentialGradient(V(p, 0), V(p, 2), p[4]);
                return Flat(g.dA, g.dB).Append(g.dK).ToArray();
            },
            (p, v) => Structs.PairPotentialTangent(V(p, 0), V(p, 2), p[4], V(v, 0), V(v, 2), v[4]).Tangent,
            (p, v) =>
            {
                var hv = Structs.PairPotentialHessianVector(V(p, 0), V(p, 2), p[4], V(v, 0), V(v, 2), v[4]);
                return Flat(hv.dA, hv.dB).Append(hv.dK).ToArray();
            },
            x);
    }

    /// <summary>The [Differentiable] instance methods of <see cref="Spring"/>, checked by <see cref="InstanceMethodsOfStructsDifferentiateThis"/>.</summary>
    public static readonly string[] CheckedSpringMethods = { nameof(Spring.Energy), nameof(Spring.EnergyPerLength), nameof(Spring.PotentialEnergy) };

    /// <summary>A method with no parameters of its own: its derivatives take only 'this' (and its tangent).</summary>
    [Fact]
    public void AnInstanceMethodWithoutParametersDifferentiatesThisAlone()
    {
        var spring = SpringOf(new[] { 0.5, -0.25, 1.0, 2.0, 0.75, -0.5, 3.0 });
        var (value, dThis) = spring.PotentialEnergyGradient();
        var reference = spring.EnergyGradient(1.0);
        Assert.Equal(reference.Value, value, 6);
        Assert.Equal(FlatSpring(reference.dThis), FlatSpring(dThis), new Tolerance(1e-5));
        var direction = SpringOf(new[] { 0.1, 0.2, -0.3, 0.4, 0.0, 0.5, -1.0 });
        Assert.Equal(spring.EnergyTangent(1.0, direction, 0.0).Tangent, spring.PotentialEnergyTangent(direction).Tangent, 4);
        Assert.Equal(FlatSpring(spring.EnergyHessianVector(1.0, direction, 0.0).dThis), FlatSpring(spring.PotentialEnergyHessianVector(direction)), new Tolerance(1e-4));
    }

    private static Spring SpringOf(double[] p) => new(new Vector3((float)p[0], (float)p[1], (float)p[2]), new Vector3((float)p[3], (float)p[4], (float)p[5]), p[6], 0.75);

    private static double[] FlatSpring(Spring s) => new double[] { s.A.X, s.A.Y, s.A.Z, s.B.X, s.B.Y, s.B.Z, s.Stiffness };

    /// <summary>
    /// Instance methods of a struct differentiate 'this' like a parameter (its Vector3 fields in float, its double
    /// stiffness, not its [NoDerivative] rest length), and call each other through their scalarised derivatives.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InstanceMethodsOfStructsDifferentiateThis(bool perLength)
    {
        double[] x = { 0.5, -0.25, 1.0, 2.0, 0.75, -0.5, 3.0, 1.5 };
        double Value(double[] p) => perLength ? SpringOf(p).EnergyPerLength(p[7]) : SpringOf(p).Energy(p[7]);
        double[] Gradient(double[] p)
        {
            var (_, dThis, dScale) = perLength ? SpringOf(p).EnergyPerLengthGradient(p[7]) : SpringOf(p).EnergyGradient(p[7]);
            Assert.Equal(0, dThis.Rest);
            return FlatSpring(dThis).Append(dScale).ToArray();
        }
        CheckAllModes(
            Value,
            Gradient,
            (p, v) => perLength ? SpringOf(p).EnergyPerLengthTangent(p[7], SpringOf(v), v[7]).Tangent : SpringOf(p).EnergyTangent(p[7], SpringOf(v), v[7]).Tangent,
            (p, v) =>
            {
                var (dThis, dScale) = perLength ? SpringOf(p).EnergyPerLengthHessianVector(p[7], SpringOf(v), v[7]) : SpringOf(p).EnergyHessianVector(p[7], SpringOf(v), v[7]);
                return FlatSpring(dThis).Append(dScale).ToArray();
            },
            x, h: 1e-3, digits: 2, tangentTolerance: 1e-5, hessianVectorTolerance: 2e-2, hessianVectorStep: 1e-3);
    }

    /// <summary>
    /// A struct-valued method: FJacobian against central differences of the flattened result, FTangent (value and J·v)
    /// and FBackward (value and uᵀJ) against the Jacobian.
    /// </summary>
    private static void CheckStructValued(Func<double[], double[]> f, Func<double[], double[,]> jacobian,
        Func<double[], double[], (double[] Value, double[] Tangent)> tangent, Func<double[], double[], (double[] Value, double[] Gradient)> backward,
        double[] x, double h, double tolerance)
    {
        var j = jacobian(x);
        var fx = f(x);
        Assert.Equal(fx.Length, j.GetLength(0));
        Assert.Equal(x.Length, j.GetLength(1));
        for (int c = 0; c < x.Length; c++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[c] += h;
            minus[c] -= h;
            var fp = f(plus);
            var fm = f(minus);
            for (int r = 0; r < fx.Length; r++)
            {
                double central = (fp[r] - fm[r]) / (2 * h);
                Assert.True(Math.Abs(central - j[r, c]) <= tolerance * Math.Max(1, Math.Abs(central)), $"J[{r}, {c}] = {j[r, c]}, central difference {central}");
            }
        }
        var v = x.Select((_, i) => Math.Cos(0.9 * i + 0.2)).ToArray();
        var (value, jv) = tangent(x, v);
        // Complex's own Abs and the generated formula may differ in the last bit.
        Assert.Equal(fx, value, new Tolerance(1e-14));
        for (int r = 0; r < fx.Length; r++)
        {
            double expected = Enumerable.Range(0, x.Length).Sum(c => j[r, c] * v[c]);
            Assert.True(Math.Abs(expected - jv[r]) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"(J·v)[{r}] = {jv[r]}, expected {expected}");
        }
        var u = fx.Select((_, i) => Math.Sin(1.3 * i + 0.4)).ToArray();
        var (backwardValue, uj) = backward(x, u);
        Assert.Equal(fx, backwardValue, new Tolerance(1e-14));
        for (int c = 0; c < x.Length; c++)
        {
            double expected = Enumerable.Range(0, fx.Length).Sum(r => u[r] * j[r, c]);
            Assert.True(Math.Abs(expected - uj[c]) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"(uᵀJ)[{c}] = {uj[c]}, expected {expected}");
        }
    }

    [Theory]
    [InlineData(0.7, -1.3, 0.4)]
    [InlineData(2.0, 0.5, -2.2)]
    public void StructValuedMethodOfAStruct(double px, double py, double angle)
    {
        CheckStructValued(
            p => Flat(Structs.Rotate(V(p, 0), p[2])),
            p => Structs.RotateJacobian(V(p, 0), p[2]),
            (p, v) =>
            {
                var t = Structs.RotateTangent(V(p, 0), p[2], V(v, 0), v[2]);
                return (Flat(t.Value), Flat(t.Tangent));
            },
            (p, u) =>
            {
                Vec2 dP = default;
                double dAngle = 0;
                var value = Structs.RotateBackward(V(p, 0), p[2], V(u, 0), ref dP, ref dAngle);
                return (Flat(value), new[] { dP.X, dP.Y, dAngle });
            },
            new[] { px, py, angle }, 1e-6, 1e-6);
    }

    [Fact]
    public void Vector3ValuedMethodOfNumbers()
    {
        double[] F3(Vector3 v) => new double[] { v.X, v.Y, v.Z };
        CheckStructValued(
            p => F3(Structs.Projectile(p[0], p[1], p[2])),
            p => Structs.ProjectileJacobian(p[0], p[1], p[2]),
            (p, v) =>
            {
                var t = Structs.ProjectileTangent(p[0], p[1], p[2], v[0], v[1], v[2]);
                return (F3(t.Value), F3(t.Tangent));
            },
            (p, u) =>
            {
                double dSpeed = 0, dAngle = 0, dDrag = 0;
                var value = Structs.ProjectileBackward(p[0], p[1], p[2], new Vector3((float)u[0], (float)u[1], (float)u[2]), ref dSpeed, ref dAngle, ref dDrag);
                return (F3(value), new[] { dSpeed, dAngle, dDrag });
            },
            new[] { 12.0, 0.8, 0.15 }, 1e-3, 2e-2);
    }

    [Theory]
    [InlineData(0.3, 0.4, 0.5)]
    [InlineData(-0.6, 0.1, -0.3)]
    public void ComplexValuedMethod(double re, double im, double a)
    {
        double[] C2(Complex z) => new[] { z.Real, z.Imaginary };
        CheckStructValued(
            p => C2(Structs.Mobius(C(p, 0), p[2])),
            p => Structs.MobiusJacobian(C(p, 0), p[2]),
            (p, v) =>
            {
                var t = Structs.MobiusTangent(C(p, 0), p[2], C(v, 0), v[2]);
                return (C2(t.Value), C2(t.Tangent));
            },
            (p, u) =>
            {
                Complex dZ = default;
                double dA = 0;
                var value = Structs.MobiusBackward(C(p, 0), p[2], C(u, 0), ref dZ, ref dA);
                return (C2(value), new[] { dZ.Real, dZ.Imaginary, dA });
            },
            new[] { re, im, a }, 1e-6, 1e-6);
    }

    private sealed class Tolerance : System.Collections.Generic.IEqualityComparer<double>
    {
        private readonly double tolerance;

        public Tolerance(double tolerance) => this.tolerance = tolerance;

        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
