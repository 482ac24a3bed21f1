namespace OrderFlow.Databento;

/// <summary>
/// What a <see cref="DbnSequenceReader"/> must carry from one buffer to the next: the DBN version, whether
/// records carry <c>ts_out</c>, the stream offset, and a small scratch buffer for records that straddle segments.
/// </summary>
/// <remarks>
/// Like <c>JsonReaderState</c>: create it once per stream (it allocates the 1 KiB scratch buffer once), pass it to
/// each new reader and take <see cref="DbnSequenceReader.CurrentState"/> back after each buffer.
/// </remarks>
public readonly struct DbnReaderState
{
    /// <summary>Creates the state for a stream of records.</summary>
    /// <param name="version">The DBN version of the records (1–3).</param>
    /// <param name="tsOut">Whether each record ends with an 8-byte <c>ts_out</c>.</param>
    /// <param name="bytesConsumed">The stream offset of the first record (the metadata length, for a stream with metadata).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not 1, 2 or 3.</exception>
    public DbnReaderState(byte version, bool tsOut = false, long bytesConsumed = 0)
        : this(version, tsOut, bytesConsumed, new byte[DbnConstants.MaxRecordSize])
    {
        DbnFraming.CheckVersion(version, nameof(version));
    }

    internal DbnReaderState(byte version, bool tsOut, long bytesConsumed, byte[] scratch)
    {
        Version = version;
        TsOut = tsOut;
        BytesConsumed = bytesConsumed;
        Scratch = scratch;
    }

    /// <summary>The DBN version of the records.</summary>
    public byte Version { get; }

    /// <summary>Whether each record ends with an 8-byte <c>ts_out</c>.</summary>
    public bool TsOut { get; }

    /// <summary>The stream offset of the next record.</summary>
    public long BytesConsumed { get; }

    internal byte[]? Scratch { get; }
}
