using System;

namespace AutoDiff.Data;

/// <summary>One-hot encoding of class labels, and back (argmax).</summary>
public static class OneHot
{
    /// <summary>
    /// The one-hot matrix of <paramref name="labels"/>, row-major, <c>labels.Length</c> × <paramref name="classCount"/>:
    /// row <c>i</c> has 1 in column <c>labels[i]</c> and 0 elsewhere.
    /// </summary>
    /// <param name="labels">Class indices, each in 0 .. <paramref name="classCount"/> − 1.</param>
    /// <param name="classCount">The number of classes (columns); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is out of range.</exception>
    public static double[] Encode(int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var result = new double[(long)labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} at position {i} is out of range 0..{classCount - 1}.");
            result[(long)i * classCount + label] = 1;
        }

        return result;
    }

    /// <summary>The one-hot matrix of a data set's labels, <c>Rows</c> × <c>ClassCount</c>.</summary>
    /// <param name="data">The data set.</param>
    public static double[] Encode(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Encode(data.Labels, data.ClassCount);
    }

    /// <summary>
    /// The column of the largest value of each row of a row-major matrix (argmax), for example the predicted
    /// classes from a matrix of class probabilities or scores; a tie goes to the lower column.
    /// </summary>
    /// <param name="rows">The matrix, row-major; a whole number of rows of <paramref name="classCount"/>.</param>
    /// <param name="classCount">The number of columns; at least 1.</param>
    public static int[] Decode(ReadOnlySpan<double> rows, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (rows.Length % classCount != 0)
            throw new ArgumentException($"{rows.Length} values are not a whole number of rows of {classCount}.", nameof(rows));
        var result = new int[rows.Length / classCount];
        for (int i = 0; i < result.Length; i++)
        {
            var row = rows.Slice(i * classCount, classCount);
            int best = 0;
            for (int j = 1; j < row.Length; j++)
            {
                if (row[j] > row[best]) best = j;
            }

            result[i] = best;
        }

        return result;
    }
}
