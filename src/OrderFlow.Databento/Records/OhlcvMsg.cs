using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <summary>
/// An open-high-low-close-volume bar (schemas <c>ohlcv-1s</c>, <c>ohlcv-1m</c>, <c>ohlcv-1h</c>, <c>ohlcv-1d</c>,
/// <c>ohlcv-eod</c>): 56 bytes in every DBN version.
/// </summary>
/// <remarks>
/// <see cref="RecordHeader.TsEvent"/> is the <b>open</b> time of the bar. Prices are fixed-point (<see cref="DbnPrice"/>);
/// the bar interval follows from the rtype (<see cref="DbnRType.Ohlcv1S"/> … <see cref="DbnRType.OhlcvEod"/>).
/// Convert to an OrderFlow candle with <see cref="DbnCandles.TryToCandle(in OhlcvMsg, out OrderFlow.Candles.Candle)"/>.
/// </remarks>
/// <seealso href="https://databento.com/docs/schemas-and-data-formats/ohlcv"/>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct OhlcvMsg : IDbnRecord
{
    private readonly RecordHeader _header;
    private readonly DbnPrice _open;
    private readonly DbnPrice _high;
    private readonly DbnPrice _low;
    private readonly DbnPrice _close;
    private readonly ulong _volume;

    /// <summary>Creates a bar; the header's length is set to 56 bytes.</summary>
    /// <param name="header">The header (rtype one of the OHLCV rtypes).</param>
    /// <param name="open">The open price.</param>
    /// <param name="high">The high price.</param>
    /// <param name="low">The low price.</param>
    /// <param name="close">The close price.</param>
    /// <param name="volume">The traded volume.</param>
    public OhlcvMsg(RecordHeader header, DbnPrice open, DbnPrice high, DbnPrice low, DbnPrice close, ulong volume)
    {
        _header = header.WithLength(EncodedSize);
        _open = open;
        _high = high;
        _low = low;
        _close = close;
        _volume = volume;
    }

    /// <summary>The record size: 56 bytes.</summary>
    public static int EncodedSize => 56;

    /// <inheritdoc/>
    public RecordHeader Header => _header;

    /// <summary>The open price.</summary>
    public DbnPrice Open => _open;

    /// <summary>The high price.</summary>
    public DbnPrice High => _high;

    /// <summary>The low price.</summary>
    public DbnPrice Low => _low;

    /// <summary>The close price.</summary>
    public DbnPrice Close => _close;

    /// <summary>The total volume traded in the interval.</summary>
    public ulong Volume => _volume;

    /// <inheritdoc/>
    public static bool HasRType(byte rtype) => DbnRType.IsOhlcv(rtype);
}
