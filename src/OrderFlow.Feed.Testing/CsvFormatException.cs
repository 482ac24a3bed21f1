namespace OrderFlow.Feed.Testing;

/// <summary>A line of a replay CSV file could not be read; the message names the file, the line and the fault.</summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public CsvFormatException()
        : this("The replay CSV is malformed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CsvFormatException(string message)
        : base(message)
    {
        FileName = string.Empty;
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
    }

    /// <summary>Creates an exception for a line: the message becomes <c>file(line): reason</c>.</summary>
    /// <param name="fileName">The file (or source name) that holds the line.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="reason">What is wrong with the line.</param>
    public CsvFormatException(string fileName, int lineNumber, string reason)
        : base($"{fileName}({lineNumber}): {reason}")
    {
        FileName = fileName;
        LineNumber = lineNumber;
    }

    /// <summary>The file (or source name) that holds the bad line; empty when unknown.</summary>
    public string FileName { get; }

    /// <summary>The 1-based number of the bad line; 0 when unknown.</summary>
    public int LineNumber { get; }
}
