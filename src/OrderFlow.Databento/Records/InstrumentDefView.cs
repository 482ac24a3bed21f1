using System.Buffers.Binary;

namespace OrderFlow.Databento;

/// <summary>
/// An instrument definition (rtype 0x13, schema <c>definition</c>): the fields OrderFlow uses, read from the
/// record's bytes at the offsets of its DBN version. A view, valid as long as the bytes are.
/// </summary>
/// <remarks>
/// The record is 360 bytes in DBN version 1, 400 in version 2 and 520 in version 3, with fields at different
/// offsets; this view hides that. Fields not exposed here are still in <see cref="DbnRecordRef.Bytes"/>.
/// </remarks>
/// <seealso href="https://databento.com/docs/schemas-and-data-formats/instrument-definitions"/>
public readonly ref struct InstrumentDefView
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _v; // 0, 1, 2 for DBN versions 1, 2, 3

    internal InstrumentDefView(ReadOnlySpan<byte> bytes, byte version)
    {
        _bytes = bytes;
        _v = Math.Clamp(version - 1, 0, 2);
    }

    /// <summary>The record size in a DBN version: 360, 400 or 520 bytes.</summary>
    /// <param name="version">The DBN version.</param>
    /// <returns>The size in bytes.</returns>
    public static int SizeFor(byte version) => version switch { <= 1 => 360, 2 => 400, _ => 520 };

    /// <summary>The record header.</summary>
    public RecordHeader Header => DbnRecordRef.ReadHeader(_bytes);

    /// <summary>The capture time in nanoseconds since the Unix epoch.</summary>
    public ulong TsRecv => U64(16);

    /// <summary>The tick size (minimum price increment).</summary>
    public DbnPrice MinPriceIncrement => new(I64(24));

    /// <summary>The multiplier from the venue's display price to the conventional price.</summary>
    public DbnPrice DisplayFactor => new(I64(32));

    /// <summary>The last eligible trade time in nanoseconds, or <see cref="DbnConstants.UndefTimestamp"/>.</summary>
    public ulong Expiration => U64(40);

    /// <summary>The activation time in nanoseconds, or <see cref="DbnConstants.UndefTimestamp"/>.</summary>
    public ulong Activation => U64(48);

    /// <summary>The strike price of an option; undefined for futures and stocks.</summary>
    public DbnPrice StrikePrice => new(I64(Pick(328, 112, 104)));

    /// <summary>The publisher's instrument id (u32 in versions 1–2, u64 in version 3).</summary>
    public ulong RawInstrumentId => _v == 2 ? U64(112) : BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Pick(120, 128, 0)..]);

    /// <summary>The round-lot size.</summary>
    public int MinLotSizeRoundLot => BinaryPrimitives.ReadInt32LittleEndian(_bytes[Pick(148, 156, 168)..]);

    /// <summary>The year in the instrument's symbol.</summary>
    public ushort MaturityYear => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Pick(180, 180, 214)..]);

    /// <summary>The month in the instrument's symbol.</summary>
    public byte MaturityMonth => _bytes[Pick(350, 383, 494)];

    /// <summary>The currency of prices, such as <c>USD</c>.</summary>
    public string Currency => CStr.Decode(_bytes.Slice(Pick(186, 186, 224), 4));

    /// <summary>The raw symbol assigned by the publisher, such as <c>ESH1</c>, as UTF-8.</summary>
    public ReadOnlySpan<byte> RawSymbolUtf8 => CStr.Trim(_bytes.Slice(Pick(200, 200, 238), _v == 0 ? 22 : 71));

    /// <summary>The raw symbol assigned by the publisher, such as <c>ESH1</c>.</summary>
    public string RawSymbol => CStr.Decode(RawSymbolUtf8);

    /// <summary>The security group code.</summary>
    public string Group => CStr.Decode(_bytes.Slice(Pick(222, 271, 309), 21));

    /// <summary>The exchange, such as <c>XNAS</c> or <c>XCME</c>.</summary>
    public string Exchange => CStr.Decode(_bytes.Slice(Pick(243, 292, 330), 5));

    /// <summary>The underlying asset (product) code, such as <c>ES</c>.</summary>
    public string Asset => CStr.Decode(_bytes.Slice(Pick(248, 297, 335), _v == 2 ? 11 : 7));

    /// <summary>The security type, such as <c>FUT</c>.</summary>
    public string SecurityType => CStr.Decode(_bytes.Slice(Pick(262, 311, 353), 7));

    /// <summary>The instrument class: <c>'F'</c> future, <c>'K'</c> stock, <c>'C'</c> call, <c>'P'</c> put, <c>'S'</c> spread…</summary>
    public char InstrumentClass => (char)_bytes[Pick(325, 374, 487)];

    /// <summary>Whether the definition was added (<c>'A'</c>), modified (<c>'M'</c>) or deleted (<c>'D'</c>).</summary>
    public char SecurityUpdateAction => (char)_bytes[Pick(349, 382, 493)];

    private int Pick(int v1, int v2, int v3) => _v switch { 0 => v1, 1 => v2, _ => v3 };

    private ulong U64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[offset..]);

    private long I64(int offset) => BinaryPrimitives.ReadInt64LittleEndian(_bytes[offset..]);
}
