namespace AutoDiff.Tests.Functions;

/// <summary>A method whose derivatives throw where the method would: the stack trace names this file and line.</summary>
public static partial class LineMapping
{
    public const int ReadLine = 15;

    [Differentiable]
    public static double PartialSum(double[] x, int count)
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            // Line 15 reads x[i], out of range when count > x.Length.
            sum += x[i] * x[i];
        }
        return sum;
    }
}
