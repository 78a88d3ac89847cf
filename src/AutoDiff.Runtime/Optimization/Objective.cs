using System;
using System.Threading;

namespace AutoDiff.Optimization;

/// <summary>
/// Wraps the caller's objective for a minimiser: counts evaluations, checks every value and gradient for NaN and
/// infinity, and observes cancellation before each call.
/// </summary>
internal sealed class Objective
{
    private readonly ValueAndGradient _f;
    private readonly HessianVectorProduct? _hv;
    private readonly string _method;
    private readonly CancellationToken _ct;

    public Objective(string method, ValueAndGradient f, HessianVectorProduct? hv, CancellationToken ct)
    {
        _method = method;
        _f = f;
        _hv = hv;
        _ct = ct;
    }

    /// <summary>The iteration that evaluations are reported under.</summary>
    public int Iteration { get; set; }

    /// <summary>Calls to the objective so far.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Hessian-vector products so far.</summary>
    public int Products { get; private set; }

    /// <summary>Evaluates f and ∇f at <paramref name="x"/>; throws <see cref="NonFiniteException"/> on NaN or infinity.</summary>
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        _ct.ThrowIfCancellationRequested();
        double value = _f(x, gradient);
        Evaluations++;
        NonFiniteException.ThrowIfNonFinite(_method, Iteration, value, gradient);
        return value;
    }

    /// <summary>Computes ∇²f(x)·v; throws <see cref="NonFiniteException"/> on NaN or infinity.</summary>
    public void Product(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> hv, double value)
    {
        _ct.ThrowIfCancellationRequested();
        _hv!(x, v, hv);
        Products++;
        NonFiniteException.ThrowIfNonFiniteProduct(_method, Iteration, value, hv);
    }
}
