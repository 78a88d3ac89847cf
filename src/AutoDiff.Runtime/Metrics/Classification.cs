using System;

namespace AutoDiff.Metrics;

/// <summary>Scores of a classifier's predictions (scikit-learn's <c>accuracy_score</c>, <c>log_loss</c>).</summary>
public static class Classification
{
    /// <summary>The fraction of predictions equal to the truth, in [0, 1].</summary>
    /// <param name="truth">The true class of each sample.</param>
    /// <param name="predicted">The predicted class of each sample; as many as <paramref name="truth"/>.</param>
    /// <exception cref="ArgumentException">The arrays differ in length or are empty.</exception>
    public static double Accuracy(int[] truth, int[] predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        CheckPaired(truth, predicted);
        int correct = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (truth[i] == predicted[i]) correct++;
        }

        return (double)correct / truth.Length;
    }

    /// <summary>
    /// The mean cross-entropy of predicted class probabilities against the truth:
    /// −(1/n) Σᵢ log pᵢ,truthᵢ, each probability first clipped to [<paramref name="eps"/>, 1 − <paramref name="eps"/>]
    /// so that a confident mistake costs a large finite amount instead of infinity. Rows are not renormalised.
    /// </summary>
    /// <param name="truth">The true class of each sample, n values in 0 .. k − 1.</param>
    /// <param name="probabilities">The predicted probabilities, row-major n × k: row i holds sample i's probability of each class.</param>
    /// <param name="eps">The clipping bound; 1e-15 by default, in [0, 0.5).</param>
    /// <exception cref="ArgumentException">
    /// The sizes disagree (the probabilities are not n whole rows), <paramref name="truth"/> is empty, or a label is
    /// outside 0 .. k − 1.
    /// </exception>
    public static double LogLoss(int[] truth, ReadOnlySpan<double> probabilities, double eps = 1e-15)
    {
        ArgumentNullException.ThrowIfNull(truth);
        if (truth.Length == 0) throw new ArgumentException("No samples to score.", nameof(truth));
        if (!(eps >= 0 && eps < 0.5)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be in [0, 0.5).");
        if (probabilities.Length == 0 || probabilities.Length % truth.Length != 0)
            throw new ArgumentException($"{probabilities.Length} probabilities are not {truth.Length} whole rows (one per sample).", nameof(probabilities));
        int k = probabilities.Length / truth.Length;
        double sum = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            int label = truth[i];
            if ((uint)label >= (uint)k)
                throw new ArgumentException($"Label {label} of sample {i} is outside 0..{k - 1} (the probabilities have {k} columns).", nameof(truth));
            double p = Math.Clamp(probabilities[i * k + label], eps, 1 - eps);
            sum -= Math.Log(p);
        }

        return sum / truth.Length;
    }

    internal static void CheckPaired(int[] truth, int[] predicted)
    {
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions.", nameof(predicted));
        if (truth.Length == 0) throw new ArgumentException("No samples to score.", nameof(truth));
    }
}
