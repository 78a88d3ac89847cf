// Fits a user-written [Differentiable] model (a damped oscillator) to noisy observations with L-BFGS, using the
// gradient AutoDiff generated for it, and checks that gradient with the runtime's gradient checker first.
//
//   dotnet run --project samples/CurveFitting
using AutoDiff;
using AutoDiff.Optimization;
using Samples.CurveFitting;

var truth = new[] { 2.0, 0.3, 3.0, 0.5 };   // A, γ, ω, φ
var random = new Random(42);
var times = Enumerable.Range(0, 200).Select(i => i * 0.05).ToArray();
var observed = times.Select(t => Oscillator.Displacement(truth[0], truth[1], truth[2], truth[3], t) + 0.05 * Gaussian(random)).ToArray();

// The generated pullback, as the optimiser takes it: value, and the gradient written into its span.
ValueAndGradient objective = (x, gradient) =>
{
    gradient.Clear();
    return Oscillator.SumOfSquaresBackward(x.ToArray(), times, observed, 1.0, gradient);
};

var start = new[] { 1.0, 0.1, 2.8, 0.0 };
GradientChecker.Assert(objective, start);
Console.WriteLine("The generated gradient agrees with central differences at the starting point.");

var result = Lbfgs.Minimize(objective, start);
Console.WriteLine($"L-BFGS: {result.Iterations} iterations, {result.FunctionEvaluations} evaluations, {result.StopReason}; ½Σr² = {result.Value:F4}");
string[] names = { "amplitude A", "damping γ", "frequency ω", "phase φ" };
for (int i = 0; i < 4; i++) Console.WriteLine($"  {names[i],-12} fitted {result.X[i],8:F4}   true {truth[i],8:F4}");

// The curvature at the optimum (generated Hessian) gives the parameters' standard errors.
var hessian = Oscillator.SumOfSquaresHessian(result.X, times, observed);
double noiseVariance = 2 * result.Value / (times.Length - 4);
var covariance = Invert(hessian);
Console.WriteLine("Standard errors from the generated Hessian: " + string.Join(", ", Enumerable.Range(0, 4).Select(i => $"{Math.Sqrt(noiseVariance * covariance[i, i]):F4}")));
bool recovered = Enumerable.Range(0, 4).All(i => Math.Abs(result.X[i] - truth[i]) < 0.05 * Math.Max(1, Math.Abs(truth[i])));
Console.WriteLine(recovered ? "The true parameters are recovered." : "The fit did NOT recover the true parameters.");
return recovered ? 0 : 1;

static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

static double[,] Invert(double[,] matrix)
{
    // Gauss–Jordan on a small symmetric positive-definite matrix.
    int n = matrix.GetLength(0);
    var a = (double[,])matrix.Clone();
    var inverse = new double[n, n];
    for (int i = 0; i < n; i++) inverse[i, i] = 1;
    for (int c = 0; c < n; c++)
    {
        int pivot = c;
        for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
        for (int k = 0; k < n; k++)
        {
            (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            (inverse[c, k], inverse[pivot, k]) = (inverse[pivot, k], inverse[c, k]);
        }
        double diagonal = a[c, c];
        for (int k = 0; k < n; k++) { a[c, k] /= diagonal; inverse[c, k] /= diagonal; }
        for (int r = 0; r < n; r++)
        {
            if (r == c) continue;
            double factor = a[r, c];
            for (int k = 0; k < n; k++) { a[r, k] -= factor * a[c, k]; inverse[r, k] -= factor * inverse[c, k]; }
        }
    }
    return inverse;
}
