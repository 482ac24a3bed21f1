using System.Buffers;
using System.Runtime.CompilerServices;

namespace OrderFlow.Databento;

/// <summary>
/// Reads DBN records from a <see cref="ReadOnlySequence{T}"/>, such as a <c>PipeReader</c>'s buffer, without
/// copying: a record inside one segment is a view over it; only a record that straddles two segments is copied,
/// into the state's scratch buffer.
/// </summary>
/// <remarks>
/// <para>The usual loop, with uncompressed DBN arriving on a pipe (the metadata read first with
/// <see cref="DbnMetadataReader.TryRead(in ReadOnlySequence{byte}, out DbnMetadata?, out SequencePosition)"/>):</para>
/// <code>
/// var state = new DbnReaderState(metadata.Version, metadata.TsOut, metadataLength);
/// while (true)
/// {
///     var result = await pipe.ReadAsync(ct);
///     var reader = new DbnSequenceReader(result.Buffer, state, result.IsCompleted);
///     try { while (reader.TryRead(out var record)) { … } }
///     finally { pipe.AdvanceTo(reader.Position, result.Buffer.End); }
///     state = reader.CurrentState;
///     if (result.IsCompleted) break;
/// }
/// </code>
/// <para>
/// When <c>isFinalBlock</c> is <see langword="false"/>, an incomplete record at the end makes
/// <see cref="TryRead"/> return <see langword="false"/> and leaves <see cref="Position"/> at its start; when
/// <see langword="true"/>, it is a <see cref="DbnFormatException"/>.
/// </para>
/// </remarks>
public ref struct DbnSequenceReader
{
    private readonly ReadOnlySequence<byte> _buffer;
    private readonly DbnReaderState _state;
    private readonly bool _isFinalBlock;
    private readonly byte[] _scratch;
    private SequencePosition _position;
    private long _consumed;

    /// <summary>Creates a reader over a buffer of records.</summary>
    /// <param name="buffer">The records (no metadata).</param>
    /// <param name="state">The state from the previous buffer, or a new one.</param>
    /// <param name="isFinalBlock">Whether no more data follows.</param>
    public DbnSequenceReader(ReadOnlySequence<byte> buffer, DbnReaderState state, bool isFinalBlock)
    {
        _buffer = buffer;
        _state = state;
        _isFinalBlock = isFinalBlock;
        _scratch = state.Scratch ?? new byte[DbnConstants.MaxRecordSize];
        _position = buffer.Start;
        _consumed = 0;
        if (state.Version is < 1 or > DbnConstants.MaxVersion)
        {
            ThrowHelper.ThrowArgument(nameof(state), "The state has no DBN version; create it with new DbnReaderState(version).");
        }
    }

    /// <summary>The position after the last record read: pass it to <c>PipeReader.AdvanceTo</c> as consumed.</summary>
    public readonly SequencePosition Position => _position;

    /// <summary>The bytes read from this buffer.</summary>
    public readonly long BytesConsumed => _consumed;

    /// <summary>The state to pass to the reader of the next buffer.</summary>
    public readonly DbnReaderState CurrentState => new(_state.Version, _state.TsOut, _state.BytesConsumed + _consumed, _scratch);

    /// <summary>Reads the next complete record.</summary>
    /// <param name="record">The record; valid until the next call or until the buffer is released.</param>
    /// <returns><see langword="false"/> when the buffer holds no further complete record.</returns>
    /// <exception cref="DbnFormatException">A record is corrupt, or cut off at the end of the final block.</exception>
    public bool TryRead(out DbnRecordRef record)
    {
        var rest = _buffer.Slice(_position);
        var offset = _state.BytesConsumed + _consumed;
        var first = rest.FirstSpan;
        int length;
        ReadOnlySpan<byte> bytes;
        if (first.Length >= DbnConstants.MaxRecordSize || first.Length == rest.Length)
        {
            length = DbnFraming.Check(first, _state.Version, offset, _isFinalBlock);
            bytes = first;
        }
        else
        {
            // The record may straddle segments: copy at most one record's worth to the scratch buffer.
            var n = (int)Math.Min(rest.Length, _scratch.Length);
            if (n > 0 && first.Length > 0 && first[0] * 4 <= first.Length)
            {
                bytes = first;
            }
            else
            {
                rest.Slice(0, n).CopyTo(_scratch);
                bytes = _scratch.AsSpan(0, n);
            }

            length = DbnFraming.Check(bytes, _state.Version, offset, _isFinalBlock);
        }

        if (length == 0)
        {
            record = default;
            return false;
        }

        record = new DbnRecordRef(bytes[..length], _state.Version, _state.TsOut, offset);
        _position = rest.GetPosition(length);
        _consumed += length;
        return true;
    }
}
