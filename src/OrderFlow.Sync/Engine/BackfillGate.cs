using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// Holds live input back after a feed drop until the outage's backfill is merged, so a chart never takes live
/// candles over a hole: live candles wait (at most a live buffer of them per series), ticks are dropped (the backfill
/// covers their minutes). Guarded by the engine's lock.
/// </summary>
internal sealed class BackfillGate(TimeProvider time)
{
    private readonly Dictionary<SeriesKey, SortedDictionary<long, Candle>> _deferred = [];
    private readonly HashSet<SeriesKey> _awaiting = [];
    private long _connectedTimestamp;

    public int Awaiting => _awaiting.Count;

    /// <summary>The feed dropped: every series waits for its backfill.</summary>
    public void Close(IEnumerable<SyncSeries> series)
    {
        foreach (var s in series)
        {
            _awaiting.Add(new SeriesKey(s.Symbol, s.Timeframe));
        }
    }

    public void Connected() => _connectedTimestamp = time.GetTimestamp();

    public bool IsAwaiting(Symbol symbol, Timeframe timeframe) => _awaiting.Contains(new SeriesKey(symbol, timeframe));

    /// <summary>Keeps a live candle for after the backfill; true when the series is waiting (the candle is held or, beyond the bound, dropped).</summary>
    public bool TryDefer(Symbol symbol, Timeframe timeframe, in Candle candle, int bound)
    {
        var key = new SeriesKey(symbol, timeframe);
        if (!_awaiting.Contains(key))
        {
            return false;
        }

        if (!_deferred.TryGetValue(key, out var held))
        {
            _deferred[key] = held = [];
        }

        if (held.Count < bound || held.ContainsKey(candle.OpenTime))
        {
            held[candle.OpenTime] = candle;
        }

        return true;
    }

    /// <summary>Opens the gate for one series; returns the candles it held back, oldest first.</summary>
    public Candle[] Open(Symbol symbol, Timeframe timeframe)
    {
        var key = new SeriesKey(symbol, timeframe);
        if (!_awaiting.Remove(key) || !_deferred.Remove(key, out var held))
        {
            return [];
        }

        return [.. held.Values];
    }

    /// <summary>The series still waiting, for opening them all (backfill done, or timed out).</summary>
    public SeriesKey[] AwaitingSeries() => [.. _awaiting];

    /// <summary>Whether the backfill has been awaited for longer than <paramref name="timeout"/> since the reconnect.</summary>
    public bool TimedOut(TimeSpan timeout) => _awaiting.Count > 0 && time.GetElapsedTime(_connectedTimestamp) >= timeout;
}
