// Fits the stiffness and the damping of a chain of springs and masses (System.Numerics.Vector3 physics) to an observed
// trajectory, by differentiating through the whole simulation with the gradient AutoDiff generated, and L-BFGS.
//
//   dotnet run --project samples/SpringMass -c Release
using System.Diagnostics;
using System.Numerics;
using AutoDiff.Optimization;
using Samples.SpringMass;

const double TrueStiffness = 40, TrueDamping = 0.8, Dt = 0.01;
const int Steps = 300, Masses = 4;
// The chain starts stretched out sideways and swings down.
var start = Enumerable.Range(1, Masses).Select(i => new Vector3(i * 1.1f, 0, 0.2f * i)).ToArray();
var random = new Random(7);
var observed = SpringChain.Simulate(TrueStiffness, TrueDamping, start, Dt, Steps)
    .Select(p => p + 0.01f * new Vector3(Gaussian(random), Gaussian(random), Gaussian(random))).ToArray();

// The generated gradient, as the optimiser takes it.
ValueAndGradient objective = (x, gradient) =>
{
    var g = SpringChain.TrajectoryMisfitGradient(x[0], x[1], start, observed, Dt, Steps);
    gradient[0] = g.dStiffness;
    gradient[1] = g.dDamping;
    return g.Value;
};

// The gradient against central differences of the simulation (float positions: a loose tolerance).
var initial = new[] { 25.0, 0.3 };
Span<double> check = stackalloc double[2];
objective(initial, check);
for (int i = 0; i < 2; i++)
{
    const double h = 1e-3;
    var plus = (double[])initial.Clone();
    var minus = (double[])initial.Clone();
    plus[i] += h;
    minus[i] -= h;
    double central = (SpringChain.TrajectoryMisfit(plus[0], plus[1], start, observed, Dt, Steps) - SpringChain.TrajectoryMisfit(minus[0], minus[1], start, observed, Dt, Steps)) / (2 * h);
    Console.WriteLine($"∂misfit/∂{(i == 0 ? "stiffness" : "damping  ")}: generated {check[i],12:F3}   central difference {central,12:F3}");
    if (Math.Abs(central - check[i]) > 2e-2 * Math.Max(1, Math.Abs(central))) return Fail("the generated gradient disagrees with central differences");
}

var clock = Stopwatch.StartNew();
var result = Lbfgs.Minimize(objective, initial);
clock.Stop();
Console.WriteLine($"L-BFGS through {Steps} steps of {Masses} masses: {result.Iterations} iterations, {result.FunctionEvaluations} gradients, {clock.Elapsed.TotalSeconds:F2} s; misfit {result.Value:F4}");
Console.WriteLine($"  stiffness  fitted {result.X[0],8:F3}   true {TrueStiffness,8:F3}");
Console.WriteLine($"  damping    fitted {result.X[1],8:F3}   true {TrueDamping,8:F3}");
bool recovered = Math.Abs(result.X[0] - TrueStiffness) < 0.02 * TrueStiffness && Math.Abs(result.X[1] - TrueDamping) < 0.05 * TrueDamping;
if (!recovered) return Fail("the fit did not recover the true parameters");
Console.WriteLine("The true stiffness and damping are recovered.");
return 0;

static int Fail(string why)
{
    Console.WriteLine("FAILED: " + why + ".");
    return 1;
}

static float Gaussian(Random random) => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
