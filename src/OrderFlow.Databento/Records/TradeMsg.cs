using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <summary>A trade (schema <c>trades</c>, rtype MBP-0): 48 bytes in every DBN version.</summary>
/// <remarks>
/// <see cref="Side"/> is the <b>aggressor</b> side: <c>'B'</c> a buyer lifted the offer, <c>'A'</c> a seller hit the
/// bid, <c>'N'</c> unknown. <see cref="RecordHeader.TsEvent"/> is the matching-engine time, <see cref="TsRecv"/> the
/// capture time (both nanoseconds since the Unix epoch).
/// </remarks>
/// <seealso href="https://databento.com/docs/schemas-and-data-formats/trades"/>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct TradeMsg : IDbnRecord
{
    private readonly RecordHeader _header;
    private readonly DbnPrice _price;
    private readonly uint _size;
    private readonly byte _action;
    private readonly byte _side;
    private readonly byte _flags;
    private readonly byte _depth;
    private readonly ulong _tsRecv;
    private readonly int _tsInDelta;
    private readonly uint _sequence;

    /// <summary>Creates a trade; the header's length is set to 48 bytes.</summary>
    /// <param name="header">The header (rtype <see cref="DbnRType.Mbp0"/>).</param>
    /// <param name="price">The trade price.</param>
    /// <param name="size">The trade size.</param>
    /// <param name="action">The action, <c>'T'</c> for a trade (ASCII).</param>
    /// <param name="side">The aggressor side: <c>'A'</c>, <c>'B'</c> or <c>'N'</c> (ASCII).</param>
    /// <param name="flags">The bit field of event flags (128 = last message of the event).</param>
    /// <param name="depth">The book level the event touched (0 for trades).</param>
    /// <param name="tsRecv">The capture time in nanoseconds.</param>
    /// <param name="tsInDelta">The sending delay in nanoseconds before <paramref name="tsRecv"/>.</param>
    /// <param name="sequence">The venue's message sequence number.</param>
    public TradeMsg(RecordHeader header, DbnPrice price, uint size, char action, char side, byte flags, byte depth, ulong tsRecv, int tsInDelta, uint sequence)
    {
        _header = header.WithLength(EncodedSize);
        _price = price;
        _size = size;
        _action = (byte)action;
        _side = (byte)side;
        _flags = flags;
        _depth = depth;
        _tsRecv = tsRecv;
        _tsInDelta = tsInDelta;
        _sequence = sequence;
    }

    /// <summary>The record size: 48 bytes.</summary>
    public static int EncodedSize => 48;

    /// <inheritdoc/>
    public RecordHeader Header => _header;

    /// <summary>The trade price.</summary>
    public DbnPrice Price => _price;

    /// <summary>The trade size.</summary>
    public uint Size => _size;

    /// <summary>The event action: <c>'T'</c> trade (MBP-1 also uses <c>'A'</c> add, <c>'C'</c> cancel, <c>'M'</c> modify…).</summary>
    public char Action => (char)_action;

    /// <summary>The aggressor side: <c>'B'</c> buy, <c>'A'</c> sell, <c>'N'</c> none.</summary>
    public char Side => (char)_side;

    /// <summary>The event flags (128 = F_LAST, 64 = F_TOB, 32 = F_SNAPSHOT, 16 = F_MBP, 8 = F_BAD_TS_RECV, 4 = F_MAYBE_BAD_BOOK).</summary>
    public byte Flags => _flags;

    /// <summary>The book level the event touched.</summary>
    public byte Depth => _depth;

    /// <summary>The capture-server receive time in nanoseconds since the Unix epoch.</summary>
    public ulong TsRecv => _tsRecv;

    /// <summary>The matching-engine sending time in nanoseconds before <see cref="TsRecv"/>.</summary>
    public int TsInDelta => _tsInDelta;

    /// <summary>The venue's message sequence number.</summary>
    public uint Sequence => _sequence;

    /// <inheritdoc/>
    public static bool HasRType(byte rtype) => rtype == DbnRType.Mbp0;
}
