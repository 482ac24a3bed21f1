namespace OrderFlow.Databento;

/// <summary>The text names Databento uses for schemas and symbology types (<c>ohlcv-1m</c>, <c>raw_symbol</c>).</summary>
public static class DbnNames
{
    private static readonly string[] SchemaNames =
    [
        "mbo", "mbp-1", "mbp-10", "tbbo", "trades", "ohlcv-1s", "ohlcv-1m", "ohlcv-1h", "ohlcv-1d", "definition",
        "statistics", "status", "imbalance", "ohlcv-eod", "cmbp-1", "cbbo-1s", "cbbo-1m", "tcbbo", "bbo-1s", "bbo-1m",
    ];

    private static readonly string[] STypeNames =
    [
        "instrument_id", "raw_symbol", "smart", "continuous", "parent", "nasdaq_symbol", "cms_symbol", "isin",
        "us_code", "bbg_comp_id", "bbg_comp_ticker", "figi", "figi_ticker",
    ];

    /// <summary>The Databento name of a schema, such as <c>ohlcv-1m</c>; the number for an unknown value.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The name.</returns>
    public static string ToName(this DbnSchema schema) =>
        (uint)schema < (uint)SchemaNames.Length ? SchemaNames[(int)schema] : ((int)schema).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The Databento name of a symbology type, such as <c>raw_symbol</c>; the number for an unknown value.</summary>
    /// <param name="stype">The symbology type.</param>
    /// <returns>The name.</returns>
    public static string ToName(this DbnSType stype) =>
        (uint)stype < (uint)STypeNames.Length ? STypeNames[(int)stype] : ((int)stype).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a Databento schema name such as <c>ohlcv-1m</c>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="schema">The schema.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseSchema(string? name, out DbnSchema schema)
    {
        var i = Array.IndexOf(SchemaNames, name);
        schema = (DbnSchema)Math.Max(i, 0);
        return i >= 0;
    }
}
