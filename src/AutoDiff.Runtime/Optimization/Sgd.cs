using System;
using System.Numerics.Tensors;

namespace AutoDiff.Optimization;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, in PyTorch's
/// formulation (<c>torch.optim.SGD</c> with <c>dampening = 0</c>). With gradient g, parameters p, step t:
/// <code>
/// d = g + weightDecay·p
/// b = d                     (t = 1)
/// b = momentum·b + d        (t > 1)
/// d = d + momentum·b        (Nesterov)   or   d = b   (classical momentum)
/// p = p − learningRate·d
/// </code>
/// Without momentum, d is used directly. Note the learning rate multiplies the velocity (PyTorch), unlike
/// Sutskever et al., where it is folded into the velocity.
/// </summary>
public sealed class Sgd : IOptimizer
{
    private double _learningRate;
    private double[]? _velocity;   // momentum buffer b
    private double[]? _direction;  // scratch for d when weight decay or Nesterov needs one
    private bool _hasVelocity;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="learningRate">The step size (&gt; 0).</param>
    /// <param name="momentum">The momentum factor in [0, 1); 0 turns momentum off.</param>
    /// <param name="nesterov">Use Nesterov momentum (requires <paramref name="momentum"/> &gt; 0, as PyTorch does).</param>
    /// <param name="weightDecay">The L2 penalty coefficient (≥ 0), added to the gradient as <c>weightDecay·p</c>.</param>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        _learningRate = OptimizerState.Positive(learningRate, nameof(learningRate));
        Momentum = OptimizerState.UnitInterval(momentum, nameof(momentum));
        WeightDecay = OptimizerState.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
            throw new ArgumentException("Nesterov momentum requires a momentum greater than 0.", nameof(nesterov));
        Nesterov = nesterov;
    }

    /// <summary>The step size; may be changed between steps (learning-rate schedules).</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerState.Positive(value, nameof(value));
    }

    /// <summary>The momentum factor (0 when momentum is off).</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 weight-decay coefficient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        int n = parameters.Length;
        OptimizerState.CheckStep(parameters, gradient, StateLength);
        EnsureState(n);

        ReadOnlySpan<double> d = gradient;
        if (WeightDecay != 0)
        {
            Span<double> scratch = _direction;
            TensorPrimitives.MultiplyAdd(parameters, WeightDecay, gradient, scratch); // d = g + wd·p
            d = scratch;
        }

        if (Momentum != 0)
        {
            Span<double> b = _velocity;
            if (_hasVelocity)
                TensorPrimitives.MultiplyAdd(b, Momentum, d, b); // b = momentum·b + d
            else
                d.CopyTo(b);
            _hasVelocity = true;

            if (Nesterov)
            {
                Span<double> scratch = _direction;
                TensorPrimitives.MultiplyAdd(b, Momentum, d, scratch); // d = d + momentum·b
                d = scratch;
            }
            else
            {
                d = b;
            }
        }

        TensorPrimitives.MultiplyAdd(d, -_learningRate, parameters, parameters); // p = p − lr·d
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _velocity = null;
        _direction = null;
        _hasVelocity = false;
    }

    private int StateLength => _velocity?.Length ?? _direction?.Length ?? -1;

    private void EnsureState(int n)
    {
        if (Momentum != 0)
            _velocity ??= new double[n];
        if (WeightDecay != 0 || Nesterov)
            _direction ??= new double[n];
    }
}
