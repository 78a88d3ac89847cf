using System;

namespace AutoDiff.Data;

/// <summary>
/// Standardises features to zero mean and unit variance, column by column (scikit-learn's <c>StandardScaler</c>):
/// <c>z = (x − mean) / std</c>, with the mean and the standard deviation learnt by <see cref="Fit(Dataset)"/> on
/// the training set and then applied unchanged to any data (the test set, new samples).
/// </summary>
/// <remarks>
/// The standard deviation is the population one (divided by the number of rows, as in scikit-learn). A constant
/// column gets the standard deviation 1, so it becomes all zeros instead of a division by zero. The learnt
/// <see cref="Mean"/> and <see cref="Scale"/> can be stored with a model and given back to
/// <see cref="Standardizer(double[], double[])"/>.
/// </remarks>
public sealed class Standardizer
{
    private double[]? mean;
    private double[]? scale;

    /// <summary>Creates a standardiser to be fitted.</summary>
    public Standardizer()
    {
    }

    /// <summary>Creates a fitted standardiser from a mean and a scale learnt before (for example loaded with a model).</summary>
    /// <param name="mean">The mean of each column.</param>
    /// <param name="scale">The standard deviation of each column; every value positive and finite.</param>
    public Standardizer(double[] mean, double[] scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Length != scale.Length)
            throw new ArgumentException($"The mean has {mean.Length} columns and the scale {scale.Length}.", nameof(scale));
        foreach (double s in scale)
        {
            if (!(s > 0 && double.IsFinite(s)))
                throw new ArgumentException($"Every scale must be positive and finite; found {s}.", nameof(scale));
        }

        this.mean = (double[])mean.Clone();
        this.scale = (double[])scale.Clone();
    }

    /// <summary>Whether the mean and scale are known (after <see cref="Fit(Dataset)"/> or the fitted constructor).</summary>
    public bool IsFitted => mean is not null;

    /// <summary>The number of columns it was fitted on.</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public int Columns => Fitted().Mean.Length;

    /// <summary>The mean of each column (a copy).</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public double[] Mean => (double[])Fitted().Mean.Clone();

    /// <summary>The standard deviation of each column, 1 for a constant column (a copy).</summary>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    public double[] Scale => (double[])Fitted().Scale.Clone();

    /// <summary>Learns the mean and standard deviation of each column of <paramref name="data"/>'s features.</summary>
    /// <param name="data">The training set; at least one row.</param>
    /// <returns>This standardiser, fitted.</returns>
    public Standardizer Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.Features, data.Columns);
    }

    /// <summary>Learns the mean and standard deviation of each column of a row-major matrix.</summary>
    /// <param name="features">The features, row-major; a whole number of rows, at least one.</param>
    /// <param name="columns">The number of columns; at least 1.</param>
    /// <returns>This standardiser, fitted.</returns>
    public Standardizer Fit(ReadOnlySpan<double> features, int columns)
    {
        int rows = RowCount(features, columns);
        if (rows == 0) throw new ArgumentException("Cannot fit on zero rows.", nameof(features));

        var m = new double[columns];
        var s = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int i = 0; i < rows; i++)
            {
                double x = features[i * columns + j];
                sum += x;
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }

            if (min == max)
            {
                // Constant: exact mean (no rounding from the sum), scale 1, so the column becomes exactly 0.
                m[j] = min;
                s[j] = 1;
                continue;
            }

            double mu = sum / rows, squares = 0;
            for (int i = 0; i < rows; i++)
            {
                double d = features[i * columns + j] - mu;
                squares += d * d;
            }

            double std = Math.Sqrt(squares / rows);
            m[j] = mu;
            s[j] = std > 0 && double.IsFinite(std) ? std : 1;
        }

        mean = m;
        scale = s;
        return this;
    }

    /// <summary>A new data set with the standardised features of <paramref name="data"/> and its labels.</summary>
    /// <param name="data">Data with the columns it was fitted on.</param>
    /// <exception cref="InvalidOperationException">Not fitted yet.</exception>
    /// <exception cref="ArgumentException">The number of columns differs from the fitted one.</exception>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.WithFeatures(Transform(data.Features, data.Columns), data.Columns);
    }

    /// <summary>The standardised copy of a row-major matrix.</summary>
    /// <param name="features">The features, row-major; a whole number of rows.</param>
    /// <param name="columns">The number of columns; the fitted number.</param>
    public double[] Transform(ReadOnlySpan<double> features, int columns)
    {
        var result = features.ToArray();
        TransformInPlace(result, columns);
        return result;
    }

    /// <summary>Standardises a row-major matrix in place (for example one sample before a prediction).</summary>
    /// <param name="features">The features, row-major; a whole number of rows.</param>
    /// <param name="columns">The number of columns; the fitted number.</param>
    public void TransformInPlace(Span<double> features, int columns)
    {
        var (m, s) = Fitted();
        if (columns != m.Length)
            throw new ArgumentException($"Fitted on {m.Length} columns, given {columns}.", nameof(columns));
        int rows = RowCount(features, columns);
        for (int i = 0; i < rows; i++)
        {
            var row = features.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++) row[j] = (row[j] - m[j]) / s[j];
        }
    }

    /// <summary>Fits on <paramref name="data"/> and returns it standardised.</summary>
    /// <param name="data">The training set.</param>
    public Dataset FitTransform(Dataset data) => Fit(data).Transform(data);

    /// <summary>Undoes the standardisation of a row-major matrix in place: <c>x = z · std + mean</c>.</summary>
    /// <param name="features">Standardised features, row-major; a whole number of rows.</param>
    /// <param name="columns">The number of columns; the fitted number.</param>
    public void InverseTransformInPlace(Span<double> features, int columns)
    {
        var (m, s) = Fitted();
        if (columns != m.Length)
            throw new ArgumentException($"Fitted on {m.Length} columns, given {columns}.", nameof(columns));
        int rows = RowCount(features, columns);
        for (int i = 0; i < rows; i++)
        {
            var row = features.Slice(i * columns, columns);
            for (int j = 0; j < columns; j++) row[j] = row[j] * s[j] + m[j];
        }
    }

    private (double[] Mean, double[] Scale) Fitted()
        => mean is not null && scale is not null
            ? (mean, scale)
            : throw new InvalidOperationException("The standardiser is not fitted: call Fit on the training set first.");

    private static int RowCount(ReadOnlySpan<double> features, int columns)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "At least one column is needed.");
        if (features.Length % columns != 0)
            throw new ArgumentException($"{features.Length} values are not a whole number of rows of {columns}.", nameof(features));
        return features.Length / columns;
    }
}
