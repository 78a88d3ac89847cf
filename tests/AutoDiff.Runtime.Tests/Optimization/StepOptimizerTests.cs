using System;
using AutoDiff.Optimization;
using Xunit;

namespace AutoDiff.Runtime.Tests.Optimization;

public class StepOptimizerTests
{
    private static double Minimize(IOptimizer optimizer, int steps, double[] x)
    {
        var g = new double[x.Length];
        for (int k = 0; k < steps; k++)
        {
            TestProblems.IllConditioned.Gradient(x, g);
            optimizer.Step(x, g);
        }
        return TestProblems.IllConditioned.MaxError(x);
    }

    public static TheoryData<string> Optimizers => new() { "sgd", "momentum", "nesterov", "adam", "rprop" };

    private static IOptimizer Create(string name) => name switch
    {
        // Plain SGD needs lr < 2 / λmax = 0.02; the error then shrinks by 1 − lr·λmin per step.
        "sgd" => new Sgd(0.015),
        "momentum" => new Sgd(0.005, momentum: 0.9),
        "nesterov" => new Sgd(0.005, momentum: 0.9, nesterov: true),
        "adam" => new Adam(0.05),
        "rprop" => new Rprop(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ConvergesOnAnIllConditionedQuadratic(string name)
    {
        double[] x = TestProblems.IllConditioned.Start();
        double error = Minimize(Create(name), 3000, x);
        Assert.True(error < 1e-6, $"{name}: max |x − x*| = {error} after 3000 steps");
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void IsDeterministic(string name)
    {
        double[] a = TestProblems.IllConditioned.Start(), b = TestProblems.IllConditioned.Start();
        Minimize(Create(name), 50, a);
        Minimize(Create(name), 50, b);
        Assert.Equal(BitConverter.DoubleToInt64Bits(a[0]), BitConverter.DoubleToInt64Bits(b[0]));
        Assert.Equal(a, b);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ResetStartsOver(string name)
    {
        IOptimizer optimizer = Create(name);
        double[] fresh = TestProblems.IllConditioned.Start();
        Minimize(Create(name), 20, fresh);

        Minimize(optimizer, 7, TestProblems.IllConditioned.Start());
        optimizer.Reset();
        double[] again = TestProblems.IllConditioned.Start();
        Minimize(optimizer, 20, again);
        Assert.Equal(fresh, again);

        // After a reset, another parameter length is accepted.
        optimizer.Reset();
        optimizer.Step(new double[5], new double[] { 1, 2, 3, 4, 5 });
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void StepsAllocateNothingAfterTheFirst(string name)
    {
        IOptimizer optimizer = name == "sgd" ? new Sgd(0.01, momentum: 0.5, nesterov: true, weightDecay: 0.1) : Create(name);
        double[] x = TestProblems.IllConditioned.Start();
        Minimize(optimizer, 10, x); // warm up: state and JIT
        var g = new double[x.Length];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++)
        {
            TestProblems.IllConditioned.Gradient(x, g);
            optimizer.Step(x, g);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void RejectsMismatchedLengths(string name)
    {
        IOptimizer optimizer = Create(name);
        Assert.Throws<ArgumentException>(() => optimizer.Step(new double[3], new double[2]));
        if (name == "sgd")
            return; // plain SGD keeps no state to mismatch
        optimizer.Step(new double[3], new double[] { 1, 1, 1 });
        Assert.Throws<ArgumentException>(() => optimizer.Step(new double[4], new double[4]));
    }

    [Fact]
    public void SgdMatchesTwoHandComputedMomentumSteps()
    {
        // PyTorch's SGD: d = g + wd·p; b = d at the first step, then b = μ·b + d; p −= lr·b.
        var sgd = new Sgd(0.1, momentum: 0.9, weightDecay: 0.01);
        double[] p = { 1.0, -2.0 };
        sgd.Step(p, new[] { 0.5, -1.0 });
        // d = (0.51, −1.02) = b;  p = (1 − 0.051, −2 + 0.102)
        Assert.Equal(0.949, p[0], 12);
        Assert.Equal(-1.898, p[1], 12);
        sgd.Step(p, new[] { 0.25, 0.5 });
        // d = (0.25 + 0.00949, 0.5 − 0.01898) = (0.25949, 0.48102)
        // b = 0.9·(0.51, −1.02) + d = (0.71849, −0.43698);  p −= 0.1·b
        Assert.Equal(0.877151, p[0], 12);
        Assert.Equal(-1.854302, p[1], 12);
    }

    [Fact]
    public void SgdMatchesTwoHandComputedNesterovSteps()
    {
        // Nesterov: after updating b, the step is d + μ·b.
        var sgd = new Sgd(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01);
        double[] p = { 1.0, -2.0 };
        sgd.Step(p, new[] { 0.5, -1.0 });
        // d = b = (0.51, −1.02); step = 1.9·d = (0.969, −1.938)
        Assert.Equal(0.9031, p[0], 12);
        Assert.Equal(-1.8062, p[1], 12);
        sgd.Step(p, new[] { 0.25, 0.5 });
        // d = (0.259031, 0.481938); b = (0.718031, −0.436062); step = d + 0.9·b = (0.9052589, 0.0894822)
        Assert.Equal(0.81257411, p[0], 12);
        Assert.Equal(-1.81514822, p[1], 12);
    }

    [Fact]
    public void PlainSgdIsGradientDescent()
    {
        var sgd = new Sgd(0.5);
        double[] p = { 1, 2 };
        sgd.Step(p, new[] { 4.0, -2.0 });
        Assert.Equal(new[] { -1.0, 3.0 }, p);
    }

    [Fact]
    public void NesterovWithoutMomentumIsRejected() =>
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, nesterov: true));

    [Fact]
    public void AdamFirstStepHasTheLearningRateAsItsLength()
    {
        // After bias correction, m̂ = g and v̂ = g², so the first step is lr·g / (|g| + ε).
        var adam = new Adam(0.01);
        double[] p = { 1, 1, 1 };
        adam.Step(p, new[] { 3.0, -0.001, 250.0 });
        Assert.Equal(1 - 0.01, p[0], 9);
        Assert.Equal(1 + 0.01, p[1], 6);
        Assert.Equal(1 - 0.01, p[2], 9);
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void RpropFollowsOpenCvSignRules()
    {
        // Δ₀ = 0.1, η⁺ = 1.2, η⁻ = 0.5. Gradient signs +, +, −, +, +.
        var rprop = new Rprop();
        double[] p = { 0 };
        rprop.Step(p, new[] { 3.0 });   // no remembered sign: move by Δ = 0.1
        Assert.Equal(-0.1, p[0], 15);
        rprop.Step(p, new[] { 1.0 });   // same sign: Δ = 0.12
        Assert.Equal(-0.22, p[0], 15);
        rprop.Step(p, new[] { -5.0 });  // sign change: Δ = 0.06, sign forgotten, and (OpenCV) still a move
        Assert.Equal(-0.16, p[0], 15);
        rprop.Step(p, new[] { 2.0 });   // no remembered sign: Δ stays 0.06
        Assert.Equal(-0.22, p[0], 15);
        rprop.Step(p, new[] { 2.0 });   // same sign: Δ = 0.072
        Assert.Equal(-0.292, p[0], 15);
        rprop.Step(p, new[] { 0.0 });   // zero gradient: no move
        Assert.Equal(-0.292, p[0], 15);
    }

    [Fact]
    public void RpropStepStaysWithinItsBounds()
    {
        var rprop = new Rprop(initialStep: 1, maxStep: 2, minStep: 0.25);
        double[] p = { 0 };
        for (int k = 0; k < 10; k++)
            rprop.Step(p, new[] { -1.0 }); // 1, 1.2, 1.44, 1.728, 2, 2, …
        Assert.Equal(1 + 1.2 + 1.44 + 1.728 + 6 * 2, p[0], 9);

        var shrinking = new Rprop(initialStep: 1, minStep: 0.25);
        double[] q = { 0 };
        for (int k = 0; k < 8; k++)
            shrinking.Step(q, new[] { k % 3 == 0 ? 1.0 : -1.0 });
        // Signs +, −, −, +, −, −, +, −: Δ = 1, 0.5 (change), 0.5, 0.25 (change), 0.25, 0.3 (same sign),
        // 0.25 (change: 0.15 raised to the floor), 0.25
        Assert.Equal(-1 + 0.5 + 0.5 - 0.25 + 0.25 + 0.3 - 0.25 + 0.25, q[0], 12);
    }
}
