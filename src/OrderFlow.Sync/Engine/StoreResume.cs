using Microsoft.Extensions.Logging;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using OrderFlow.Sync.Diagnostics;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// Reads what the store holds (each chart and its live buffer) into the books, so a restart continues the stored
/// year instead of replacing it with the feed's first answer. A series the store could not be read for is tried
/// again before every full chart pass, and its chart is not written until then.
/// </summary>
internal sealed class StoreResume(SyncState state, IChartStore store, SyncCounters counters, ILogger logger, TimeProvider time)
{
    /// <summary>Restores every series not restored yet; returns how many remain.</summary>
    /// <remarks>The first failure ends the pass: a store that is down would otherwise cost a timeout per series.</remarks>
    public async Task<int> RestoreAsync(CancellationToken cancellationToken)
    {
        var remaining = 0;
        var failed = false;
        foreach (var s in state.Series)
        {
            lock (state.Lock)
            {
                if (s.Restored)
                {
                    continue;
                }
            }

            if (failed)
            {
                remaining++;
                continue;
            }

            try
            {
                var chart = await store.LoadChartAsync(s.Symbol, s.Timeframe, cancellationToken).ConfigureAwait(false) ?? [];
                var buffer = await store.LoadBufferAsync(s.Symbol, s.Timeframe, cancellationToken).ConfigureAwait(false) ?? [];

                // The current key is written with every live write; the buffer may hold an older state of its newest
                // candle (Redis:BufferRefreshInterval). The current candle is the newest of all, so it goes last.
                if (await store.LoadCurrentAsync(s.Symbol, s.Timeframe, cancellationToken).ConfigureAwait(false) is { } current
                    && (buffer.Length == 0 || current.OpenTime >= buffer[^1].OpenTime))
                {
                    buffer = buffer.Length > 0 && buffer[^1].OpenTime == current.OpenTime ? [.. buffer[..^1], current] : [.. buffer, current];
                }

                lock (state.Lock)
                {
                    var outcome = s.Book.Restore(s.Timeframe, chart, buffer, time.GetUtcNow());
                    counters.HistoryRejected(outcome.Rejections);
                    s.Restored = true;
                    if (!outcome.Changed.IsEmpty)
                    {
                        foreach (var changed in state.Find(s.Symbol, outcome.Changed))
                        {
                            changed.ChartPending = true;
                        }
                    }

                    Log.Restored(logger, s.Symbol.Value, s.Timeframe.Name, chart.Length, buffer.Length, outcome.ChartLength);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // The store being down must not stop the engine: the series is restored later, and not written before.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                remaining++;
                failed = true;
                counters.StoreFailed("restore", new SeriesKey(s.Symbol, s.Timeframe), ex);
            }
        }

        return remaining;
    }
}
