namespace AutoDiff.Tests.Functions;

/// <summary>
/// The tutorial's second-order examples, written with scalar parameters (arrays are not supported yet):
/// Σx² for x = [x0, x1], and one element of the element-wise square.
/// </summary>
public static partial class Tutorial
{
    [Differentiable] public static double SumOfSquares(double x0, double x1) => x0 * x0 + x1 * x1;

    [Differentiable] public static double ElementSquare(double x0) => x0 * x0;
}
