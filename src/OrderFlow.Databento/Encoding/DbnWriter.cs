using System.Buffers;
using ZstdSharp;

namespace OrderFlow.Databento;

/// <summary>
/// Writes a DBN stream — metadata then records, optionally zstd-compressed — to a <see cref="Stream"/>.
/// </summary>
/// <remarks>
/// <code>
/// await using var writer = DbnWriter.Create(File.Create("out.dbn.zst"), metadata, compress: true);
/// writer.Write(new OhlcvMsg(header, open, high, low, close, volume));
/// </code>
/// Records are buffered (64 KiB) and written to the stream when the buffer fills, on <see cref="Flush"/> and on
/// dispose. Not thread-safe.
/// </remarks>
public sealed class DbnWriter : IDisposable, IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + DbnConstants.MaxRecordSize);
    private readonly Stream _output;
    private readonly Stream _target;
    private readonly bool _leaveOpen;

    private DbnWriter(Stream output, byte version, bool compress, bool leaveOpen)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        Version = version;
        _target = compress ? new CompressionStream(output, level: 3, leaveOpen: true) : output;
    }

    /// <summary>The DBN version being written.</summary>
    public byte Version { get; }

    /// <summary>Creates a writer and writes the metadata header.</summary>
    /// <param name="output">The destination stream.</param>
    /// <param name="metadata">The metadata; its version is the version of every record written.</param>
    /// <param name="compress">Whether to zstd-compress the stream.</param>
    /// <param name="leaveOpen">Whether to leave <paramref name="output"/> open on dispose.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The metadata's version is not 1–3.</exception>
    public static DbnWriter Create(Stream output, DbnMetadata metadata, bool compress = false, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(metadata);
        DbnFraming.CheckVersion(metadata.Version, nameof(metadata));
        var writer = new DbnWriter(output, metadata.Version, compress, leaveOpen);
        DbnEncoder.WriteMetadata(writer._buffer, metadata);
        return writer;
    }

    /// <summary>Creates a writer for a DBN fragment: records only, no metadata header.</summary>
    /// <param name="output">The destination stream.</param>
    /// <param name="version">The DBN version of the records (1–3).</param>
    /// <param name="compress">Whether to zstd-compress the stream.</param>
    /// <param name="leaveOpen">Whether to leave <paramref name="output"/> open on dispose.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not 1–3.</exception>
    public static DbnWriter CreateFragment(Stream output, byte version, bool compress = false, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        DbnFraming.CheckVersion(version, nameof(version));
        return new DbnWriter(output, version, compress, leaveOpen);
    }

    /// <summary>Writes a fixed-layout record.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="record">The record.</param>
    public void Write<T>(in T record)
        where T : unmanaged, IDbnRecord
    {
        DbnEncoder.WriteRecord(_buffer, in record);
        FlushIfFull();
    }

    /// <summary>Writes a record's bytes as they are (for example, copied from a <see cref="DbnRecordRef"/> of the same version).</summary>
    /// <param name="record">The record bytes.</param>
    public void WriteRecordBytes(ReadOnlySpan<byte> record)
    {
        DbnEncoder.WriteRecordBytes(_buffer, record);
        FlushIfFull();
    }

    /// <summary>Writes a symbol mapping record in this writer's version.</summary>
    /// <param name="header">The header.</param>
    /// <param name="stypeIn">The input symbology.</param>
    /// <param name="stypeInSymbol">The input symbol.</param>
    /// <param name="stypeOut">The output symbology.</param>
    /// <param name="stypeOutSymbol">The output symbol.</param>
    /// <param name="startTs">The start of the mapping in nanoseconds.</param>
    /// <param name="endTs">The end of the mapping in nanoseconds.</param>
    public void WriteSymbolMapping(RecordHeader header, DbnSType stypeIn, string stypeInSymbol, DbnSType stypeOut, string stypeOutSymbol, ulong startTs, ulong endTs)
    {
        DbnEncoder.WriteSymbolMapping(_buffer, Version, header, stypeIn, stypeInSymbol, stypeOut, stypeOutSymbol, startTs, endTs);
        FlushIfFull();
    }

    /// <summary>Writes an error record in this writer's version.</summary>
    /// <param name="header">The header.</param>
    /// <param name="message">The message.</param>
    /// <param name="code">The error code.</param>
    /// <param name="isLast">Whether this is the last error of a series.</param>
    public void WriteError(RecordHeader header, string message, byte code = 0, bool isLast = true)
    {
        DbnEncoder.WriteError(_buffer, Version, header, message, code, isLast);
        FlushIfFull();
    }

    /// <summary>Writes a system record in this writer's version.</summary>
    /// <param name="header">The header.</param>
    /// <param name="message">The message.</param>
    /// <param name="code">The system code.</param>
    public void WriteSystem(RecordHeader header, string message, byte code = 0)
    {
        DbnEncoder.WriteSystem(_buffer, Version, header, message, code);
        FlushIfFull();
    }

    /// <summary>Writes the buffered bytes to the stream (through the compressor, when compressing) and flushes it.</summary>
    public void Flush()
    {
        WriteBuffered();
        _target.Flush();
    }

    /// <summary>Writes the buffered bytes to the stream and flushes it.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_buffer.WrittenCount > 0)
        {
            await _target.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }

        await _target.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        WriteBuffered();
        if (!ReferenceEquals(_target, _output))
        {
            _target.Dispose(); // ends the zstd frame
        }

        _output.Flush();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_buffer.WrittenCount > 0)
        {
            await _target.WriteAsync(_buffer.WrittenMemory).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }

        if (!ReferenceEquals(_target, _output))
        {
            await _target.DisposeAsync().ConfigureAwait(false);
        }

        await _output.FlushAsync().ConfigureAwait(false);
        if (!_leaveOpen)
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void FlushIfFull()
    {
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            WriteBuffered();
        }
    }

    private void WriteBuffered()
    {
        if (_buffer.WrittenCount > 0)
        {
            _target.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }
}
