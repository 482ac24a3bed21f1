using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <summary>
/// Writes DBN metadata and records (versions 1, 2 and 3) into an <see cref="IBufferWriter{T}"/>, byte for byte as
/// Databento's own encoder does.
/// </summary>
/// <remarks>
/// Used by <see cref="DbnWriter"/> (streams, optional zstd), by the tests and by the feed server. Version-dependent
/// records (symbol mapping, error, system) take the version to write; fixed-layout records are the same in every
/// version.
/// </remarks>
public static class DbnEncoder
{
    private const int FixedLength = 100;

    /// <summary>Writes a metadata header.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="metadata">The metadata; its <see cref="DbnMetadata.Version"/> decides the layout.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The version is not 1–3, or the symbol length is invalid for it.</exception>
    /// <exception cref="ArgumentException">A symbol or the dataset does not fit its field.</exception>
    public static int WriteMetadata(IBufferWriter<byte> output, DbnMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(metadata);
        var version = metadata.Version;
        DbnFraming.CheckVersion(version, nameof(metadata));
        var symbolLen = version == 1 ? DbnConstants.SymbolCstrLenV1 : metadata.SymbolCstrLen;
        if (symbolLen is < 1 or > ushort.MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(metadata), symbolLen, "SymbolCstrLen must be between 1 and 65535.");
        }

        long variable = 4 + (3 * 4) + ((long)(metadata.Symbols.Count + metadata.Partial.Count + metadata.NotFound.Count) * symbolLen) + 4;
        foreach (var mapping in metadata.Mappings)
        {
            variable += symbolLen + 4 + ((long)mapping.Intervals.Count * (8 + symbolLen));
        }

        var total = DbnMetadataReader.PrefixLength + FixedLength + variable;
        if (version >= 3)
        {
            total = (total + 7) & ~7L; // version 3 pads the header to a multiple of 8 bytes
        }

        var span = output.GetSpan((int)total)[..(int)total];
        span.Clear();
        "DBN"u8.CopyTo(span);
        span[3] = version;
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(total - DbnMetadataReader.PrefixLength));
        var pos = 8;
        CStr.Encode(metadata.Dataset, span.Slice(pos, 16), nameof(metadata.Dataset));
        pos += 16;
        BinaryPrimitives.WriteUInt16LittleEndian(span[pos..], metadata.Schema is { } schema ? (ushort)schema : ushort.MaxValue);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(pos + 2)..], metadata.Start);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(pos + 10)..], metadata.End ?? DbnConstants.UndefTimestamp);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(pos + 18)..], metadata.Limit ?? 0);
        pos += 26;
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[pos..], ulong.MaxValue); // deprecated record_count: "null"
            pos += 8;
        }

        span[pos++] = metadata.STypeIn is { } stypeIn ? (byte)stypeIn : byte.MaxValue;
        span[pos++] = (byte)metadata.STypeOut;
        span[pos++] = metadata.TsOut ? (byte)1 : (byte)0;
        if (version > 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[pos..], (ushort)symbolLen);
        }

        pos = DbnMetadataReader.PrefixLength + FixedLength;
        pos += 4; // schema_definition_length = 0
        foreach (var list in (ReadOnlySpan<IReadOnlyList<string>>)[metadata.Symbols, metadata.Partial, metadata.NotFound])
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], (uint)list.Count);
            pos += 4;
            foreach (var symbol in list)
            {
                CStr.Encode(symbol, span.Slice(pos, symbolLen), nameof(metadata.Symbols));
                pos += symbolLen;
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], (uint)metadata.Mappings.Count);
        pos += 4;
        foreach (var mapping in metadata.Mappings)
        {
            CStr.Encode(mapping.RawSymbol, span.Slice(pos, symbolLen), nameof(metadata.Mappings));
            pos += symbolLen;
            BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], (uint)mapping.Intervals.Count);
            pos += 4;
            foreach (var interval in mapping.Intervals)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], ToYmd(interval.StartDate));
                BinaryPrimitives.WriteUInt32LittleEndian(span[(pos + 4)..], ToYmd(interval.EndDate));
                pos += 8;
                CStr.Encode(interval.Symbol, span.Slice(pos, symbolLen), nameof(metadata.Mappings));
                pos += symbolLen;
            }
        }

        output.Advance((int)total);
        return (int)total;
    }

    /// <summary>Writes a fixed-layout record (<see cref="OhlcvMsg"/>, <see cref="TradeMsg"/>, <see cref="Mbp1Msg"/>).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="output">The destination.</param>
    /// <param name="record">The record; its header's length is written as the type's size.</param>
    /// <returns>The number of bytes written.</returns>
    public static int WriteRecord<T>(IBufferWriter<byte> output, in T record)
        where T : unmanaged, IDbnRecord
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = T.EncodedSize;
        var span = output.GetSpan(size);
        MemoryMarshal.Write(span, in record);
        span[0] = (byte)(size / 4);
        output.Advance(size);
        return size;
    }

    /// <summary>Writes a record's bytes as they are, for copying records between streams of the same version.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="record">The record bytes, header included; the length byte must match.</param>
    /// <exception cref="ArgumentException">The length byte does not match the span's length.</exception>
    public static void WriteRecordBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> record)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (record.Length < DbnConstants.RecordHeaderSize || record[0] * 4 != record.Length)
        {
            ThrowHelper.ThrowArgument(nameof(record), $"The record's length byte ({(record.IsEmpty ? 0 : record[0])} words) does not match its {record.Length} bytes.");
        }

        output.Write(record);
    }

    /// <summary>Writes a symbol mapping record (rtype 0x16) in a version's layout.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="version">The DBN version (1: 80 bytes, no stypes; 2–3: 176 bytes).</param>
    /// <param name="header">The header; its instrument id is the one being mapped.</param>
    /// <param name="stypeIn">The input symbology (not written in version 1).</param>
    /// <param name="stypeInSymbol">The input symbol, such as <c>ES.FUT</c>.</param>
    /// <param name="stypeOut">The output symbology (not written in version 1).</param>
    /// <param name="stypeOutSymbol">The output symbol, such as <c>ESZ4</c>.</param>
    /// <param name="startTs">The start of the mapping in nanoseconds.</param>
    /// <param name="endTs">The end of the mapping in nanoseconds.</param>
    /// <returns>The number of bytes written.</returns>
    public static int WriteSymbolMapping(IBufferWriter<byte> output, byte version, RecordHeader header, DbnSType stypeIn, string stypeInSymbol, DbnSType stypeOut, string stypeOutSymbol, ulong startTs, ulong endTs)
    {
        ArgumentNullException.ThrowIfNull(output);
        DbnFraming.CheckVersion(version, nameof(version));
        var size = SymbolMappingView.SizeFor(version);
        var span = Begin(output, size, DbnRType.SymbolMapping, header);
        if (version == 1)
        {
            CStr.Encode(stypeInSymbol, span.Slice(16, 22), nameof(stypeInSymbol));
            CStr.Encode(stypeOutSymbol, span.Slice(38, 22), nameof(stypeOutSymbol));
            BinaryPrimitives.WriteUInt64LittleEndian(span[64..], startTs);
            BinaryPrimitives.WriteUInt64LittleEndian(span[72..], endTs);
        }
        else
        {
            span[16] = (byte)stypeIn;
            CStr.Encode(stypeInSymbol, span.Slice(17, 71), nameof(stypeInSymbol));
            span[88] = (byte)stypeOut;
            CStr.Encode(stypeOutSymbol, span.Slice(89, 71), nameof(stypeOutSymbol));
            BinaryPrimitives.WriteUInt64LittleEndian(span[160..], startTs);
            BinaryPrimitives.WriteUInt64LittleEndian(span[168..], endTs);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes a gateway error record (rtype 0x15) in a version's layout.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="version">The DBN version (1: 80 bytes; 2–3: 320 bytes with code and is_last).</param>
    /// <param name="header">The header.</param>
    /// <param name="message">The message (at most 63 bytes in version 1, 301 otherwise).</param>
    /// <param name="code">The error code (not written in version 1).</param>
    /// <param name="isLast">Whether this is the last error of a series (not written in version 1).</param>
    /// <returns>The number of bytes written.</returns>
    public static int WriteError(IBufferWriter<byte> output, byte version, RecordHeader header, string message, byte code = 0, bool isLast = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        DbnFraming.CheckVersion(version, nameof(version));
        var size = GatewayTextView.SizeFor(version);
        var span = Begin(output, size, DbnRType.Error, header);
        if (version == 1)
        {
            CStr.Encode(message, span.Slice(16, 64), nameof(message));
        }
        else
        {
            CStr.Encode(message, span.Slice(16, 302), nameof(message));
            span[318] = code;
            span[319] = isLast ? (byte)1 : (byte)0;
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes a gateway system record (rtype 0x17) in a version's layout.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="version">The DBN version (1: 80 bytes; 2–3: 320 bytes with a code).</param>
    /// <param name="header">The header.</param>
    /// <param name="message">The message (at most 63 bytes in version 1, 302 otherwise).</param>
    /// <param name="code">The system code (not written in version 1).</param>
    /// <returns>The number of bytes written.</returns>
    public static int WriteSystem(IBufferWriter<byte> output, byte version, RecordHeader header, string message, byte code = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        DbnFraming.CheckVersion(version, nameof(version));
        var size = GatewayTextView.SizeFor(version);
        var span = Begin(output, size, DbnRType.System, header);
        if (version == 1)
        {
            CStr.Encode(message, span.Slice(16, 64), nameof(message));
        }
        else
        {
            CStr.Encode(message, span.Slice(16, 303), nameof(message));
            span[319] = code;
        }

        output.Advance(size);
        return size;
    }

    private static Span<byte> Begin(IBufferWriter<byte> output, int size, byte rtype, RecordHeader header)
    {
        var span = output.GetSpan(size)[..size];
        span.Clear();
        var h = new RecordHeader((byte)(size / 4), rtype, header.PublisherId, header.InstrumentId, header.TsEvent);
        MemoryMarshal.Write(span, in h);
        return span;
    }

    private static uint ToYmd(DateOnly date) => (uint)((date.Year * 10_000) + (date.Month * 100) + date.Day);
}
