using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Samples.IrisClassifier;

/// <summary>
/// A labelled data set read from the sample's CSV format (see samples/data/README.md):
/// a header <c>count,featureCount,class0,class1,...</c>, then <c>count</c> rows of
/// <c>featureCount</c> numbers followed by an integer label indexing the class names.
/// </summary>
public sealed class IrisDataset
{
    /// <summary>The file name of the shipped data set, under <c>data/</c>.</summary>
    public const string DefaultFileName = "iris.csv";

    private IrisDataset(string[] classNames, double[][] features, int[] labels)
    {
        ClassNames = classNames;
        Features = features;
        Labels = labels;
    }

    /// <summary>The class names, in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>One feature vector per sample, each of length <see cref="FeatureCount"/>.</summary>
    public IReadOnlyList<double[]> Features { get; }

    /// <summary>One label per sample, each in [0, <see cref="ClassCount"/>).</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Labels.Count;

    /// <summary>The number of features per sample.</summary>
    public int FeatureCount => Features.Count == 0 ? 0 : Features[0].Length;

    /// <summary>The number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>
    /// The shipped iris.csv: next to the program (the project copies it to <c>data/</c> in the output directory),
    /// else found by walking up from the current directory to a <c>samples/data</c> folder.
    /// </summary>
    public static string FindDefaultFile()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "data", DefaultFileName);
        if (File.Exists(beside)) return beside;

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", DefaultFileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Cannot find {DefaultFileName}: looked in {Path.GetDirectoryName(beside)} and in samples/data above the current directory.", DefaultFileName);
    }

    /// <summary>Reads and validates a data file.</summary>
    /// <exception cref="DataFormatException">The file is malformed; the message names the file and the line.</exception>
    public static IrisDataset Load(string path)
    {
        string[] lines = File.ReadAllLines(path);

        // Blank lines at the very end (an extra newline) are harmless; anywhere else they are an error.
        int lineCount = lines.Length;
        while (lineCount > 0 && string.IsNullOrWhiteSpace(lines[lineCount - 1])) lineCount--;
        if (lineCount == 0) throw new DataFormatException(path, 1, "the file is empty; expected a header 'count,featureCount,class0,class1,...'.");

        var (rowCount, featureCount, classNames) = ParseHeader(path, lines[0]);

        var features = new List<double[]>(rowCount);
        var labels = new List<int>(rowCount);
        for (int i = 1; i < lineCount; i++)
        {
            int lineNumber = i + 1;
            if (features.Count == rowCount)
                throw new DataFormatException(path, lineNumber, $"the header declares {rowCount} rows, but the file has more.");
            var (x, label) = ParseRow(path, lineNumber, lines[i], featureCount, classNames.Length);
            features.Add(x);
            labels.Add(label);
        }
        if (features.Count != rowCount)
            throw new DataFormatException(path, 1, $"the header declares {rowCount} rows, but the file has only {features.Count}.");

        return new IrisDataset(classNames, features.ToArray(), labels.ToArray());
    }

    private static (int RowCount, int FeatureCount, string[] ClassNames) ParseHeader(string path, string line)
    {
        const string expected = "expected a header 'count,featureCount,class0,class1,...'";
        string[] fields = line.Split(',');
        if (fields.Length < 4)
            throw new DataFormatException(path, 1, $"{expected} with at least two classes, but found {fields.Length} field(s).");
        if (!int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int rowCount) || rowCount <= 0)
            throw new DataFormatException(path, 1, $"{expected}; the row count '{fields[0].Trim()}' is not a positive integer.");
        if (!int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int featureCount) || featureCount <= 0)
            throw new DataFormatException(path, 1, $"{expected}; the feature count '{fields[1].Trim()}' is not a positive integer.");

        string[] classNames = fields.Skip(2).Select(f => f.Trim()).ToArray();
        if (classNames.Any(string.IsNullOrEmpty))
            throw new DataFormatException(path, 1, $"{expected}; a class name is empty.");
        if (classNames.Distinct(StringComparer.Ordinal).Count() != classNames.Length)
            throw new DataFormatException(path, 1, $"{expected}; the class names are not distinct.");
        return (rowCount, featureCount, classNames);
    }

    private static (double[] Features, int Label) ParseRow(string path, int lineNumber, string line, int featureCount, int classCount)
    {
        if (string.IsNullOrWhiteSpace(line))
            throw new DataFormatException(path, lineNumber, "the line is empty; expected a data row.");

        string[] fields = line.Split(',');
        if (fields.Length != featureCount + 1)
            throw new DataFormatException(path, lineNumber, $"expected {featureCount + 1} fields ({featureCount} features and a label), but found {fields.Length}.");

        var x = new double[featureCount];
        for (int j = 0; j < featureCount; j++)
        {
            if (!double.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out x[j]) || !double.IsFinite(x[j]))
                throw new DataFormatException(path, lineNumber, $"feature {j + 1} ('{fields[j].Trim()}') is not a finite number.");
        }

        string labelText = fields[featureCount];
        if (!int.TryParse(labelText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label))
            throw new DataFormatException(path, lineNumber, $"the label '{labelText.Trim()}' is not an integer.");
        if (label < 0 || label >= classCount)
            throw new DataFormatException(path, lineNumber, $"the label {label} is out of range; expected 0 to {classCount - 1}.");
        return (x, label);
    }
}
