using System.Runtime.CompilerServices;

namespace OrderFlow.Databento;

/// <summary>
/// Reads DBN records one by one from uncompressed bytes in memory, without copying or allocating: the fastest
/// path, for a file read into memory or a buffer already decompressed.
/// </summary>
/// <remarks>
/// <code>
/// var reader = DbnSpanReader.Create(bytes, out var metadata);
/// while (reader.TryRead(out var record))
/// {
///     if (record.TryAs(out OhlcvMsg bar)) { … }
/// }
/// </code>
/// The input is final: a record cut off by its end is a <see cref="DbnFormatException"/>. For data that arrives in
/// pieces use <see cref="DbnSequenceReader"/>; for streams and zstd use <see cref="DbnDecoder"/>.
/// </remarks>
public ref struct DbnSpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _baseOffset;
    private readonly byte _version;
    private readonly bool _tsOut;
    private int _position;

    /// <summary>Creates a reader over records without a metadata header (a DBN fragment, or the records after it).</summary>
    /// <param name="records">The records.</param>
    /// <param name="version">The DBN version of the records (1–3).</param>
    /// <param name="tsOut">Whether each record ends with an 8-byte <c>ts_out</c>.</param>
    /// <param name="baseOffset">The stream offset of <paramref name="records"/>[0], for error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not 1, 2 or 3.</exception>
    public DbnSpanReader(ReadOnlySpan<byte> records, byte version, bool tsOut = false, long baseOffset = 0)
    {
        DbnFraming.CheckVersion(version, nameof(version));
        _data = records;
        _version = version;
        _tsOut = tsOut;
        _baseOffset = baseOffset;
    }

    /// <summary>Reads the metadata at the start of <paramref name="dbn"/> and returns a reader over the records after it.</summary>
    /// <param name="dbn">A complete, uncompressed DBN file or stream.</param>
    /// <param name="metadata">The metadata.</param>
    /// <returns>The reader, positioned at the first record.</returns>
    /// <exception cref="DbnFormatException">The metadata is invalid or incomplete.</exception>
    public static DbnSpanReader Create(ReadOnlySpan<byte> dbn, out DbnMetadata metadata)
    {
        metadata = DbnMetadataReader.Read(dbn, out var consumed);
        return new DbnSpanReader(dbn[consumed..], metadata.Version, metadata.TsOut, consumed);
    }

    /// <summary>The number of bytes read so far, from the start of the records.</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>The DBN version of the records.</summary>
    public readonly byte Version => _version;

    /// <summary>Reads the next record.</summary>
    /// <param name="record">The record; a view over the input.</param>
    /// <returns><see langword="false"/> at the end of the input.</returns>
    /// <exception cref="DbnFormatException">A record has length 0, is shorter than its type, or is cut off by the end of the input.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out DbnRecordRef record)
    {
        var rest = _data[_position..];
        var length = DbnFraming.Check(rest, _version, _baseOffset + _position, isFinal: true);
        if (length == 0)
        {
            record = default;
            return false;
        }

        record = new DbnRecordRef(rest[..length], _version, _tsOut, _baseOffset + _position);
        _position += length;
        return true;
    }
}
