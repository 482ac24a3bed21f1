namespace OrderFlow.Databento;

/// <summary>A Databento schema: the kind of records a DBN stream holds (the metadata's <c>schema</c> field).</summary>
/// <remarks>
/// The numeric values are DBN's. A mixed-schema stream (such as a Live session subscribed to several schemas)
/// has no schema: <see cref="DbnMetadata.Schema"/> is <see langword="null"/> (0xFFFF on the wire).
/// </remarks>
/// <seealso href="https://databento.com/docs/schemas-and-data-formats"/>
public enum DbnSchema
{
    /// <summary><c>mbo</c>: market by order.</summary>
    Mbo = 0,

    /// <summary><c>mbp-1</c>: market by price, top of book.</summary>
    Mbp1 = 1,

    /// <summary><c>mbp-10</c>: market by price, 10 levels.</summary>
    Mbp10 = 2,

    /// <summary><c>tbbo</c>: trades with the book before each trade.</summary>
    Tbbo = 3,

    /// <summary><c>trades</c>: every trade.</summary>
    Trades = 4,

    /// <summary><c>ohlcv-1s</c>: one-second bars.</summary>
    Ohlcv1S = 5,

    /// <summary><c>ohlcv-1m</c>: one-minute bars.</summary>
    Ohlcv1M = 6,

    /// <summary><c>ohlcv-1h</c>: one-hour bars.</summary>
    Ohlcv1H = 7,

    /// <summary><c>ohlcv-1d</c>: daily bars (UTC days).</summary>
    Ohlcv1D = 8,

    /// <summary><c>definition</c>: instrument definitions.</summary>
    Definition = 9,

    /// <summary><c>statistics</c>: venue statistics.</summary>
    Statistics = 10,

    /// <summary><c>status</c>: trading status.</summary>
    Status = 11,

    /// <summary><c>imbalance</c>: auction imbalance.</summary>
    Imbalance = 12,

    /// <summary><c>ohlcv-eod</c>: end-of-day bars (trading sessions).</summary>
    OhlcvEod = 13,

    /// <summary><c>cmbp-1</c>: consolidated top of book.</summary>
    Cmbp1 = 14,

    /// <summary><c>cbbo-1s</c>: consolidated BBO sampled every second.</summary>
    Cbbo1S = 15,

    /// <summary><c>cbbo-1m</c>: consolidated BBO sampled every minute.</summary>
    Cbbo1M = 16,

    /// <summary><c>tcbbo</c>: trades with the consolidated BBO.</summary>
    Tcbbo = 17,

    /// <summary><c>bbo-1s</c>: BBO sampled every second.</summary>
    Bbo1S = 18,

    /// <summary><c>bbo-1m</c>: BBO sampled every minute.</summary>
    Bbo1M = 19,
}
