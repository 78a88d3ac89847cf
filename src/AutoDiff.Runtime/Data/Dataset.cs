using System;

namespace AutoDiff.Data;

/// <summary>
/// A labelled data set for classification: a dense, row-major matrix of features (one row per sample) and one
/// class label per row, like scikit-learn's <c>X, y</c> pair.
/// </summary>
/// <remarks>
/// <para>
/// The features are one <c>double[]</c> of <see cref="Rows"/> × <see cref="Columns"/> values: row <c>i</c> is
/// <c>Features[i * Columns .. (i + 1) * Columns]</c> (<see cref="Row"/>). Labels are class indices
/// 0 .. <see cref="ClassCount"/> − 1.
/// </para>
/// <para>
/// A data set is immutable by convention: its methods return new data sets and never change this one. The arrays
/// are not copied on the way in or out (so that models can use them without copies); do not change them while
/// the data set is in use.
/// </para>
/// </remarks>
public sealed class Dataset
{
    /// <summary>Creates a data set over the given arrays, which it keeps (they are not copied).</summary>
    /// <param name="features">The features, row-major, <paramref name="rows"/> × <paramref name="columns"/> values.</param>
    /// <param name="rows">The number of samples.</param>
    /// <param name="columns">The number of features per sample.</param>
    /// <param name="labels">One class index per row, each in 0 .. <paramref name="classCount"/> − 1.</param>
    /// <param name="classCount">The number of classes; at least 1, and the length of <paramref name="classNames"/> when it is given.</param>
    /// <param name="classNames">The class names in label order, or null.</param>
    /// <param name="featureNames">The feature names in column order (a CSV header's), or null.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a label is out of range.</exception>
    public Dataset(double[] features, int rows, int columns, int[] labels, int classCount, string[]? classNames = null, string[]? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if ((long)rows * columns != features.Length)
            throw new ArgumentException($"Expected {rows} × {columns} = {(long)rows * columns} feature values, got {features.Length}.", nameof(features));
        if (labels.Length != rows)
            throw new ArgumentException($"Expected {rows} labels (one per row), got {labels.Length}.", nameof(labels));
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"Label {labels[i]} of row {i} is out of range 0..{classCount - 1}.", nameof(labels));
        }

        if (classNames is not null && classNames.Length != classCount)
            throw new ArgumentException($"Expected {classCount} class names (one per class), got {classNames.Length}.", nameof(classNames));
        if (featureNames is not null && featureNames.Length != columns)
            throw new ArgumentException($"Expected {columns} feature names (one per column), got {featureNames.Length}.", nameof(featureNames));

        Features = features;
        Rows = rows;
        Columns = columns;
        Labels = labels;
        ClassCount = classCount;
        ClassNames = classNames;
        FeatureNames = featureNames;
    }

    /// <summary>The features, row-major: <see cref="Rows"/> × <see cref="Columns"/> values. Treat as read-only.</summary>
    public double[] Features { get; }

    /// <summary>The number of samples (rows).</summary>
    public int Rows { get; }

    /// <summary>The number of features per sample (columns).</summary>
    public int Columns { get; }

    /// <summary>The class index of each row, in 0 .. <see cref="ClassCount"/> − 1. Treat as read-only.</summary>
    public int[] Labels { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The class names in label order (<c>ClassNames[label]</c>), or null when the source had none.</summary>
    public string[]? ClassNames { get; }

    /// <summary>The feature names in column order, or null when the source had none.</summary>
    public string[]? FeatureNames { get; }

    /// <summary>The features of row <paramref name="index"/>.</summary>
    /// <param name="index">The row, 0 .. <see cref="Rows"/> − 1.</param>
    public ReadOnlySpan<double> Row(int index)
    {
        if ((uint)index >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Row index must be in 0..{Rows - 1}.");
        return new ReadOnlySpan<double>(Features, index * Columns, Columns);
    }

    /// <summary>The name of class <paramref name="label"/>: its entry in <see cref="ClassNames"/>, or the number itself.</summary>
    /// <param name="label">A class index, 0 .. <see cref="ClassCount"/> − 1.</param>
    public string ClassName(int label)
    {
        if ((uint)label >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Label must be in 0..{ClassCount - 1}.");
        return ClassNames?[label] ?? label.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The number of rows of each class: element <c>c</c> counts the rows labelled <c>c</c>.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>
    /// A new data set of the given rows, in the given order (an index may repeat, as in a bootstrap sample); the
    /// classes, class names and feature names stay the same.
    /// </summary>
    /// <param name="indices">Row indices, each in 0 .. <see cref="Rows"/> − 1.</param>
    public Dataset Subset(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var features = new double[(long)indices.Length * Columns];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int row = indices[i];
            if ((uint)row >= (uint)Rows)
                throw new ArgumentOutOfRangeException(nameof(indices), row, $"Index {row} at position {i} is not a row (0..{Rows - 1}).");
            Array.Copy(Features, (long)row * Columns, features, (long)i * Columns, Columns);
            labels[i] = Labels[row];
        }

        return new Dataset(features, indices.Length, Columns, labels, ClassCount, ClassNames, FeatureNames);
    }

    /// <summary>
    /// A new data set with the same rows in a random order, the same for the same <paramref name="seed"/> on
    /// every platform and .NET version.
    /// </summary>
    /// <param name="seed">The seed of the permutation.</param>
    public Dataset Shuffle(int seed)
    {
        var order = new int[Rows];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new SeededRandom(seed).Shuffle(order);
        return Subset(order);
    }

    /// <summary>Splits into a training and a test set; see <see cref="DatasetSplit.TrainTest"/>.</summary>
    /// <param name="testFraction">The fraction of rows for the test set, strictly between 0 and 1.</param>
    /// <param name="seed">The seed of the random assignment.</param>
    /// <param name="stratify">Whether each class keeps its proportion in both parts.</param>
    public (Dataset Train, Dataset Test) Split(double testFraction, int seed, bool stratify = true)
        => DatasetSplit.TrainTest(this, testFraction, seed, stratify);

    /// <summary>
    /// A new data set with the same labels, classes and names and other features (for example standardised
    /// ones), which it keeps without copying.
    /// </summary>
    /// <param name="features">The new features, row-major, <see cref="Rows"/> × <paramref name="columns"/> values.</param>
    /// <param name="columns">The number of new columns; when it differs from <see cref="Columns"/> the feature names are dropped.</param>
    public Dataset WithFeatures(double[] features, int columns)
        => new(features, Rows, columns, Labels, ClassCount, ClassNames, columns == Columns ? FeatureNames : null);

    /// <summary>A one-line description: rows, columns and classes.</summary>
    public override string ToString()
    {
        string classes = ClassNames is null ? ClassCount + " classes" : ClassCount + " classes (" + string.Join(", ", ClassNames) + ")";
        return $"Dataset: {Rows} rows × {Columns} features, {classes}";
    }
}
