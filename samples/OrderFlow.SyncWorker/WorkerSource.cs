namespace OrderFlow.SyncWorker;

/// <summary>Where the worker's market data comes from: the value of the <c>Source</c> setting.</summary>
/// <remarks>
/// Synthetic or replayed prices reach a configured Redis only when <see cref="Synthetic"/> or <see cref="Replay"/>
/// is chosen in words: <see cref="Feed"/> without <c>Feed:Url</c> falls back to the synthetic market only in the
/// in-memory dry run.
/// </remarks>
internal enum WorkerSource
{
    /// <summary><c>feed</c>, the default: the WebSocket feed at <c>Feed:Url</c>.</summary>
    Feed,

    /// <summary><c>databento</c>: Databento's Live gateway (and its Historical API when configured).</summary>
    Databento,

    /// <summary><c>replay</c>: the DBN files of <c>SyntheticFeed:Dbn</c>, replayed in process (no socket).</summary>
    Replay,

    /// <summary><c>synthetic</c>: the synthetic market, in process (no socket). Its prices are fake.</summary>
    Synthetic,
}
