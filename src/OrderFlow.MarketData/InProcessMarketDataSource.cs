using System.Threading.Channels;
using OrderFlow.Candles;
using OrderFlow.MarketData.Internal;

namespace OrderFlow.MarketData;

/// <summary>
/// The <see cref="IMarketDataSource"/> of a market that lives in this process — a simulation or a recording: history
/// computed on request and one live stream, handed to the consumer directly, with no socket and no serialisation.
/// </summary>
/// <remarks>
/// <para>
/// A derived class supplies the market: <see cref="Symbols"/>, <see cref="GetHistoryAsync"/> (also what a feed server
/// answers its clients with, see <see cref="IHistorySource"/>) and <see cref="StreamAsync"/>. This class turns it
/// into the contract: <see cref="StartAsync"/> reports <see cref="SourceConnectionState.Connected"/> (nothing can
/// disconnect, so nothing is ever backfilled), every <see cref="SubscribeAsync"/> is answered with a
/// <see cref="MarketDataEventKind.History"/> event computed by <see cref="GetHistoryAsync"/>, and the live stream's
/// ticks and candles follow as they come. A live stream that fails is reported as one
/// <see cref="MarketDataEventKind.ServerError"/> event; history is still answered. A finite recording that ends
/// just stops sending live events.
/// </para>
/// <para>
/// <b>Back-pressure.</b> Events wait in a bounded queue (<see cref="EventCapacity"/>); when the consumer falls that
/// far behind, the live stream and the history answers wait for it (the market then catches up in one batch), so
/// memory stays bounded and nothing is dropped.
/// </para>
/// <para>
/// Start once; one consumer reads <see cref="ReadEventsAsync"/>. <see cref="DisposeAsync"/> stops the background
/// work and ends the enumeration; <see cref="GetHistoryAsync"/> keeps working after it. Thread-safe.
/// </para>
/// </remarks>
public abstract class InProcessMarketDataSource : IMarketDataSource, IHistorySource
{
    /// <summary>How many events wait for the consumer at most before the market waits for it.</summary>
    public const int EventCapacity = 8192;

    private readonly Lock _lock = new();
    // Synchronous continuations: a waiting consumer handles each event on the thread that made it, as soon as it is
    // made, as it would have read the market's stream itself (on a fake clock: within the test's Advance call).
    private readonly Channel<MarketDataEvent> _events = Channel.CreateBounded<MarketDataEvent>(
        new BoundedChannelOptions(EventCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait, AllowSynchronousContinuations = true });

    private readonly Dictionary<SeriesKey, int> _requests = [];
    private readonly SemaphoreSlim _requested = new(0);
    private CancellationTokenSource? _stopping;
    private Task? _run;
    private bool _disposed;

    /// <inheritdoc/>
    public abstract IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>Whether <see cref="StartAsync"/> has run and the source has not been disposed since.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _run is not null && !_disposed;
            }
        }
    }

    /// <inheritdoc/>
    public abstract ValueTask<Candle[]> GetHistoryAsync(Symbol symbol, Timeframe timeframe, int bars, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the market's live ticks and candle updates as its clock reaches them, until
    /// <paramref name="cancellationToken"/> is cancelled (or, for a finite recording, until it ends).
    /// </summary>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>Tick and candle events, in time order per symbol.</returns>
    /// <remarks>
    /// The raw stream, for one reader at a time: once the source is started, its own background loop is that reader
    /// and the consumer reads <see cref="ReadEventsAsync"/>. Enumerate it directly only on a source that is not started.
    /// </remarks>
    public abstract IAsyncEnumerable<MarketDataEvent> StreamAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The source was already started, or has been disposed.</exception>
    public ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_run is not null || _disposed)
            {
                ThrowHelper.ThrowInvalidOperation($"{this} was already started (or disposed); an in-process source runs once.");
            }

            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _run = Task.Run(() => RunAsync(token), CancellationToken.None);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Never waits: the request is recorded and answered by the background loop once the source is started (so
    /// subscriptions made before <see cref="StartAsync"/> are answered right after the connected event). A second
    /// request for a series not answered yet replaces the first. Ignored after disposal.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="historyBars"/> is less than 1.</exception>
    public ValueTask SubscribeAsync(Symbol symbol, Timeframe timeframe, int historyBars, CancellationToken cancellationToken = default)
    {
        if (historyBars < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(historyBars), historyBars, "historyBars must be at least 1.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _requests[new SeriesKey(symbol, timeframe)] = historyBars;
            _requested.Release();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>The enumeration ends when the source is disposed.</remarks>
    public IAsyncEnumerable<MarketDataEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Describes the source for logs: what market, what recording, how fast.</summary>
    /// <returns>For example <c>synthetic market GC SI CL ES NQ, origin 2024-01-02T14:00:00.000Z, speed 1</c>.</returns>
    public abstract override string ToString();

    /// <summary>Stops the background loop and ends <see cref="ReadEventsAsync"/>; calling it again does nothing.</summary>
    /// <returns>A task that completes when the background loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        Task? run;
        CancellationTokenSource? stopping;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            (run, stopping) = (_run, _stopping);
        }

        if (stopping is not null)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        if (run is not null)
        {
            await run.ConfigureAwait(false);
        }

        _events.Writer.TryComplete();
        stopping?.Dispose();
        _requested.Dispose();
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a derived class holds, after the background loop has ended.</summary>
    /// <returns>A task that completes when it is released.</returns>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _events.Writer.WriteAsync(MarketDataEvent.ForConnection(SourceConnectionState.Connected, ToString()), cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(AnswerHistoryAsync(cancellationToken), PumpLiveAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private async Task PumpLiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in StreamAsync(cancellationToken).ConfigureAwait(false))
            {
                if (e.Kind is MarketDataEventKind.Tick or MarketDataEventKind.Candle)
                {
                    await _events.Writer.WriteAsync(e, cancellationToken).ConfigureAwait(false);
                }
            }
        }
#pragma warning disable CA1031 // A failing market is reported to the consumer, which logs it; history is still answered.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            await _events.Writer.WriteAsync(MarketDataEvent.ForServerError($"{this}: the live stream failed: {ex.Message}"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AnswerHistoryAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _requested.WaitAsync(cancellationToken).ConfigureAwait(false);
            KeyValuePair<SeriesKey, int>[] due;
            lock (_lock)
            {
                due = [.. _requests];
                _requests.Clear();
            }

            foreach (var (series, bars) in due)
            {
                MarketDataEvent answer;
                try
                {
                    var candles = await GetHistoryAsync(series.Symbol, series.Timeframe, bars, cancellationToken).ConfigureAwait(false);
                    answer = MarketDataEvent.ForHistory(series.Symbol, series.Timeframe, candles, 0, isBackfill: false);
                }
#pragma warning disable CA1031 // One failed answer is reported, as a server reports it; the next request may succeed.
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    answer = MarketDataEvent.ForServerError($"{this}: history of {series} failed: {ex.Message}");
                }

                await _events.Writer.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
