using System;
using System.Collections.Generic;

namespace AutoDiff.Data;

/// <summary>Splits a data set into a training and a test set (scikit-learn's <c>train_test_split</c>).</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Splits <paramref name="data"/> at random into a training set and a test set of
    /// round(<paramref name="testFraction"/> × Rows) rows (at least one row each). The same seed gives the same
    /// split, on every platform. Both parts come out shuffled.
    /// </summary>
    /// <param name="data">The data set to split; it has at least two rows.</param>
    /// <param name="testFraction">The fraction of rows for the test set, strictly between 0 and 1 (for example 0.2).</param>
    /// <param name="seed">The seed of the random assignment.</param>
    /// <param name="stratify">
    /// When true (the default), each class is split in the same proportion, so both parts keep the class
    /// frequencies of <paramref name="data"/> as nearly as whole rows allow (the test rows are shared out among the
    /// classes by largest remainder). When false, the test rows are drawn from all rows alike.
    /// </param>
    /// <returns>The training set and the test set; every row of <paramref name="data"/> is in exactly one.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has fewer than two rows.</exception>
    public static (Dataset Train, Dataset Test) TrainTest(Dataset data, double testFraction, int seed, bool stratify = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be strictly between 0 and 1.");
        int n = data.Rows;
        if (n < 2)
            throw new ArgumentException($"A data set of {n} row(s) cannot be split into two non-empty parts.", nameof(data));

        int testCount = (int)Math.Round(testFraction * n, MidpointRounding.AwayFromZero);
        testCount = Math.Clamp(testCount, 1, n - 1);
        var random = new SeededRandom(seed);
        var train = new List<int>(n - testCount);
        var test = new List<int>(testCount);

        if (stratify)
        {
            var byClass = new List<int>[data.ClassCount];
            for (int c = 0; c < byClass.Length; c++) byClass[c] = new List<int>();
            for (int i = 0; i < n; i++) byClass[data.Labels[i]].Add(i);

            int[] quota = Apportion(byClass, testCount, n);
            for (int c = 0; c < byClass.Length; c++)
            {
                int[] rows = byClass[c].ToArray();
                random.Shuffle(rows);
                for (int i = 0; i < rows.Length; i++) (i < quota[c] ? test : train).Add(rows[i]);
            }
        }
        else
        {
            var rows = new int[n];
            for (int i = 0; i < n; i++) rows[i] = i;
            random.Shuffle(rows);
            for (int i = 0; i < n; i++) (i < testCount ? test : train).Add(rows[i]);
        }

        int[] trainRows = train.ToArray();
        int[] testRows = test.ToArray();
        random.Shuffle(trainRows);
        random.Shuffle(testRows);
        return (data.Subset(trainRows), data.Subset(testRows));
    }

    /// <summary>Shares <paramref name="total"/> rows among the classes in proportion to their sizes (largest remainder).</summary>
    private static int[] Apportion(List<int>[] byClass, int total, int n)
    {
        int k = byClass.Length;
        var quota = new int[k];
        var remainder = new long[k];
        int given = 0;
        for (int c = 0; c < k; c++)
        {
            long exact = (long)byClass[c].Count * total; // quota = exact / n, in whole rows plus a remainder
            quota[c] = (int)(exact / n);
            remainder[c] = exact % n;
            given += quota[c];
        }

        var order = new int[k];
        for (int c = 0; c < k; c++) order[c] = c;
        // Largest remainder first; ties go to the larger class, then to the lower label, so the result is fixed.
        Array.Sort(order, (a, b) =>
        {
            int byRemainder = remainder[b].CompareTo(remainder[a]);
            if (byRemainder != 0) return byRemainder;
            int bySize = byClass[b].Count.CompareTo(byClass[a].Count);
            return bySize != 0 ? bySize : a.CompareTo(b);
        });
        for (int i = 0; given < total; i = (i + 1) % k)
        {
            int c = order[i];
            if (quota[c] < byClass[c].Count)
            {
                quota[c]++;
                given++;
            }
        }

        return quota;
    }
}
