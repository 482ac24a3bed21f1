using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.MarketData;
using OrderFlow.Redis;

namespace OrderFlow.Sync.Engine;

/// <summary>
/// Writes charts: those history changed as soon as it changes them, and every
/// <see cref="CandleSyncOptions.ChartSyncInterval"/> every chart (an unchanged one only has its TTL refreshed; a key
/// the store lost is written again). A chart whose stored copy was never read is not written: it would replace a
/// stored year with what this run has seen.
/// </summary>
internal sealed class ChartWriter(SyncState state, IChartStore store, SyncCounters counters, CandleSyncOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);

    private enum Pass
    {
        /// <summary>Charts that history changed since the writer last took them.</summary>
        Pending,

        /// <summary>Every chart (the periodic sync: TTLs refreshed, lost keys restored).</summary>
        All,

        /// <summary>Charts changed since their last successful write (the final flush).</summary>
        Changed,
    }

    public void Signal() => _signal.Release();

    public int PendingCount()
    {
        lock (state.Lock)
        {
            return state.Series.Count(s => s.HasChart && s.ChartVersion != s.StoredVersion);
        }
    }

    /// <summary>Runs the periodic sync; <paramref name="beforeFullPass"/> runs before each full pass (restores, trims, timeouts).</summary>
    public async Task RunAsync(Func<CancellationToken, Task> beforeFullPass, Action afterFullPass, CancellationToken cancellationToken)
    {
        var interval = options.ChartSyncInterval;
        var next = time.GetTimestamp() + Ticks(interval);
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = TimeSpan.FromSeconds((next - time.GetTimestamp()) / (double)time.TimestampFrequency);
            var full = remaining <= TimeSpan.Zero || !await Signals.WaitAsync(_signal, remaining, time, cancellationToken).ConfigureAwait(false);
            if (full)
            {
                next = time.GetTimestamp() + Ticks(interval);
                await beforeFullPass(cancellationToken).ConfigureAwait(false);
            }

            await WriteAsync(full ? Pass.All : Pass.Pending, cancellationToken).ConfigureAwait(false);
            if (full)
            {
                afterFullPass();
            }
        }
    }

    /// <summary>Writes every chart changed since its last successful write.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => WriteAsync(Pass.Changed, cancellationToken);

    public void Dispose() => _signal.Dispose();

    private long Ticks(TimeSpan interval) => (long)(interval.TotalSeconds * time.TimestampFrequency);

    private async Task WriteAsync(Pass pass, CancellationToken cancellationToken)
    {
        foreach (var s in state.Series)
        {
            if (pass == Pass.All && await TryTouchAsync(s, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            ChartChanges changes;
            Candle[] tail;
            long version;
            lock (state.Lock)
            {
                if (!s.Restored || !s.HasChart
                    || (pass == Pass.Pending && !s.ChartPending)
                    || (pass == Pass.Changed && s.ChartVersion == s.StoredVersion))
                {
                    continue;
                }

                // Only what changed since the last write is copied and sent: a live minute is a candle or two, not a year.
                s.ChartPending = false;
                changes = s.Book.TakeChanges(s.Timeframe);
                tail = changes.IsReset ? [] : s.Book.GetChart(s.Timeframe)[changes.FirstChanged..].ToArray();
                version = s.ChartVersion;
            }

            try
            {
                if (changes.IsReset || !await store.SaveChartChangesAsync(s.Symbol, s.Timeframe, changes, tail, cancellationToken).ConfigureAwait(false))
                {
                    // The store wants it whole: it never wrote it, lost it, or compacts it. Rare, so the copy is made here.
                    Candle[] snapshot;
                    lock (state.Lock)
                    {
                        s.Book.TakeChanges(s.Timeframe);
                        snapshot = s.Book.GetChart(s.Timeframe).ToArray();
                        version = s.ChartVersion;
                    }

                    await store.SaveChartAsync(s.Symbol, s.Timeframe, snapshot, cancellationToken).ConfigureAwait(false);
                }

                counters.StoreSucceeded();
                lock (state.Lock)
                {
                    s.ChartStored = true;
                    s.StoredVersion = version;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A store failure must never stop the chart sync: logged, counted, retried at the next interval.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                counters.StoreFailed("chart", new SeriesKey(s.Symbol, s.Timeframe), ex);
            }
        }
    }

    /// <summary>
    /// Keeps an unchanged, stored chart alive with a TTL refresh instead of serialising it again (a year of 1m candles
    /// is megabytes of JSON). False when the chart changed, was never stored, or the store lost it: then it is saved.
    /// True also when the store failed (logged and counted; the next interval tries again).
    /// </summary>
    private async Task<bool> TryTouchAsync(SyncSeries s, CancellationToken cancellationToken)
    {
        lock (state.Lock)
        {
            if (!s.Restored || !s.HasChart || !s.ChartStored || s.ChartPending || s.ChartVersion != s.StoredVersion)
            {
                return false;
            }
        }

        try
        {
            if (await store.TouchChartAsync(s.Symbol, s.Timeframe, cancellationToken).ConfigureAwait(false))
            {
                counters.StoreSucceeded();
                return true;
            }

            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // As for a save: logged, counted, retried at the next interval (a save now would fail the same way).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            counters.StoreFailed("chart", new SeriesKey(s.Symbol, s.Timeframe), ex);
            return true;
        }
    }
}
