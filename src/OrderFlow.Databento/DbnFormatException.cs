namespace OrderFlow.Databento;

/// <summary>
/// The input is not valid DBN: a bad magic string, an unsupported version, metadata or a record that runs past the
/// end of the input, a record length of zero, or a corrupt zstd frame.
/// </summary>
/// <remarks>
/// Every decoding error of this package is reported with this one type, never with an
/// <see cref="IndexOutOfRangeException"/> or <see cref="ArgumentException"/> from inside the decoder.
/// <see cref="Offset"/> is the byte position in the <b>decompressed</b> DBN stream (for a zstd file, the position
/// after decompression), and the message repeats it.
/// </remarks>
public sealed class DbnFormatException : Exception
{
    /// <summary>Creates an exception with the default message.</summary>
    public DbnFormatException()
        : this("The input is not valid DBN.")
    {
    }

    /// <summary>Creates an exception with a message and no offset.</summary>
    /// <param name="message">The message.</param>
    public DbnFormatException(string message)
        : base(message)
    {
        Offset = -1;
    }

    /// <summary>Creates an exception that wraps another one.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DbnFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    /// <summary>Creates an exception at a byte offset; the offset is appended to the message.</summary>
    /// <param name="message">What is wrong, without the offset.</param>
    /// <param name="offset">The byte offset in the decompressed DBN stream.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DbnFormatException(string message, long offset, Exception? innerException = null)
        : base($"{message} (at byte offset {offset})", innerException)
    {
        Offset = offset;
    }

    /// <summary>The byte offset in the decompressed DBN stream where the problem was found, or -1 when unknown.</summary>
    public long Offset { get; }
}
