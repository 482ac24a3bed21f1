namespace OrderFlow.Databento;

/// <summary>The record type (<c>rtype</c>) byte of the DBN record header: which record follows.</summary>
/// <remarks>
/// Values not listed here can appear (newer schemas); readers skip them by their length and never misread them.
/// </remarks>
/// <seealso href="https://databento.com/docs/standards-and-conventions/common-fields-enums-types#rtype"/>
public static class DbnRType
{
    /// <summary>0x00: a trade (MBP-0, the <c>trades</c> schema): <see cref="TradeMsg"/>.</summary>
    public const byte Mbp0 = 0x00;

    /// <summary>0x01: top of book with the last event (<c>mbp-1</c> and <c>tbbo</c>): <see cref="Mbp1Msg"/>.</summary>
    public const byte Mbp1 = 0x01;

    /// <summary>0x0A: ten levels of book (<c>mbp-10</c>); not decoded, skipped by length.</summary>
    public const byte Mbp10 = 0x0A;

    /// <summary>0x11: the deprecated OHLCV rtype of early DBN files: <see cref="OhlcvMsg"/>.</summary>
    public const byte OhlcvDeprecated = 0x11;

    /// <summary>0x12: trading status; not decoded.</summary>
    public const byte Status = 0x12;

    /// <summary>0x13: an instrument definition: <see cref="InstrumentDefView"/>.</summary>
    public const byte InstrumentDef = 0x13;

    /// <summary>0x14: auction imbalance; not decoded.</summary>
    public const byte Imbalance = 0x14;

    /// <summary>0x15: an error from the Live gateway: <see cref="GatewayTextView"/>.</summary>
    public const byte Error = 0x15;

    /// <summary>0x16: a symbol mapping (Live): <see cref="SymbolMappingView"/>.</summary>
    public const byte SymbolMapping = 0x16;

    /// <summary>0x17: a system message or heartbeat (Live): <see cref="GatewayTextView"/>.</summary>
    public const byte System = 0x17;

    /// <summary>0x18: a venue statistic; not decoded.</summary>
    public const byte Statistics = 0x18;

    /// <summary>0x20: a one-second bar: <see cref="OhlcvMsg"/>.</summary>
    public const byte Ohlcv1S = 0x20;

    /// <summary>0x21: a one-minute bar: <see cref="OhlcvMsg"/>.</summary>
    public const byte Ohlcv1M = 0x21;

    /// <summary>0x22: a one-hour bar: <see cref="OhlcvMsg"/>.</summary>
    public const byte Ohlcv1H = 0x22;

    /// <summary>0x23: a daily bar: <see cref="OhlcvMsg"/>.</summary>
    public const byte Ohlcv1D = 0x23;

    /// <summary>0x24: an end-of-day bar: <see cref="OhlcvMsg"/>.</summary>
    public const byte OhlcvEod = 0x24;

    /// <summary>0xA0: a market-by-order event; not decoded.</summary>
    public const byte Mbo = 0xA0;

    /// <summary>Whether the rtype is one of the OHLCV record types (0x11, 0x20–0x24).</summary>
    /// <param name="rtype">The rtype.</param>
    /// <returns>Whether an <see cref="OhlcvMsg"/> follows.</returns>
    public static bool IsOhlcv(byte rtype) => rtype is OhlcvDeprecated or (>= Ohlcv1S and <= OhlcvEod);

    /// <summary>A short name for an rtype, for messages: <c>ohlcv-1m</c>, <c>trade</c>, <c>unknown</c>.</summary>
    /// <param name="rtype">The rtype.</param>
    /// <returns>The name.</returns>
    public static string Describe(byte rtype) => rtype switch
    {
        Mbp0 => "trade",
        Mbp1 => "mbp-1",
        Mbp10 => "mbp-10",
        OhlcvDeprecated => "ohlcv (deprecated)",
        Status => "status",
        InstrumentDef => "definition",
        Imbalance => "imbalance",
        Error => "error",
        SymbolMapping => "symbol mapping",
        System => "system",
        Statistics => "statistics",
        Ohlcv1S => "ohlcv-1s",
        Ohlcv1M => "ohlcv-1m",
        Ohlcv1H => "ohlcv-1h",
        Ohlcv1D => "ohlcv-1d",
        OhlcvEod => "ohlcv-eod",
        Mbo => "mbo",
        _ => "unknown",
    };

    /// <summary>The rtype whose records a schema holds, or <see langword="null"/> for schemas without a single one.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The rtype.</returns>
    public static byte? FromSchema(DbnSchema schema) => schema switch
    {
        DbnSchema.Mbo => Mbo,
        DbnSchema.Mbp10 => Mbp10,
        DbnSchema.Mbp1 or DbnSchema.Tbbo => Mbp1,
        DbnSchema.Trades => Mbp0,
        DbnSchema.Ohlcv1S => Ohlcv1S,
        DbnSchema.Ohlcv1M => Ohlcv1M,
        DbnSchema.Ohlcv1H => Ohlcv1H,
        DbnSchema.Ohlcv1D => Ohlcv1D,
        DbnSchema.OhlcvEod => OhlcvEod,
        DbnSchema.Definition => InstrumentDef,
        DbnSchema.Statistics => Statistics,
        DbnSchema.Status => Status,
        DbnSchema.Imbalance => Imbalance,
        _ => null,
    };

    /// <summary>
    /// The smallest length, in bytes, a record of this rtype has in a DBN version; 16 (the header) for rtypes this
    /// package does not decode.
    /// </summary>
    /// <param name="rtype">The rtype.</param>
    /// <param name="version">The DBN version (1–3).</param>
    /// <returns>The minimum record length.</returns>
    public static int MinSize(byte rtype, byte version) => rtype switch
    {
        Mbp0 => TradeMsg.EncodedSize,
        Mbp1 => Mbp1Msg.EncodedSize,
        OhlcvDeprecated or (>= Ohlcv1S and <= OhlcvEod) => OhlcvMsg.EncodedSize,
        InstrumentDef => InstrumentDefView.SizeFor(version),
        SymbolMapping => SymbolMappingView.SizeFor(version),
        Error or System => GatewayTextView.SizeFor(version),
        _ => DbnConstants.RecordHeaderSize,
    };
}
