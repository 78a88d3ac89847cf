using System;
using System.IO;

namespace AutoDiff.Data;

/// <summary>
/// A data file that cannot be read as a data set: a row with the wrong number of values, a value that is not a
/// number, a label out of range, a header that disagrees with the data, a truncated or corrupt file. The
/// <see cref="Exception.Message"/> names the file, the place (a line of a text file, a byte offset of a binary
/// one) and the problem, for example <c>iris.csv, line 17: expected 5 values, found 4</c>.
/// </summary>
/// <remarks>
/// The loaders of <see cref="AutoDiff.Data"/> throw it instead of returning part of a file. Files that cannot be
/// opened at all keep their own exceptions (<see cref="FileNotFoundException"/>, <see cref="UnauthorizedAccessException"/>).
/// </remarks>
public class DataFormatException : FormatException
{
    /// <summary>Creates an exception with a default message.</summary>
    public DataFormatException()
        : base("The data is not in the expected format.")
    {
    }

    /// <summary>Creates an exception with the given message and no file or place.</summary>
    /// <param name="message">The whole message.</param>
    public DataFormatException(string message)
        : base(message)
    {
        Problem = message;
    }

    /// <summary>Creates an exception with the given message and cause, and no file or place.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The exception that revealed the problem.</param>
    public DataFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>
    /// Creates an exception for a problem at a place in a file; the message is
    /// <c>name, line 17: problem</c>, <c>name, byte 16: problem</c> or <c>name: problem</c>, where name is the
    /// file name of <paramref name="filePath"/>.
    /// </summary>
    /// <param name="problem">What is wrong, without the file or the place.</param>
    /// <param name="filePath">The file (or the name given to a stream).</param>
    /// <param name="line">The 1-based line of a text file, or null.</param>
    /// <param name="offset">The byte offset in a binary file, or null.</param>
    /// <param name="innerException">The exception that revealed the problem, or null.</param>
    public DataFormatException(string problem, string? filePath, int? line, long? offset, Exception? innerException = null)
        : base(Compose(problem, filePath, line, offset), innerException)
    {
        Problem = problem;
        FilePath = filePath;
        Line = line;
        Offset = offset;
    }

    /// <summary>The file (as it was given to the loader, or the name given with a stream), or null.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line of a text file where the problem is, or null.</summary>
    public int? Line { get; }

    /// <summary>
    /// The byte offset where the problem is, or null: in the data after decompression for a problem in the contents
    /// (an IDX header, a label byte), in the file itself for a damaged gzip stream.
    /// </summary>
    public long? Offset { get; }

    /// <summary>What is wrong, without the file or the place.</summary>
    public string? Problem { get; }

    private static string Compose(string problem, string? filePath, int? line, long? offset)
    {
        string where = filePath is null ? "" : DisplayName(filePath);
        if (line is int l) where += (where.Length > 0 ? ", " : "") + "line " + l.ToString(System.Globalization.CultureInfo.InvariantCulture);
        else if (offset is long o) where += (where.Length > 0 ? ", " : "") + "byte " + o.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return where.Length == 0 ? problem : where + ": " + problem;
    }

    internal static string DisplayName(string filePath)
    {
        string name = Path.GetFileName(filePath);
        return name.Length == 0 ? filePath : name;
    }
}
