using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using ZstdSharp;

namespace OrderFlow.Databento;

/// <summary>
/// Decodes a DBN file or stream — plain or zstd-compressed, DBN version 1, 2 or 3 — into its metadata and a
/// sequence of zero-copy record views.
/// </summary>
/// <remarks>
/// <para>
/// Compression is detected from the first four bytes (the zstd magic 0xFD2FB528), not from the file name;
/// multi-frame zstd streams are read to the end. Records are read from an internal 64 KiB buffer: each
/// <see cref="DbnRecordRef"/> is a view over it, valid until the next read. No allocation happens per record.
/// </para>
/// <code>
/// await using var dbn = await DbnDecoder.OpenAsync(File.OpenRead("glbx-mdp3.ohlcv-1m.dbn.zst"));
/// Console.WriteLine(dbn.Metadata!.Dataset);
/// while (await dbn.ReadBatchAsync())           // refills the buffer; false at the end of the stream
/// {
///     while (dbn.TryRead(out var record))      // every complete record in the buffer, no I/O
///     {
///         if (record.TryAs(out OhlcvMsg bar)) { … }
///     }
/// }
/// </code>
/// <para>
/// Synchronous code can call <see cref="Read"/> in a loop instead. Every format error is a
/// <see cref="DbnFormatException"/> with the offset in the decompressed stream. An instance is not thread-safe.
/// </para>
/// </remarks>
public sealed class DbnDecoder : IDisposable, IAsyncDisposable
{
    private const int DefaultBufferSize = 64 * 1024;

    private readonly bool _leaveOpen;
    private Stream _source;
    private Stream? _inner;
    private byte[] _buffer = new byte[DefaultBufferSize];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;

    private DbnDecoder(Stream source, bool leaveOpen)
    {
        _source = source;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The metadata, or <see langword="null"/> for a fragment (records without a header).</summary>
    public DbnMetadata? Metadata { get; private set; }

    /// <summary>The DBN version of the records.</summary>
    public byte Version { get; private set; }

    /// <summary>Whether each record ends with an 8-byte <c>ts_out</c>.</summary>
    public bool TsOut { get; private set; }

    /// <summary>Whether the input was zstd-compressed.</summary>
    public bool IsCompressed { get; private set; }

    /// <summary>The offset, in the decompressed stream, of the next record to read.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Opens a DBN stream and reads its metadata.</summary>
    /// <param name="stream">The stream, plain or zstd-compressed.</param>
    /// <param name="leaveOpen">Whether to leave <paramref name="stream"/> open when the decoder is disposed.</param>
    /// <returns>The decoder, positioned at the first record.</returns>
    /// <exception cref="DbnFormatException">The stream is not DBN, or its metadata is corrupt or cut off.</exception>
    public static DbnDecoder Open(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var decoder = new DbnDecoder(stream, leaveOpen);
        try
        {
            decoder.DetectCompression(sync: true, default).AsTask().GetAwaiter().GetResult();
            decoder.ReadMetadataAsync(sync: true, default).AsTask().GetAwaiter().GetResult();
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="Open(Stream, bool)"/>
    /// <param name="stream">The stream, plain or zstd-compressed.</param>
    /// <param name="leaveOpen">Whether to leave <paramref name="stream"/> open when the decoder is disposed.</param>
    /// <param name="cancellationToken">Cancels the read of the metadata.</param>
    public static async ValueTask<DbnDecoder> OpenAsync(Stream stream, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var decoder = new DbnDecoder(stream, leaveOpen);
        try
        {
            await decoder.DetectCompression(sync: false, cancellationToken).ConfigureAwait(false);
            await decoder.ReadMetadataAsync(sync: false, cancellationToken).ConfigureAwait(false);
            return decoder;
        }
        catch
        {
            await decoder.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens a DBN file (plain or zstd) and reads its metadata.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The decoder.</returns>
    /// <exception cref="DbnFormatException">The file is not DBN.</exception>
    public static DbnDecoder OpenFile(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan));

    /// <summary>
    /// Opens a DBN <b>fragment</b>: records without a metadata header (plain or zstd), of a version the caller knows.
    /// </summary>
    /// <param name="stream">The stream.</param>
    /// <param name="version">The DBN version of the records (1–3).</param>
    /// <param name="tsOut">Whether each record ends with an 8-byte <c>ts_out</c>.</param>
    /// <param name="leaveOpen">Whether to leave <paramref name="stream"/> open when the decoder is disposed.</param>
    /// <returns>The decoder; <see cref="Metadata"/> is <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not 1, 2 or 3.</exception>
    /// <exception cref="DbnFormatException">The zstd data is corrupt.</exception>
    public static DbnDecoder OpenFragment(Stream stream, byte version, bool tsOut = false, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        DbnFraming.CheckVersion(version, nameof(version));
        var decoder = new DbnDecoder(stream, leaveOpen) { Version = version, TsOut = tsOut };
        try
        {
            decoder.DetectCompression(sync: true, default).AsTask().GetAwaiter().GetResult();
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next record from the buffer, without I/O.</summary>
    /// <param name="record">The record, a view valid until the next read.</param>
    /// <returns><see langword="false"/> when the buffer holds no further complete record: call <see cref="ReadBatchAsync"/>.</returns>
    /// <exception cref="DbnFormatException">The record is corrupt.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out DbnRecordRef record)
    {
        var rest = _buffer.AsSpan(_start, _end - _start);
        var length = DbnFraming.Check(rest, Version, _bufferOffset + _start, isFinal: false);
        if (length == 0)
        {
            record = default;
            return false;
        }

        record = new DbnRecordRef(rest[..length], Version, TsOut, _bufferOffset + _start);
        _start += length;
        return true;
    }

    /// <summary>Reads the next record, reading from the stream when the buffer is empty (synchronous).</summary>
    /// <param name="record">The record, a view valid until the next read.</param>
    /// <returns><see langword="false"/> at the end of the stream.</returns>
    /// <exception cref="DbnFormatException">A record is corrupt or cut off, or the zstd data is corrupt.</exception>
    public bool Read(out DbnRecordRef record)
    {
        if (TryRead(out record))
        {
            return true;
        }

        return ReadBatch() && TryRead(out record);
    }

    /// <summary>Reads from the stream until the buffer holds at least one complete record (synchronous).</summary>
    /// <returns><see langword="false"/> at the clean end of the stream.</returns>
    /// <exception cref="DbnFormatException">The stream ends inside a record, or the zstd data is corrupt.</exception>
    public bool ReadBatch()
    {
        // With sync: true the fill completes synchronously.
        var fill = FillAsync(sync: true, default);
        return fill.IsCompletedSuccessfully ? fill.Result : fill.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Reads from the stream until the buffer holds at least one complete record.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="false"/> at the clean end of the stream.</returns>
    /// <exception cref="DbnFormatException">The stream ends inside a record, or the zstd data is corrupt.</exception>
    public ValueTask<bool> ReadBatchAsync(CancellationToken cancellationToken = default) => FillAsync(sync: false, cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        // When compressed, _source is the decompressor (always ours) and _inner owns the caller's stream.
        if (_inner is not null)
        {
            _source.Dispose();
            _inner.Dispose();
        }
        else if (!_leaveOpen)
        {
            _source.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_inner is not null)
        {
            await _source.DisposeAsync().ConfigureAwait(false);
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        else if (!_leaveOpen)
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads until the buffer holds a complete record. Synchronous callers get a plain loop: an async method that
    /// completes synchronously still costs a state-machine box per call on this runtime (about 180 B per refill).
    /// </summary>
    private ValueTask<bool> FillAsync(bool sync, CancellationToken cancellationToken)
    {
        if (!sync)
        {
            return FillCoreAsync(cancellationToken);
        }

        while (!HasRecord(out var needed))
        {
            if (needed == 0)
            {
                return new ValueTask<bool>(false);
            }

            ReadMore(needed);
        }

        return new ValueTask<bool>(true);
    }

    private async ValueTask<bool> FillCoreAsync(CancellationToken cancellationToken)
    {
        while (!HasRecord(out var needed))
        {
            if (needed == 0)
            {
                return false;
            }

            await ReadMoreAsync(needed, sync: false, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Whether a complete record is buffered; otherwise how many bytes the next one needs (0 at the end of the stream).</summary>
    private bool HasRecord(out int needed)
    {
        var available = _end - _start;
        needed = 1;
        if (available > 0)
        {
            var length = DbnFraming.Check(_buffer.AsSpan(_start, available), Version, _bufferOffset + _start, isFinal: _eof);
            if (length > 0)
            {
                return true;
            }

            needed = _buffer[_start] * 4;
        }
        else if (_eof)
        {
            needed = 0;
        }

        return false;
    }

    /// <summary>Compacts the buffer and reads once from the source; sets <see cref="_eof"/> at the end.</summary>
    private ValueTask ReadMoreAsync(int needed, bool sync, CancellationToken cancellationToken)
    {
        if (sync)
        {
            ReadMore(needed);
            return ValueTask.CompletedTask;
        }

        return ReadMoreCoreAsync(needed, cancellationToken);
    }

    private void ReadMore(int needed)
    {
        MakeRoom(needed);
        int n;
        try
        {
            n = _source.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (Exception ex) when (AsFormatError(ex) is { } error)
        {
            throw error;
        }

        Advance(n);
    }

    private async ValueTask ReadMoreCoreAsync(int needed, CancellationToken cancellationToken)
    {
        MakeRoom(needed);
        int n;
        try
        {
            n = await _source.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AsFormatError(ex) is { } error)
        {
            throw error;
        }

        Advance(n);
    }

    private void MakeRoom(int needed)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }

        if (_buffer.Length < needed)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }

    private void Advance(int n)
    {
        if (n == 0)
        {
            _eof = true;
        }
        else
        {
            _end += n;
        }
    }

    /// <summary>The zstd decompressor's exceptions as one <see cref="DbnFormatException"/>; null for anything else.</summary>
    private DbnFormatException? AsFormatError(Exception ex)
    {
        if (!IsCompressed)
        {
            return null;
        }

        return ex switch
        {
            // ZstdSharp's way of saying the last frame is cut off.
            EndOfStreamException => new DbnFormatException("Truncated zstd data: the input ends inside a zstd frame", _bufferOffset + _end, ex),

            // ZstdSharp reports corrupt frames with ZstdException (and, for some damage, other exception types).
            OperationCanceledException or IOException or ObjectDisposedException => null,
            _ => new DbnFormatException($"Corrupt zstd data: {ex.Message}", _bufferOffset + _end, ex),
        };
    }

    private async ValueTask DetectCompression(bool sync, CancellationToken cancellationToken)
    {
        while (_end < 4 && !_eof)
        {
            await ReadMoreAsync(4, sync, cancellationToken).ConfigureAwait(false);
        }

        if (_end < 4)
        {
            return;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(_buffer);
        // A zstd frame, or a skippable frame (0x184D2A50–0x184D2A5F) that a zstd stream may start with.
        if (magic != DbnConstants.ZstdMagic && (magic & 0xFFFFFFF0) != 0x184D2A50)
        {
            return;
        }

        IsCompressed = true;
        var prefix = _buffer.AsSpan(0, _end).ToArray();
        _inner = new PrefixedStream(prefix, _source, _leaveOpen);
        _source = new DecompressionStream(_inner, leaveOpen: true);
        _start = _end = 0;
        _bufferOffset = 0;
    }

    private async ValueTask ReadMetadataAsync(bool sync, CancellationToken cancellationToken)
    {
        int total;
        while ((total = DbnMetadataReader.GetTotalLength(_buffer.AsSpan(0, _end))) < 0)
        {
            if (_eof)
            {
                throw new DbnFormatException(_end == 0
                    ? "The input is empty: a DBN stream starts with an 8-byte prefix"
                    : $"The input ends after {_end} bytes, inside the 8-byte DBN prefix", _end);
            }

            await ReadMoreAsync(DbnMetadataReader.PrefixLength, sync, cancellationToken).ConfigureAwait(false);
        }

        while (_end < total)
        {
            if (_eof)
            {
                throw new DbnFormatException($"Metadata length {total - DbnMetadataReader.PrefixLength} runs past the end of the input ({_end} bytes)", 4);
            }

            // Grow with the bytes that arrive (doubling when full), never to the length the header claims: a
            // stream that declares megabytes and ends early costs only what it sent.
            await ReadMoreAsync(Math.Min(total, _end + 1), sync, cancellationToken).ConfigureAwait(false);
        }

        var metadata = DbnMetadataReader.Parse(_buffer.AsSpan(0, total));
        Metadata = metadata;
        Version = metadata.Version;
        TsOut = metadata.TsOut;
        _start = total;
    }

    /// <summary>Replays the bytes read to detect compression, then continues with the source.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream source, bool leaveOpen) : Stream
    {
        private int _prefixPosition;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefixPosition < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _prefixPosition);
                prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
                _prefixPosition += n;
                return n;
            }

            return source.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefixPosition < prefix.Length)
            {
                return Read(buffer.Span);
            }

            return await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                source.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
