using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <summary>The 16-byte header every DBN record starts with.</summary>
/// <remarks>
/// Layout (little-endian): <c>length</c> u8 (the record length in 4-byte words, header included), <c>rtype</c> u8,
/// <c>publisher_id</c> u16, <c>instrument_id</c> u32, <c>ts_event</c> u64 (nanoseconds since the Unix epoch, UTC;
/// <see cref="DbnConstants.UndefTimestamp"/> when absent).
/// </remarks>
/// <seealso href="https://databento.com/docs/standards-and-conventions/common-fields-enums-types"/>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct RecordHeader
{
    private readonly byte _length;
    private readonly byte _rtype;
    private readonly ushort _publisherId;
    private readonly uint _instrumentId;
    private readonly ulong _tsEvent;

    /// <summary>Creates a header; the length is filled in by the record that holds it.</summary>
    /// <param name="rtype">The record type (see <see cref="DbnRType"/>).</param>
    /// <param name="publisherId">The publisher id.</param>
    /// <param name="instrumentId">The instrument id.</param>
    /// <param name="tsEvent">The event time in nanoseconds since the Unix epoch.</param>
    public RecordHeader(byte rtype, ushort publisherId, uint instrumentId, ulong tsEvent)
        : this(0, rtype, publisherId, instrumentId, tsEvent)
    {
    }

    internal RecordHeader(byte lengthWords, byte rtype, ushort publisherId, uint instrumentId, ulong tsEvent)
    {
        _length = lengthWords;
        _rtype = rtype;
        _publisherId = publisherId;
        _instrumentId = instrumentId;
        _tsEvent = tsEvent;
    }

    /// <summary>The record length in 4-byte words, header included, as on the wire.</summary>
    public byte LengthWords => _length;

    /// <summary>The record length in bytes: <see cref="LengthWords"/> × 4.</summary>
    public int RecordLength => _length * 4;

    /// <summary>The record type (see <see cref="DbnRType"/>).</summary>
    public byte RType => _rtype;

    /// <summary>The publisher id assigned by Databento (dataset and venue).</summary>
    public ushort PublisherId => _publisherId;

    /// <summary>The numeric instrument id; map it to a symbol with <see cref="DbnSymbolMap"/>.</summary>
    public uint InstrumentId => _instrumentId;

    /// <summary>The event time (<c>ts_event</c>) in nanoseconds since the Unix epoch, UTC.</summary>
    public ulong TsEvent => _tsEvent;

    internal RecordHeader WithLength(int sizeBytes) => new((byte)(sizeBytes / 4), _rtype, _publisherId, _instrumentId, _tsEvent);
}
