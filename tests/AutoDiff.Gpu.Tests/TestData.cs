using System;
using System.IO;
using AutoDiff.Data;

namespace AutoDiff.Gpu.Tests;

/// <summary>
/// The breast cancer data (569 rows, 30 features, two classes), the wine data (178 rows, 13 features, three classes) and
/// UCI digits (1,797 rows of 8 × 8 pixels, ten classes), standardised; and seeded random vectors.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<Dataset> BreastCancerData = new(() =>
    {
        var data = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv"));
        return new Standardizer().Fit(data).Transform(data);
    });

    public static Dataset BreastCancer => BreastCancerData.Value;

    private static readonly Lazy<Dataset> WineData = new(() => Standardised("wine_data.csv"));

    private static readonly Lazy<Dataset> DigitsData = new(() => Standardised("digits.csv.gz"));

    public static Dataset Wine => WineData.Value;

    public static Dataset Digits => DigitsData.Value;

    /// <summary>The multiclass data set of that name: wine or digits.</summary>
    public static Dataset Multiclass(string name) => name switch
    {
        "wine" => Wine,
        "digits" => Digits,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "wine or digits"),
    };

    private static Dataset Standardised(string file)
    {
        var data = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", file));
        return new Standardizer().Fit(data).Transform(data);
    }

    /// <summary>Values drawn uniformly from [−scale, scale) by a seeded generator.</summary>
    public static double[] Random(int length, int seed, double scale = 0.5)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = scale * (2 * random.NextDouble() - 1);
        return values;
    }

    /// <summary>Row <paramref name="row"/> of the features.</summary>
    public static double[] Row(Dataset data, int row) => data.Features.AsSpan(row * data.Columns, data.Columns).ToArray();

    /// <summary>The largest |a − b| over the largest |b| (a relative error that ignores tiny elements' own scale).</summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double difference = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return difference / scale;
    }
}
