using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace AutoDiff.Training;

/// <summary>
/// Mini-batch training of any parameter vector whose per-sample loss has a pullback: shuffles the samples from a seed
/// each epoch, computes each batch's gradient on all cores (<see cref="ParallelGradient"/>, deterministic), steps an
/// optimiser, validates after each epoch, stops early, and refuses to go on when a loss or gradient stops being finite.
/// </summary>
public static class MiniBatchTrainer
{
    /// <summary>Scores the current parameters on the validation samples: their mean loss and accuracy.</summary>
    public delegate (double Loss, double Accuracy) Evaluate(int[] samples);

    /// <summary>A term of the loss that does not depend on the samples (a penalty): adds its gradient, returns its value.</summary>
    public delegate double Penalty(double[] parameters, Span<double> gradient);

    /// <summary>Trains <paramref name="parameters"/> in place.</summary>
    /// <param name="parameters">The parameters, trained in place (the best epoch's when stopping early).</param>
    /// <param name="sampleCount">The number of samples, which <paramref name="backward"/> and <paramref name="evaluate"/> take by index.</param>
    /// <param name="backward">One sample's pullback.</param>
    /// <param name="evaluate">Scores the parameters on validation samples.</param>
    /// <param name="options">Epochs, batches, optimiser, validation.</param>
    /// <param name="progress">Receives a report after each epoch.</param>
    /// <param name="cancellationToken">Stops training between batches (with <see cref="OperationCanceledException"/>).</param>
    /// <param name="penalty">Added to each batch's mean loss (a regulariser), or null.</param>
    public static TrainingHistory Train(double[] parameters, int sampleCount, ParallelGradient.SampleBackward backward, Evaluate evaluate,
        TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default, Penalty? penalty = null)
    {
        ArgumentNullException.ThrowIfNull(backward);
        options.Validate();
        var reduction = new ParallelGradient(parameters.Length, options.MaxDegreeOfParallelism);
        return Train(parameters, sampleCount, (order, start, count, gradient) => reduction.Compute(order, start, count, backward, gradient),
            evaluate, options, progress, cancellationToken, penalty);
    }

    /// <summary>
    /// One batch's work: the mean loss over the samples <paramref name="order"/>[start .. start + count) and, in
    /// <paramref name="gradient"/> (overwritten), its gradient. <see cref="ParallelGradient"/> computes it on the CPU's
    /// cores; AutoDiff.Gpu computes it with generated kernels on an accelerator.
    /// </summary>
    public delegate double BatchGradient(int[] order, int start, int count, Span<double> gradient);

    /// <summary>Trains <paramref name="parameters"/> in place, computing each batch's gradient with <paramref name="batchGradient"/>.</summary>
    /// <param name="parameters">The parameters, trained in place (the best epoch's when stopping early).</param>
    /// <param name="sampleCount">The number of samples, which <paramref name="batchGradient"/> and <paramref name="evaluate"/> take by index.</param>
    /// <param name="batchGradient">One batch's mean loss and gradient.</param>
    /// <param name="evaluate">Scores the parameters on validation samples.</param>
    /// <param name="options">Epochs, batches, optimiser, validation (<see cref="TrainingOptions.MaxDegreeOfParallelism"/> is up to <paramref name="batchGradient"/>).</param>
    /// <param name="progress">Receives a report after each epoch.</param>
    /// <param name="cancellationToken">Stops training between batches (with <see cref="OperationCanceledException"/>).</param>
    /// <param name="penalty">Added to each batch's mean loss (a regulariser), or null.</param>
    public static TrainingHistory Train(double[] parameters, int sampleCount, BatchGradient batchGradient, Evaluate evaluate,
        TrainingOptions options, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default, Penalty? penalty = null)
    {
        ArgumentNullException.ThrowIfNull(batchGradient);
        options.Validate();
        if (sampleCount < 1) throw new ArgumentException("There are no samples to train on.", nameof(sampleCount));
        var random = new Random(options.Seed);
        var order = Permutation(sampleCount, random);
        int validationCount = (int)Math.Round(sampleCount * options.ValidationFraction);
        if (validationCount >= sampleCount) validationCount = sampleCount - 1;
        var validation = order[..validationCount];
        var training = order[validationCount..];

        var optimizer = options.Optimizer();
        var gradient = new double[parameters.Length];
        var best = (double[])parameters.Clone();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0;
        var reports = new List<EpochReport>();
        var clock = Stopwatch.StartNew();
        bool stoppedEarly = false;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            Shuffle(training, random);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < training.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(options.BatchSize, training.Length - start);
                double loss = batchGradient(training, start, count, gradient);
                if (penalty is not null) loss += penalty(parameters, gradient);
                CheckFinite(loss, gradient, epoch, batches + 1);
                optimizer.Step(parameters, gradient);
                lossSum += loss;
                batches++;
            }

            var (validationLoss, validationAccuracy) = validationCount > 0 ? evaluate(validation) : (double.NaN, double.NaN);
            var report = new EpochReport(epoch, lossSum / batches, validationLoss, validationAccuracy, clock.Elapsed);
            reports.Add(report);
            progress?.Report(report);

            if (validationCount == 0 || options.Patience == 0)
            {
                bestEpoch = epoch;
                continue;
            }
            if (validationLoss < bestLoss)
            {
                bestLoss = validationLoss;
                bestEpoch = epoch;
                Array.Copy(parameters, best, parameters.Length);
            }
            else if (epoch - bestEpoch >= options.Patience)
            {
                stoppedEarly = epoch < options.Epochs;
                break;
            }
        }
        if (validationCount > 0 && options.Patience > 0 && bestEpoch > 0) Array.Copy(best, parameters, parameters.Length);
        return new TrainingHistory(reports, bestEpoch, stoppedEarly);
    }

    /// <summary>0..n−1 in an order drawn from <paramref name="random"/>.</summary>
    internal static int[] Permutation(int n, Random random)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Shuffle(order, random);
        return order;
    }

    /// <summary>Fisher–Yates, so that the order depends on the seed alone.</summary>
    private static void Shuffle(int[] items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static void CheckFinite(double loss, double[] gradient, int epoch, int batch)
    {
        if (!double.IsFinite(loss))
        {
            throw new NonFiniteException($"The loss became {loss} at epoch {epoch}, batch {batch}: lower the learning rate, or check the data for NaN or huge values.");
        }
        for (int i = 0; i < gradient.Length; i++)
        {
            if (!double.IsFinite(gradient[i]))
            {
                throw new NonFiniteException($"The gradient of parameter {i} became {gradient[i]} at epoch {epoch}, batch {batch} (the loss was {loss}): lower the learning rate, or check the data for NaN or huge values.");
            }
        }
    }
}
