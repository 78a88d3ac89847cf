namespace AutoDiff.Optimization;

/// <summary>Why a full-batch minimiser stopped.</summary>
public enum StopReason
{
    /// <summary>The Euclidean norm of the gradient fell to the gradient tolerance (converged).</summary>
    GradientTolerance,

    /// <summary>The relative decrease of the function in one iteration fell to the function tolerance (converged).</summary>
    FunctionTolerance,

    /// <summary>The iteration limit was reached.</summary>
    MaxIterations,

    /// <summary>The limit on function evaluations was reached.</summary>
    MaxFunctionEvaluations,

    /// <summary>
    /// The line search found no acceptable step (typically rounding errors near a minimum, or a gradient that does not
    /// match the function); the result is the last accepted iterate.
    /// </summary>
    LineSearchFailed,
}
