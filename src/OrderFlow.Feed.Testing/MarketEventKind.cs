namespace OrderFlow.Feed.Testing;

/// <summary>What a <see cref="MarketEvent"/> carries.</summary>
public enum MarketEventKind
{
    /// <summary>Nothing (the default value).</summary>
    None = 0,

    /// <summary>A trade, sent as a <c>tick</c> message.</summary>
    Tick = 1,

    /// <summary>A live candle update, sent as a <c>candle</c> message.</summary>
    Candle = 2,
}
