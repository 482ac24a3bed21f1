using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <summary>
/// Top of book with the event that changed it (schemas <c>mbp-1</c> and <c>tbbo</c>, rtype MBP-1): 80 bytes in every
/// DBN version.
/// </summary>
/// <remarks>
/// In <c>tbbo</c> every record is a trade (<see cref="Action"/> <c>'T'</c>) and <see cref="Level"/> is the book
/// <b>before</b> it; in <c>mbp-1</c> the level is the book after the event.
/// </remarks>
/// <seealso href="https://databento.com/docs/schemas-and-data-formats/mbp-1"/>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Mbp1Msg : IDbnRecord
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
    private readonly BidAskPair _level;

    /// <summary>Creates a record; the header's length is set to 80 bytes.</summary>
    /// <param name="header">The header (rtype <see cref="DbnRType.Mbp1"/>).</param>
    /// <param name="price">The event's order price.</param>
    /// <param name="size">The event's order size.</param>
    /// <param name="action">The action: <c>'A'</c> add, <c>'C'</c> cancel, <c>'M'</c> modify, <c>'T'</c> trade… (ASCII).</param>
    /// <param name="side">The side: <c>'A'</c>, <c>'B'</c> or <c>'N'</c> (ASCII).</param>
    /// <param name="flags">The event flags.</param>
    /// <param name="depth">The book level the event touched.</param>
    /// <param name="tsRecv">The capture time in nanoseconds.</param>
    /// <param name="tsInDelta">The sending delay in nanoseconds before <paramref name="tsRecv"/>.</param>
    /// <param name="sequence">The venue's message sequence number.</param>
    /// <param name="level">The top of book.</param>
    public Mbp1Msg(RecordHeader header, DbnPrice price, uint size, char action, char side, byte flags, byte depth, ulong tsRecv, int tsInDelta, uint sequence, BidAskPair level)
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
        _level = level;
    }

    /// <summary>The record size: 80 bytes.</summary>
    public static int EncodedSize => 80;

    /// <inheritdoc/>
    public RecordHeader Header => _header;

    /// <summary>The event's order price.</summary>
    public DbnPrice Price => _price;

    /// <summary>The event's order size.</summary>
    public uint Size => _size;

    /// <summary>The event action: <c>'A'</c> add, <c>'C'</c> cancel, <c>'M'</c> modify, <c>'T'</c> trade, <c>'F'</c> fill, <c>'R'</c> clear.</summary>
    public char Action => (char)_action;

    /// <summary>The side: <c>'B'</c> bid, <c>'A'</c> ask, <c>'N'</c> none (for trades, the aggressor).</summary>
    public char Side => (char)_side;

    /// <summary>The event flags.</summary>
    public byte Flags => _flags;

    /// <summary>The book level the event touched.</summary>
    public byte Depth => _depth;

    /// <summary>The capture-server receive time in nanoseconds since the Unix epoch.</summary>
    public ulong TsRecv => _tsRecv;

    /// <summary>The matching-engine sending time in nanoseconds before <see cref="TsRecv"/>.</summary>
    public int TsInDelta => _tsInDelta;

    /// <summary>The venue's message sequence number.</summary>
    public uint Sequence => _sequence;

    /// <summary>The top of book.</summary>
    public BidAskPair Level => _level;

    /// <inheritdoc/>
    public static bool HasRType(byte rtype) => rtype == DbnRType.Mbp1;
}
