namespace AutoDiff.Data;

/// <summary>What the first line of a CSV file is.</summary>
public enum CsvHeader
{
    /// <summary>
    /// Decide from the line itself: <see cref="CountsAndClassNames"/> when it is two non-negative integers followed
    /// by one or more fields that are not numbers (the class names); otherwise <see cref="ColumnNames"/> when a field
    /// outside the label column is not a number; otherwise <see cref="None"/>. A file without a header whose rows
    /// are two integers and then only words (<c>3,5,cat</c>) needs <see cref="None"/> explicitly.
    /// </summary>
    Auto,

    /// <summary>No header: the first line is data.</summary>
    None,

    /// <summary>The first line names the columns (the label column's name is dropped; the others become <see cref="Dataset.FeatureNames"/>).</summary>
    ColumnNames,

    /// <summary>
    /// The first line is <c>count,features,name0,name1,...</c>, as in the UCI copies that scikit-learn ships
    /// (<c>150,4,setosa,versicolor,virginica</c>): the number of rows, the number of features, then the class names
    /// in label order. The loader checks both numbers against the data and uses the names as
    /// <see cref="Dataset.ClassNames"/>.
    /// </summary>
    CountsAndClassNames,
}

/// <summary>How <see cref="CsvDataset"/> reads a file. The defaults read comma-separated files with the label last.</summary>
public sealed record CsvOptions
{
    /// <summary>What the first line is; <see cref="CsvHeader.Auto"/> (the default) tells from the line itself.</summary>
    public CsvHeader Header { get; init; } = CsvHeader.Auto;

    /// <summary>
    /// The 0-based column of the label; a negative value counts from the end, so −1 (the default) is the last
    /// column and −2 the one before it.
    /// </summary>
    public int LabelColumn { get; init; } = -1;

    /// <summary>The character between values; ',' by default (';' and '\t' are common too).</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// The class names in label order, for a file that does not give them. Labels in the file may then be either
    /// class indices or these names. Null (the default): names come from a
    /// <see cref="CsvHeader.CountsAndClassNames"/> first line, or, when the labels are words rather than integers,
    /// from the labels themselves (the distinct words in ordinal order, as scikit-learn's <c>LabelEncoder</c> does).
    /// </summary>
    public string[]? ClassNames { get; init; }

    /// <summary>
    /// The number of classes when the labels are integers and no class names are known; a label outside
    /// 0 .. <c>ClassCount</c> − 1 is then an error. Null (the default): the largest label plus one.
    /// </summary>
    public int? ClassCount { get; init; }
}
