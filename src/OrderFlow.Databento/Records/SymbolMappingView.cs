using System.Buffers.Binary;

namespace OrderFlow.Databento;

/// <summary>
/// A symbol mapping record (rtype 0x16), sent by the Live gateway to map an <c>instrument_id</c> to a symbol.
/// A view over the record's bytes, valid as long as they are.
/// </summary>
/// <remarks>
/// The layout depends on the DBN version: 80 bytes in version 1 (22-byte symbols, no stype fields), 176 bytes in
/// versions 2 and 3 (71-byte symbols with <c>stype_in</c>/<c>stype_out</c>). The header's
/// <see cref="RecordHeader.InstrumentId"/> is the id being mapped; <see cref="STypeOutSymbol"/> is its symbol (a
/// raw symbol such as <c>ESZ4</c> in a Live session with the default output symbology).
/// </remarks>
/// <seealso href="https://databento.com/docs/api-reference-live/client-lib/symbol-mapping"/>
public readonly ref struct SymbolMappingView
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly byte _version;

    internal SymbolMappingView(ReadOnlySpan<byte> bytes, byte version)
    {
        _bytes = bytes;
        _version = version;
    }

    /// <summary>The record size in a DBN version: 80 bytes for version 1, 176 otherwise.</summary>
    /// <param name="version">The DBN version.</param>
    /// <returns>The size in bytes.</returns>
    public static int SizeFor(byte version) => version < 2 ? 80 : 176;

    /// <summary>The record header.</summary>
    public RecordHeader Header => DbnRecordRef.ReadHeader(_bytes);

    /// <summary>The input symbology, or <see langword="null"/> in version 1 (which does not carry it) or when 0xFF.</summary>
    public DbnSType? STypeIn => _version < 2 || _bytes[16] == 0xFF ? null : (DbnSType)_bytes[16];

    /// <summary>The output symbology, or <see langword="null"/> in version 1 or when 0xFF.</summary>
    public DbnSType? STypeOut => _version < 2 || _bytes[88] == 0xFF ? null : (DbnSType)_bytes[88];

    /// <summary>The input symbol (as subscribed, e.g. <c>ES.FUT</c>) as UTF-8 bytes without the NUL padding.</summary>
    public ReadOnlySpan<byte> STypeInSymbolUtf8 => CStr.Trim(_version < 2 ? _bytes.Slice(16, 22) : _bytes.Slice(17, 71));

    /// <summary>The output symbol (e.g. the raw symbol <c>ESZ4</c>) as UTF-8 bytes without the NUL padding.</summary>
    public ReadOnlySpan<byte> STypeOutSymbolUtf8 => CStr.Trim(_version < 2 ? _bytes.Slice(38, 22) : _bytes.Slice(89, 71));

    /// <summary>The input symbol as a string (allocates).</summary>
    public string STypeInSymbol => CStr.Decode(STypeInSymbolUtf8);

    /// <summary>The output symbol as a string (allocates).</summary>
    public string STypeOutSymbol => CStr.Decode(STypeOutSymbolUtf8);

    /// <summary>The start of the mapping interval in nanoseconds since the Unix epoch.</summary>
    public ulong StartTs => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[(_version < 2 ? 64 : 160)..]);

    /// <summary>The end of the mapping interval in nanoseconds since the Unix epoch.</summary>
    public ulong EndTs => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[(_version < 2 ? 72 : 168)..]);
}
