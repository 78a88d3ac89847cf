using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace AutoDiff.Data;

/// <summary>
/// Reads a classification data set from a CSV file: one sample per line, the features as numbers and the label
/// (by default the last value) as a class index or a class name.
/// </summary>
/// <remarks>
/// <para>
/// Numbers are read in the invariant culture (<c>1.5</c>, <c>-2e-3</c>); a missing, non-numeric or non-finite
/// value is an error. Values may be enclosed in double quotes (<c>""</c> inside is a quote); a quoted value cannot
/// span lines. Blank lines are allowed at the end of the file only. Files compressed with gzip are read
/// transparently, recognised by their first two bytes (not by the extension); a truncated or corrupt gzip file is an
/// error (its trailer's CRC-32 and length are checked), and so is a gzip file of several concatenated members. The first line may be data, column names or the <c>count,features,class names</c> line of the UCI copies
/// that scikit-learn ships (<see cref="CsvHeader"/>); by default the loader tells which from the line.
/// </para>
/// <para>
/// The loader reads the whole file before returning, and throws <see cref="DataFormatException"/> (naming the
/// file, the line and the problem) rather than return part of it.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Dataset iris = CsvDataset.Load("data/iris.csv");                         // 150 × 4, ClassNames from line 1
/// Dataset wine = CsvDataset.Load("wine.csv", new CsvOptions { Separator = ';', LabelColumn = 0 });
/// </code>
/// </example>
public static class CsvDataset
{
    private static readonly CsvOptions Defaults = new();

    /// <summary>Reads the data set in a CSV file, gzip-compressed or not.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; null for the defaults (<see cref="CsvOptions"/>).</param>
    /// <exception cref="DataFormatException">The file is not a valid data set; the message names the line and the problem.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (for example a quote as the separator).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Dataset Load(string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options = Validated(options);
        using var content = DataStreams.OpenFile(path);
        return Read(content, path, options);
    }

    /// <summary>Reads the data set in a CSV stream, gzip-compressed or not; the stream is read to its end and left open.</summary>
    /// <param name="stream">The data.</param>
    /// <param name="name">The name to give in error messages and <see cref="DataFormatException.FilePath"/> (for example the file's name).</param>
    /// <param name="options">How to read it; null for the defaults (<see cref="CsvOptions"/>).</param>
    /// <exception cref="DataFormatException">The data is not a valid data set; the message names the line and the problem.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static Dataset Load(Stream stream, string name, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        options = Validated(options);
        using var content = DataStreams.Decompressed(new DataStreams.Unowned(stream), name);
        return Read(content, name, options);
    }

    private static CsvOptions Validated(CsvOptions? options)
    {
        options ??= Defaults;
        if (options.Separator is '"' or '\r' or '\n')
            throw new ArgumentException($"The separator cannot be {(options.Separator == '"' ? "a quote" : "a line break")}.", nameof(options));
        if (options.ClassCount is int k && k < 1)
            throw new ArgumentException($"ClassCount must be at least 1; it is {k}.", nameof(options));
        if (options.ClassNames is { } names)
        {
            if (names.Length == 0) throw new ArgumentException("ClassNames is empty.", nameof(options));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string? n in names)
            {
                if (string.IsNullOrWhiteSpace(n)) throw new ArgumentException("ClassNames has an empty name.", nameof(options));
                if (!seen.Add(n.Trim())) throw new ArgumentException($"ClassNames has '{n}' twice.", nameof(options));
            }

            if (options.ClassCount is int count && count != names.Length)
                throw new ArgumentException($"ClassCount is {count} but ClassNames has {names.Length} names.", nameof(options));
        }

        return options;
    }

    private static Dataset Read(Stream content, string name, CsvOptions options)
    {
        var gzip = content as CheckedGzipStream;
        try
        {
            return new Parser(name, options).Parse(content);
        }
        catch (DataFormatException) when (gzip is not null)
        {
            // A damaged gzip file shows first as a bad last line: report the damage instead, when there is one.
            gzip.CheckToEnd();
            throw;
        }
    }

    private sealed class Parser
    {
        private readonly string name;
        private readonly CsvOptions options;
        private readonly List<double> features = new();
        private readonly List<int> labels = new();
        private readonly List<string> labelWords = new();
        private int fieldCount = -1;
        private int labelIndex;
        private int rows;
        private string[]? featureNames;
        private string[]? classNames;
        private int? declaredRows;
        private bool? wordLabels;

        public Parser(string name, CsvOptions options)
        {
            this.name = name;
            this.options = options;
            classNames = options.ClassNames is { } names ? Array.ConvertAll(names, n => n.Trim()) : null;
        }

        public Dataset Parse(Stream content)
        {
            using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
            int lineNumber = 0;
            int? firstBlank = null;
            bool first = true;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    firstBlank ??= lineNumber;
                    continue;
                }

                if (firstBlank is int blank) throw Error(blank, "blank line before the end of the data");
                string[] fields = Split(line, lineNumber);
                if (first)
                {
                    first = false;
                    if (ReadHeader(fields, lineNumber)) continue;
                }

                AddRow(fields, lineNumber);
            }

            return Finish();
        }

        private bool ReadHeader(string[] fields, int line)
        {
            var kind = options.Header == CsvHeader.Auto ? Detect(fields) : options.Header;
            switch (kind)
            {
                case CsvHeader.ColumnNames:
                    SetFieldCount(fields.Length, line);
                    featureNames = new string[fields.Length - 1];
                    for (int i = 0, j = 0; i < fields.Length; i++)
                    {
                        if (i != labelIndex) featureNames[j++] = fields[i].Trim();
                    }

                    return true;

                case CsvHeader.CountsAndClassNames:
                    if (fields.Length < 3 || !IsCount(fields[0], out int count) || !IsCount(fields[1], out int featureCount))
                        throw Error(line, $"expected a first line 'count,features,class names...' (for example 150,4,setosa,versicolor,virginica), found '{Shorten(string.Join(options.Separator, fields))}'");
                    var names = new string[fields.Length - 2];
                    for (int i = 0; i < names.Length; i++)
                    {
                        names[i] = fields[i + 2].Trim();
                        if (names[i].Length == 0) throw Error(line, $"empty class name in column {i + 3}");
                        if (Array.IndexOf(names, names[i], 0, i) >= 0) throw Error(line, $"class name '{Shorten(names[i])}' appears twice");
                    }

                    if (classNames is not null && classNames.Length != names.Length)
                        throw Error(line, $"the first line names {names.Length} classes but CsvOptions.ClassNames has {classNames.Length}");
                    if (options.ClassCount is int k && k != names.Length)
                        throw Error(line, $"the first line names {names.Length} classes but CsvOptions.ClassCount is {k}");
                    classNames = names;
                    declaredRows = count;
                    SetFieldCount(featureCount + 1, line);
                    return true;

                default:
                    return false;
            }
        }

        private CsvHeader Detect(string[] fields)
        {
            if (fields.Length >= 3 && IsCount(fields[0], out _) && IsCount(fields[1], out _))
            {
                bool names = true;
                for (int i = 2; i < fields.Length && names; i++) names = fields[i].Trim().Length > 0 && !IsNumber(fields[i]);
                if (names) return CsvHeader.CountsAndClassNames;
            }

            int label = ResolveLabelColumn(fields.Length);
            for (int i = 0; i < fields.Length; i++)
            {
                string field = fields[i].Trim();
                if (i != label && field.Length > 0 && !IsNumber(field)) return CsvHeader.ColumnNames;
            }

            return CsvHeader.None;
        }

        private int ResolveLabelColumn(int count) => options.LabelColumn < 0 ? count + options.LabelColumn : options.LabelColumn;

        private void SetFieldCount(int count, int line)
        {
            if (count < 2)
                throw Error(line, $"a row needs at least one feature and the label; found {count} value{(count == 1 ? "" : "s")}");
            int label = ResolveLabelColumn(count);
            if (label < 0 || label >= count)
                throw Error(line, $"label column {options.LabelColumn} does not exist: the rows have {count} values");
            fieldCount = count;
            labelIndex = label;
        }

        private void AddRow(string[] fields, int line)
        {
            if (fieldCount < 0) SetFieldCount(fields.Length, line);
            if (fields.Length != fieldCount)
            {
                string because = rows == 0 && declaredRows is not null ? $" (line 1 says {fieldCount - 1} features and the label)" : "";
                throw Error(line, $"expected {fieldCount} values, found {fields.Length}{because}");
            }

            for (int i = 0; i < fields.Length; i++)
            {
                if (i == labelIndex) AddLabel(fields[i].Trim(), line, i);
                else features.Add(ParseNumber(fields[i].Trim(), line, i));
            }

            rows++;
        }

        private double ParseNumber(string text, int line, int column)
        {
            if (text.Length == 0) throw Error(line, $"missing value in column {column + 1}");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw Error(line, $"non-numeric value '{Shorten(text)}' in column {column + 1}");
            if (!double.IsFinite(value)) throw Error(line, $"non-finite value '{Shorten(text)}' in column {column + 1}");
            return value;
        }

        private void AddLabel(string text, int line, int column)
        {
            if (text.Length == 0) throw Error(line, $"missing label in column {column + 1}");
            bool isIndex = TryParseIndex(text, out int index);
            if (classNames is not null)
            {
                int k = classNames.Length;
                if (!isIndex)
                {
                    index = Array.IndexOf(classNames, text);
                    if (index < 0)
                        throw Error(line, $"label '{Shorten(text)}' in column {column + 1} is neither a class index 0..{k - 1} nor a class name ({Shorten(string.Join(", ", classNames))})");
                }
                else if ((uint)index >= (uint)k)
                {
                    throw Error(line, $"label {index} out of range 0..{k - 1}");
                }

                labels.Add(index);
                return;
            }

            wordLabels ??= !isIndex;
            if (wordLabels == true)
            {
                labelWords.Add(text);
                return;
            }

            if (!isIndex) throw Error(line, $"label '{Shorten(text)}' in column {column + 1} is not a class index (an integer), as the labels above are");
            if (index < 0) throw Error(line, options.ClassCount is int c ? $"label {index} out of range 0..{c - 1}" : $"negative label {index}");
            if (options.ClassCount is int count && index >= count) throw Error(line, $"label {index} out of range 0..{count - 1}");
            labels.Add(index);
        }

        private Dataset Finish()
        {
            if (declaredRows is int declared && declared != rows)
                throw Error(1, $"line 1 says {declared} rows, found {rows}");
            if (rows == 0) throw Error(null, "no data rows");

            int[] result;
            int classCount;
            if (wordLabels == true)
            {
                var distinct = new SortedSet<string>(labelWords, StringComparer.Ordinal);
                classNames = new string[distinct.Count];
                distinct.CopyTo(classNames);
                if (options.ClassCount is int k && k != classNames.Length)
                    throw Error(null, $"the labels name {classNames.Length} classes but CsvOptions.ClassCount is {k}");
                var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int c = 0; c < classNames.Length; c++) lookup[classNames[c]] = c;
                result = labelWords.ConvertAll(w => lookup[w]).ToArray();
                classCount = classNames.Length;
            }
            else
            {
                result = labels.ToArray();
                int max = -1;
                foreach (int l in result) max = Math.Max(max, l);
                classCount = classNames?.Length ?? options.ClassCount ?? max + 1;
            }

            return new Dataset(features.ToArray(), rows, fieldCount - 1, result, classCount, classNames, featureNames);
        }

        private string[] Split(string line, int lineNumber)
        {
            char separator = options.Separator;
            var fields = new List<string>();
            int i = 0;
            while (true)
            {
                int j = i;
                while (j < line.Length && line[j] != separator && char.IsWhiteSpace(line[j])) j++;
                if (j < line.Length && line[j] == '"')
                {
                    var value = new StringBuilder();
                    j++;
                    while (true)
                    {
                        if (j >= line.Length) throw Error(lineNumber, $"unterminated quoted value in column {fields.Count + 1}");
                        char c = line[j++];
                        if (c != '"')
                        {
                            value.Append(c);
                        }
                        else if (j < line.Length && line[j] == '"')
                        {
                            value.Append('"');
                            j++;
                        }
                        else
                        {
                            break;
                        }
                    }

                    while (j < line.Length && line[j] != separator && char.IsWhiteSpace(line[j])) j++;
                    if (j < line.Length && line[j] != separator)
                        throw Error(lineNumber, $"unexpected '{line[j]}' after the quoted value in column {fields.Count + 1}");
                    fields.Add(value.ToString());
                    if (j >= line.Length) break;
                    i = j + 1;
                    continue;
                }

                int end = line.IndexOf(separator, i);
                if (end < 0)
                {
                    fields.Add(line[i..]);
                    break;
                }

                fields.Add(line[i..end]);
                i = end + 1;
            }

            return fields.ToArray();
        }

        private DataFormatException Error(int? line, string problem) => new(problem, name, line, null);

        private static bool IsCount(string text, out int value)
            => int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

        private static bool IsNumber(string text)
            => double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

        private static bool TryParseIndex(string text, out int index)
        {
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index)) return true;
            // "2.0" (a label column written as floating point) is the class 2 too.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue)
            {
                index = (int)d;
                return true;
            }

            index = 0;
            return false;
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
    }
}
