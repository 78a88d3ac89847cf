using System;
using System.Collections.Generic;
using AutoDiff.Optimization;

namespace AutoDiff.Training;

/// <summary>How <see cref="MiniBatchTrainer"/> trains: epochs, batches, optimiser, validation and early stopping.</summary>
public sealed class TrainingOptions
{
    /// <summary>The most passes over the training data.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Samples per gradient step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Makes the optimiser (a new one for each training run, so that runs do not share state).</summary>
    public Func<IOptimizer> Optimizer { get; init; } = () => new Adam(1e-3);

    /// <summary>Seeds the shuffling of the samples (and the validation split): the same seed gives the same result.</summary>
    public int Seed { get; init; }

    /// <summary>The fraction of the training data held out to validate each epoch (0: none).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>
    /// Stop when the validation loss has not improved for this many epochs, and keep the parameters of the best epoch
    /// (0: never stop early). Needs a validation fraction.
    /// </summary>
    public int Patience { get; init; } = 5;

    /// <summary>The weight of an L2 penalty on the weights (weight decay) that models add to each batch's loss (0: none).</summary>
    public double L2 { get; init; }

    /// <summary>How many threads compute a batch's gradient at most (−1: as many as there are cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch holds at least one sample.");
        if (ValidationFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Use a fraction in [0, 1).");
        if (L2 < 0) throw new ArgumentOutOfRangeException(nameof(L2), L2, "The penalty's weight cannot be negative.");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience cannot be negative.");
    }
}

/// <summary>What one epoch of training achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainingLoss">The mean of the batch losses over the epoch.</param>
/// <param name="ValidationLoss">The loss on the validation samples after the epoch (NaN without validation).</param>
/// <param name="ValidationAccuracy">The accuracy on the validation samples after the epoch (NaN without validation).</param>
/// <param name="Elapsed">The time since training started.</param>
public sealed record EpochReport(int Epoch, double TrainingLoss, double ValidationLoss, double ValidationAccuracy, TimeSpan Elapsed);

/// <summary>The epochs of a training run, and where it stopped.</summary>
/// <param name="Epochs">One report per epoch run.</param>
/// <param name="BestEpoch">The epoch whose parameters were kept (the last one without early stopping).</param>
/// <param name="StoppedEarly">True when the validation loss stopped improving before the last epoch.</param>
public sealed record TrainingHistory(IReadOnlyList<EpochReport> Epochs, int BestEpoch, bool StoppedEarly);
