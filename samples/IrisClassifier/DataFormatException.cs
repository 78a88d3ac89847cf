using System;

namespace Samples.IrisClassifier;

/// <summary>A data file that does not have the expected format.</summary>
/// <remarks>The message names the file and the 1-based line at fault, then says what is wrong.</remarks>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="problem"/> at line <paramref name="lineNumber"/> of <paramref name="filePath"/>.</summary>
    public DataFormatException(string filePath, int lineNumber, string problem, Exception? innerException = null)
        : base($"{filePath}, line {lineNumber}: {problem}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The path of the file, as given to the loader.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based number of the line at fault.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string Problem { get; }
}
