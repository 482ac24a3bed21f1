using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <summary>One book level of an MBP record: the best bid and ask prices, sizes and order counts (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BidAskPair
{
    private readonly DbnPrice _bidPx;
    private readonly DbnPrice _askPx;
    private readonly uint _bidSz;
    private readonly uint _askSz;
    private readonly uint _bidCt;
    private readonly uint _askCt;

    /// <summary>Creates a level.</summary>
    /// <param name="bidPx">The bid price.</param>
    /// <param name="askPx">The ask price.</param>
    /// <param name="bidSz">The bid size.</param>
    /// <param name="askSz">The ask size.</param>
    /// <param name="bidCt">The number of bid orders.</param>
    /// <param name="askCt">The number of ask orders.</param>
    public BidAskPair(DbnPrice bidPx, DbnPrice askPx, uint bidSz, uint askSz, uint bidCt, uint askCt)
    {
        _bidPx = bidPx;
        _askPx = askPx;
        _bidSz = bidSz;
        _askSz = askSz;
        _bidCt = bidCt;
        _askCt = askCt;
    }

    /// <summary>The bid price; undefined when the side is empty.</summary>
    public DbnPrice BidPx => _bidPx;

    /// <summary>The ask price; undefined when the side is empty.</summary>
    public DbnPrice AskPx => _askPx;

    /// <summary>The bid size.</summary>
    public uint BidSz => _bidSz;

    /// <summary>The ask size.</summary>
    public uint AskSz => _askSz;

    /// <summary>The number of bid orders.</summary>
    public uint BidCt => _bidCt;

    /// <summary>The number of ask orders.</summary>
    public uint AskCt => _askCt;
}
