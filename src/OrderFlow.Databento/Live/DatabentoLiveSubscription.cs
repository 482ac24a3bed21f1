namespace OrderFlow.Databento;

/// <summary>One subscription of a Databento Live session: a schema, an input symbology and symbols.</summary>
/// <remarks>
/// The defaults — <see cref="DbnSchema.Ohlcv1M"/> with <see cref="DbnSType.Continuous"/> symbols such as
/// <c>GC.c.0</c> (the front month by calendar) — give one instrument per root. A parent symbol (<c>GC.FUT</c>,
/// <see cref="DbnSType.Parent"/>) returns every expiry, which all map to the same root.
/// </remarks>
/// <seealso href="https://databento.com/docs/api-reference-live/client-control-messages/subscription-request?live=raw"/>
public sealed class DatabentoLiveSubscription
{
    /// <summary>The schema (<c>ohlcv-1m</c>, <c>trades</c>, …). Default <see cref="DbnSchema.Ohlcv1M"/>.</summary>
    public DbnSchema Schema { get; set; } = DbnSchema.Ohlcv1M;

    /// <summary>The symbology of <see cref="Symbols"/>: <c>raw_symbol</c>, <c>parent</c>, <c>continuous</c> or <c>instrument_id</c>. Default continuous.</summary>
    public DbnSType STypeIn { get; set; } = DbnSType.Continuous;

    /// <summary>The symbols, such as <c>GC.c.0</c>, <c>ES.FUT</c> or <c>ESZ4</c>; <c>ALL_SYMBOLS</c> for every one.</summary>
    public IList<string> Symbols { get; } = new List<string>();

    /// <summary>
    /// An optional start for intraday replay of the first session (inclusive, on <c>ts_event</c>, within the last
    /// 24 hours); <see langword="null"/> for live data only. Resumed sessions compute their own start.
    /// </summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>Creates a subscription.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="stypeIn">The symbology of <paramref name="symbols"/>.</param>
    /// <param name="symbols">The symbols.</param>
    /// <returns>The subscription.</returns>
    public static DatabentoLiveSubscription Create(DbnSchema schema, DbnSType stypeIn, params string[] symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var subscription = new DatabentoLiveSubscription { Schema = schema, STypeIn = stypeIn };
        foreach (var symbol in symbols)
        {
            subscription.Symbols.Add(symbol);
        }

        return subscription;
    }

    /// <summary>Describes the subscription (<c>ohlcv-1m continuous GC.c.0,SI.c.0</c>).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Schema.ToName()} {STypeIn.ToName()} {string.Join(',', Symbols)}";
}
