namespace OrderFlow.MarketData;

/// <summary>The connection states a feed source reports through <see cref="MarketDataEventKind.Connection"/> events.</summary>
public enum SourceConnectionState
{
    /// <summary>Not connected yet (the default value).</summary>
    None = 0,

    /// <summary>Connected; history requests for every subscription have been sent.</summary>
    Connected = 1,

    /// <summary>The connection was lost or could not be made; <see cref="MarketDataEvent.Message"/> says why.</summary>
    Disconnected = 2,

    /// <summary>Waiting before reconnect attempt <see cref="MarketDataEvent.Attempt"/>.</summary>
    Reconnecting = 3,

    /// <summary>
    /// After a reconnect, every subscription's backfill has arrived: each covers the outage, or its hole has been
    /// reported as a <see cref="MarketDataEventKind.LiveGap"/>.
    /// </summary>
    Backfilled = 4,
}
