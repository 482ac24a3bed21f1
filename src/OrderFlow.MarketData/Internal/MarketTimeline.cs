using System.Runtime.CompilerServices;

namespace OrderFlow.MarketData.Internal;

/// <summary>
/// The live side of an in-process market (synthetic or replayed): market time that runs <c>speed</c> times as fast
/// as a clock from a starting point, the events the market produces while someone streams it, and the stream loop
/// that hands them out in batches and waits, on the clock, until the next is due.
/// </summary>
/// <remarks>
/// The owner produces events under its own lock into <see cref="Pending"/> (<see langword="null"/> while nobody
/// streams: the market then moves on without recording them), from its history requests as well as from the stream
/// loop. So a history answer made between two batches is followed by the events of the trades it already counts.
/// </remarks>
/// <param name="gate">The owner's lock.</param>
/// <param name="time">The clock.</param>
/// <param name="startedAt">The clock's time at which market time is <paramref name="startMs"/>.</param>
/// <param name="startMs">Market time at the start, in Unix milliseconds.</param>
/// <param name="speed">How many times as fast as the clock market time runs.</param>
internal sealed class MarketTimeline(Lock gate, TimeProvider time, DateTimeOffset startedAt, long startMs, double speed)
{
    /// <summary>Where the owner adds the events it produces; <see langword="null"/> while nobody streams. Guarded by the owner's lock.</summary>
    public List<MarketDataEvent>? Pending { get; private set; }

    /// <summary>How many times as fast as the clock market time runs.</summary>
    public double Speed => speed;

    /// <summary>Market time now: the start plus the clock's elapsed time times the speed, in Unix milliseconds.</summary>
    public long NowMs()
    {
        var elapsedMs = (time.GetUtcNow() - startedAt).Ticks / (double)TimeSpan.TicksPerMillisecond;
        return startMs + (long)Math.Floor(Math.Max(0, elapsedMs) * speed);
    }

    /// <summary>
    /// Streams the market's events: under the lock, <paramref name="advance"/> produces everything due by now into
    /// <see cref="Pending"/> and returns when the next event is due (<see cref="long.MaxValue"/>: never, and the stream
    /// ends); the batch is handed out, then the loop waits on the clock until that time.
    /// </summary>
    /// <param name="advance">Called under the lock with market time now.</param>
    /// <param name="busy">The message when another enumeration is running.</param>
    /// <param name="cancellationToken">Stops the stream (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    public async IAsyncEnumerable<MarketDataEvent> StreamAsync(Func<long, long> advance, string busy, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (Pending is not null)
            {
                ThrowHelper.ThrowInvalidOperation(busy);
            }

            Pending = [];
        }

        try
        {
            var batch = new List<MarketDataEvent>();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long nextDueMs;
                lock (gate)
                {
                    nextDueMs = advance(NowMs());
                    (batch, Pending) = (Pending!, batch);
                }

                foreach (var e in batch)
                {
                    yield return e;
                }

                batch.Clear();
                if (nextDueMs == long.MaxValue)
                {
                    yield break;
                }

                var waitMs = (nextDueMs - NowMs()) / speed;
                if (waitMs > 0)
                {
                    var wait = TimeSpan.FromMilliseconds(Math.Clamp(Math.Ceiling(waitMs), 1, int.MaxValue - 1));
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            lock (gate)
            {
                Pending = null;
            }
        }
    }
}
