using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AutoDiff.Metrics;

/// <summary>
/// The counts of (true class, predicted class) pairs of a classifier's predictions, with the per-class precision,
/// recall and F1 score derived from them (scikit-learn's <c>confusion_matrix</c> and <c>classification_report</c>).
/// </summary>
/// <remarks>
/// Rows are the true classes and columns the predicted ones: <c>Counts[t, p]</c> is the number of samples of class
/// <c>t</c> predicted as <c>p</c>. A score whose denominator is zero (the precision of a class never predicted, the
/// recall of a class that never occurs) is 0, as in scikit-learn.
/// </remarks>
/// <example>
/// <code>
/// var matrix = new ConfusionMatrix(test.Labels, predicted, test.ClassCount, test.ClassNames);
/// Console.WriteLine(matrix);
/// </code>
/// </example>
public sealed class ConfusionMatrix
{
    private readonly int[,] counts;
    private readonly string[] classNames;

    /// <summary>Counts the predictions.</summary>
    /// <param name="truth">The true class of each sample, in 0 .. <paramref name="classCount"/> − 1.</param>
    /// <param name="predicted">The predicted class of each sample, as many as <paramref name="truth"/>, in the same range.</param>
    /// <param name="classCount">The number of classes; at least 1.</param>
    /// <param name="classNames">The class names in label order for <see cref="ToString"/>, or null for the numbers (as is a null entry).</param>
    /// <exception cref="ArgumentException">The arrays differ in length or are empty, a class is out of range, or the names are not one per class.</exception>
    public ConfusionMatrix(int[] truth, int[] predicted, int classCount, string[]? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        Classification.CheckPaired(truth, predicted);
        if (classNames is not null && classNames.Length != classCount)
            throw new ArgumentException($"Expected {classCount} class names, got {classNames.Length}.", nameof(classNames));

        counts = new int[classCount, classCount];
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i], p = predicted[i];
            if ((uint)t >= (uint)classCount)
                throw new ArgumentException($"True class {t} of sample {i} is outside 0..{classCount - 1}.", nameof(truth));
            if ((uint)p >= (uint)classCount)
                throw new ArgumentException($"Predicted class {p} of sample {i} is outside 0..{classCount - 1}.", nameof(predicted));
            counts[t, p]++;
        }

        ClassCount = classCount;
        Total = truth.Length;
        this.classNames = new string[classCount];
        for (int c = 0; c < classCount; c++) this.classNames[c] = classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples counted.</summary>
    public int Total { get; }

    /// <summary>The class names in label order (the numbers when none were given).</summary>
    public IReadOnlyList<string> ClassNames => Array.AsReadOnly(classNames);

    /// <summary>A copy of the counts: element [t, p] is the number of samples of true class t predicted as p.</summary>
    public int[,] Counts => (int[,])counts.Clone();

    /// <summary>The number of samples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class.</param>
    /// <param name="predicted">The predicted class.</param>
    public int this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>The fraction of samples on the diagonal (predicted correctly).</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < ClassCount; c++) correct += counts[c, c];
            return (double)correct / Total;
        }
    }

    /// <summary>The number of samples whose true class is <paramref name="label"/> (the row sum), the class's support.</summary>
    /// <param name="label">A class.</param>
    public int Support(int label)
    {
        CheckClass(label);
        int sum = 0;
        for (int p = 0; p < ClassCount; p++) sum += counts[label, p];
        return sum;
    }

    /// <summary>Of the samples predicted as <paramref name="label"/>, the fraction that are of that class; 0 when none is predicted as it.</summary>
    /// <param name="label">A class.</param>
    public double Precision(int label)
    {
        CheckClass(label);
        int predicted = 0;
        for (int t = 0; t < ClassCount; t++) predicted += counts[t, label];
        return predicted == 0 ? 0 : (double)counts[label, label] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="label"/>, the fraction predicted as it; 0 when the class never occurs.</summary>
    /// <param name="label">A class.</param>
    public double Recall(int label)
    {
        int support = Support(label);
        return support == 0 ? 0 : (double)counts[label, label] / support;
    }

    /// <summary>The harmonic mean of <see cref="Precision"/> and <see cref="Recall"/>; 0 when both are 0.</summary>
    /// <param name="label">A class.</param>
    public double F1Score(int label)
    {
        double p = Precision(label), r = Recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>The unweighted mean of the per-class F1 scores (scikit-learn's <c>average='macro'</c>).</summary>
    public double MacroF1Score
    {
        get
        {
            double sum = 0;
            for (int c = 0; c < ClassCount; c++) sum += F1Score(c);
            return sum / ClassCount;
        }
    }

    /// <summary>
    /// The matrix as an aligned table, true classes down and predicted classes across, with each class's recall at
    /// the end of its row, each class's precision under its column, and the accuracy:
    /// <code>
    /// actual \ predicted  setosa  versicolor  virginica  recall
    /// setosa                  10           0          0   1.000
    /// versicolor               0           9          1   0.900
    /// virginica                0           1          9   0.900
    /// precision            1.000       0.900      0.900
    /// accuracy 0.933 (28 of 30)
    /// </code>
    /// </summary>
    public override string ToString()
    {
        const string corner = "actual \\ predicted";
        const string recall = "recall";
        const string precision = "precision";
        var invariant = CultureInfo.InvariantCulture;

        int first = Math.Max(corner.Length, precision.Length);
        foreach (string name in classNames) first = Math.Max(first, name.Length);
        var widths = new int[ClassCount];
        for (int p = 0; p < ClassCount; p++)
        {
            widths[p] = Math.Max(classNames[p].Length, 5); // "0.000"
            for (int t = 0; t < ClassCount; t++) widths[p] = Math.Max(widths[p], counts[t, p].ToString(invariant).Length);
        }

        var text = new StringBuilder();
        text.Append(corner.PadRight(first));
        for (int p = 0; p < ClassCount; p++) text.Append("  ").Append(classNames[p].PadLeft(widths[p]));
        text.Append("  ").Append(recall).AppendLine();

        for (int t = 0; t < ClassCount; t++)
        {
            text.Append(classNames[t].PadRight(first));
            for (int p = 0; p < ClassCount; p++) text.Append("  ").Append(counts[t, p].ToString(invariant).PadLeft(widths[p]));
            text.Append("  ").Append(Recall(t).ToString("0.000", invariant).PadLeft(recall.Length)).AppendLine();
        }

        text.Append(precision.PadRight(first));
        for (int p = 0; p < ClassCount; p++) text.Append("  ").Append(Precision(p).ToString("0.000", invariant).PadLeft(widths[p]));
        text.AppendLine();

        long correct = 0;
        for (int c = 0; c < ClassCount; c++) correct += counts[c, c];
        text.Append("accuracy ").Append(Accuracy.ToString("0.000", invariant))
            .Append(" (").Append(correct.ToString(invariant)).Append(" of ").Append(Total.ToString(invariant)).Append(')');
        return text.ToString();
    }

    private void CheckClass(int label)
    {
        if ((uint)label >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Class must be in 0..{ClassCount - 1}.");
    }
}
