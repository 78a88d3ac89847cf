// The mode checker itself (it must be able to fail), the tutorial's forward-mode and Hessian values, and coverage.
using System;
using System.Linq;
using System.Reflection;
using AutoDiff.Tests.Functions;
using Xunit;
using Xunit.Sdk;

namespace AutoDiff.Tests;

/// <summary>Functions that no *Tests.cs gradient check reaches directly, and the tutorial's functions.</summary>
public class ExtraModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(Outer), "PrivateMethod", Domain.Box(-2, 2, 2) },
        { typeof(Tutorial), nameof(Tutorial.SumOfSquares), Domain.Box(-5, 5, 2) },
        { typeof(Tutorial), nameof(Tutorial.ElementSquare), Domain.Box(-5, 5, 1) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

/// <summary>The tutorial's numbers, exact.</summary>
public class TutorialModeTests
{
    [Fact]
    public void HessianOfSumOfSquares()
    {
        var h = Tutorial.SumOfSquaresHessian(4, 4);
        Assert.Equal(new double[,] { { 2, 0 }, { 0, 2 } }, h);
        Assert.Equal(new double[,] { { 2, 0 }, { 0, 2 } }, Tutorial.SumOfSquaresHessian(-1.5, 3));
    }

    [Fact]
    public void HessianVectorProductOfSumOfSquares()
    {
        var (dX0, dX1) = Tutorial.SumOfSquaresHessianVector(4, 4, 2, 2);
        Assert.Equal((4.0, 4.0), (dX0, dX1));
        Assert.Equal((2.0, -6.0), Tutorial.SumOfSquaresHessianVector(4, 4, 1, -3));
    }

    [Fact]
    public void JacobianVectorProductOfElementSquare()
    {
        // d/dx0 (x0²) · 1 at x0 = 4 is 8; along 0.5 it is 4.
        Assert.Equal((16.0, 8.0), Tutorial.ElementSquareTangent(4, 1));
        Assert.Equal((16.0, 4.0), Tutorial.ElementSquareTangent(4, 0.5));
        double value = Tutorial.ElementSquareTangent(4, 1, out double tangent);
        Assert.Equal((16.0, 8.0), (value, tangent));
        // Σx² along [2, 2] at [4, 4]: 2·4·2 + 2·4·2 = 32.
        Assert.Equal((32.0, 32.0), Tutorial.SumOfSquaresTangent(4, 4, 2, 2));
    }

    [Fact]
    public void ElementSquareSecondDerivative()
    {
        Assert.Equal(2.0, Tutorial.ElementSquareHessianVector(4, 1));
        Assert.Equal(new double[,] { { 2 } }, Tutorial.ElementSquareHessian(-7));
    }
}

/// <summary>The mode checker must reject wrong tangents, Hessian-vector products and Hessians, and kink-only domains.</summary>
public class ModeHarnessTests
{
    // F(x, y) = sin(x)·y: ∇F = (cos x·y, sin x), H = [[−sin x·y, cos x], [cos x, 0]], written out by hand.
    private static double F(double[] p) => Math.Sin(p[0]) * p[1];

    private static double[] Gradient(double[] p) => new[] { Math.Cos(p[0]) * p[1], Math.Sin(p[0]) };

    private static double[,] Hessian(double[] p) => new[,] { { -Math.Sin(p[0]) * p[1], Math.Cos(p[0]) }, { Math.Cos(p[0]), 0.0 } };

    private static double[] HessianVector(double[] p, double[] v)
        => new[] { -Math.Sin(p[0]) * p[1] * v[0] + Math.Cos(p[0]) * v[1], Math.Cos(p[0]) * v[0] };

    private static (double, double) Tangent(double[] p, double[] v) => (F(p), Math.Cos(p[0]) * p[1] * v[0] + Math.Sin(p[0]) * v[1]);

    private static readonly ModeFunctions Right = new(F, Gradient, Tangent, HessianVector, Hessian);

    private static void Run(ModeFunctions functions) => ModeCheck.Run("sin(x)·y", "x y", functions, Domain.Box(-2, 2, 2));

    [Fact]
    public void AcceptsTheRightDerivatives() => Run(Right);

    [Fact]
    public void RejectsAWrongHessianVectorProduct()
    {
        // Consistent with the (equally wrong) Hessian, so that only the finite differences can catch it.
        var e = Assert.ThrowsAny<XunitException>(() => Run(Right with
        {
            HessianVector = (p, v) => HessianVector(p, v).Select(c => c * (1 + 1e-4)).ToArray(),
            Hessian = p => { var h = Hessian(p); for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) h[i, j] *= 1 + 1e-4; return h; },
        }));
        Assert.Contains("central differences of the gradient", e.Message);
        // Forgetting the mixed term ∂²F/∂x∂y.
        Assert.ThrowsAny<XunitException>(() => Run(Right with
        {
            HessianVector = (p, v) => new[] { -Math.Sin(p[0]) * p[1] * v[0], 0.0 },
            Hessian = p => new[,] { { -Math.Sin(p[0]) * p[1], 0.0 }, { 0.0, 0.0 } },
        }));
    }

    [Fact]
    public void RejectsAWrongTangentOrValue()
    {
        var e = Assert.ThrowsAny<XunitException>(() => Run(Right with { Tangent = (p, v) => (F(p), Tangent(p, v).Item2 * (1 + 1e-8)) }));
        Assert.Contains("reverse gradient", e.Message);
        Assert.ThrowsAny<XunitException>(() => Run(Right with { Tangent = (p, v) => (F(p) + 1e-13, Tangent(p, v).Item2) }));
    }

    [Fact]
    public void RejectsAnAsymmetricOrInconsistentHessian()
    {
        var e = Assert.ThrowsAny<XunitException>(() => Run(Right with
        {
            Hessian = p => { var h = Hessian(p); h[0, 1] += 1e-6; return h; },
        }));
        Assert.Contains("not symmetric", e.Message);
        e = Assert.ThrowsAny<XunitException>(() => Run(Right with
        {
            Hessian = p => { var h = Hessian(p); h[1, 1] += 1e-6; return h; },
        }));
        Assert.Contains("HessianVector along e_y", e.Message);
    }

    [Fact]
    public void RejectsADomainWhereTheGradientJumpsEverywhere()
    {
        // ∇F = floor(x·2¹⁸): a jump every 2⁻¹⁸ ≈ 3.8e-6, about the finite-difference step, so nearly every point is skipped.
        static double Steps(double x) => Math.Floor(x * 262144);
        var jumpy = new ModeFunctions(
            p => p[0] * Steps(p[0]),
            p => new[] { Steps(p[0]) },
            (p, v) => (p[0] * Steps(p[0]), Steps(p[0]) * v[0]),
            (p, v) => new[] { 0.0 },
            p => new double[,] { { 0 } });
        var e = Assert.ThrowsAny<XunitException>(() => ModeCheck.Run("jumpy", "x", jumpy, Domain.Box(-1, 1, 1)));
        Assert.Contains("away from kinks", e.Message);
    }
}

/// <summary>Every [Differentiable] method of this assembly is in some mode-check table.</summary>
public class ModeCoverageTests
{
    [Fact]
    public void EveryDifferentiableMethodIsCheckedAcrossModes()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var types = typeof(ModeCoverageTests).Assembly.GetTypes();
        var differentiable = types.SelectMany(t => t.GetMethods(All))
            .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null)
            .ToHashSet();
        var tables = types.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(ModeCases))
            .Select(f => (ModeCases)f.GetValue(null)!)
            .ToList();
        Assert.True(tables.Count >= 10, $"only {tables.Count} mode tables found");
        var covered = tables.SelectMany(t => t).Select(c => c.Find()).ToHashSet();
        // Methods over arrays and spans are checked across modes by ArrayTests.
        covered.UnionWith(typeof(Arrays).GetMethods(All).Where(m => ArrayTests.CheckedAcrossModes.Contains(m.Name)));
        // Vector-valued methods (void, writing spans) are checked by VectorFunctionTests: FJacobian against
        // finite differences, and their tangents and pullbacks against the Jacobian.
        covered.UnionWith(typeof(VectorFunctions).GetMethods(All).Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null));
        // Methods over T[,] are checked by MatrixTests (gradients, the tutorial's products, Jacobians, H·v).
        covered.UnionWith(typeof(Matrices).GetMethods(All).Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null));
        // Instance methods are checked by InstanceMethodTests (gradients, tangents and H·v on an object).
        covered.UnionWith(typeof(Oscillator).GetMethods(All).Where(m => InstanceMethodTests.CheckedInstanceMethods.Contains(m.Name)));
        // Methods over structs are checked by StructTests (central differences, the same code with numbers, all modes).
        covered.UnionWith(typeof(Structs).GetMethods(All).Where(m => StructTests.CheckedAcrossModes.Contains(m.Name)));
        // Loops over data whose reverse sweeps are fused into them are checked by FusedLoopTests.
        covered.UnionWith(typeof(FusedLoops).GetMethods(All).Where(m => FusedLoopTests.Checked.Contains(m.Name) || m.Name is nameof(FusedLoops.SoftPlusProduct) or nameof(FusedLoops.Quadratic)));
        // Integers read as they were at a write (and DetOfMinor, through DetByIndexLists) are checked by IndexedWriteTests.
        covered.UnionWith(typeof(IndexedWrites).GetMethods(All).Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null));
        // Integers advanced inside expressions, and an index formula (At, a plain helper, through Determinant2).
        covered.UnionWith(typeof(WalkingIndices).GetMethods(All).Where(m => WalkingIndexTests.Checked.Contains(m.Name)));
        // Local arrays declared inside loops and branches.
        covered.UnionWith(typeof(ArraysInLoops).GetMethods(All).Where(m => ArraysInLoopsTests.Checked.Contains(m.Name)));
        // Array initialisers (SumOfSquares through Passed).
        covered.UnionWith(typeof(ArrayInitialisers).GetMethods(All).Where(m => ArrayInitialiserTests.Checked.Contains(m.Name)));
        // Calls of vector-valued helpers, and the helpers themselves.
        covered.UnionWith(typeof(VectorCalls).GetMethods(All).Where(m => VectorCallTests.Checked.Contains(m.Name)));
        covered.UnionWith(typeof(Pendulums).GetMethods(All).Where(m => VectorCallTests.CheckedPendulums.Contains(m.Name)));
        // Slices passed to helpers (bundle adjustment).
        covered.UnionWith(typeof(Slices).GetMethods(All).Where(m => SliceTests.Checked.Contains(m.Name)));
        // Span locals (views kept in locals; bundle adjustment as its reference is written).
        covered.UnionWith(typeof(SpanLocals).GetMethods(All).Where(m => SpanLocalTests.Checked.Contains(m.Name)));
        // Index arrays written in place (a determinant by minors).
        covered.UnionWith(typeof(Determinants).GetMethods(All).Where(m => DeterminantTests.Checked.Contains(m.Name)));
        covered.UnionWith(typeof(LineMapping).GetMethods(All).Where(m => LineMappingTests.Checked.Contains(m.Name)));
        covered.UnionWith(typeof(Spring).GetMethods(All).Where(m => StructTests.CheckedSpringMethods.Contains(m.Name)));
        var missing = differentiable.Except(covered).Select(m => $"{m.DeclaringType!.FullName}.{m.Name}").OrderBy(s => s).ToList();
        Assert.True(missing.Count == 0, "Not checked across modes: " + string.Join(", ", missing));
    }
}
