using static System.FormattableString;

double x = 1.0, y = 2.0;

// The value and the gradient (∂f/∂x, ∂f/∂y), from the code AutoDiff generated for Functions.F.
var (value, dX, dY) = Functions.FGradient(x, y);
Console.WriteLine(Invariant($"f({x}, {y}) = {value:F6}"));
Console.WriteLine(Invariant($"gradient = ({dX:F6}, {dY:F6})"));

// By hand: ∂f/∂x = y + cos x, ∂f/∂y = x.
Console.WriteLine(Invariant($"by hand  = ({y + Math.Cos(x):F6}, {x:F6})"));

// Second order: the Hessian, [[-sin x, 1], [1, 0]].
double[,] h = Functions.FHessian(x, y);
Console.WriteLine(Invariant($"hessian  = [[{h[0, 0]:F6}, {h[0, 1]:F6}], [{h[1, 0]:F6}, {h[1, 1]:F6}]]"));
