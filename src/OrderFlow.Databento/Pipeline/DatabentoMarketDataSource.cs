using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Candles;
using OrderFlow.Candles.Flow;
using OrderFlow.MarketData;

namespace OrderFlow.Databento;

/// <summary>
/// An <see cref="IMarketDataSource"/> over Databento: live 1-minute bars and trades from the Live gateway, history from
/// the Historical API — keyed by OrderFlow's root symbols (<c>GC</c>, <c>ES</c>, …), for the sync engine.
/// </summary>
/// <remarks>
/// <para>
/// <b>One instrument per root.</b> By default each root is subscribed as the continuous front month
/// (<c>GC.c.0</c>, stype_in <c>continuous</c>), so a root's candles come from one contract. A parent subscription
/// (<c>GC.FUT</c>) would deliver every expiry under the same root and mix them; configure one only with care.
/// </para>
/// <para>
/// <b>Events.</b> OHLCV-1m/1h/1d records become <see cref="MarketDataEventKind.Candle"/> events, trades become
/// <see cref="MarketDataEventKind.Tick"/>s (<see cref="Tick.ReceivedTimeMs"/> is our clock, <see cref="Tick.Side"/> the trade's
/// aggressor side; <c>tbbo</c>/<c>mbp-1</c> trades, when subscribed, likewise), gateway errors become
/// <see cref="MarketDataEventKind.ServerError"/>s. States: the first session → <see cref="SourceConnectionState.Connected"/>;
/// a lost connection → <see cref="SourceConnectionState.Disconnected"/>, then <see cref="SourceConnectionState.Reconnecting"/>;
/// a resumed session → <see cref="SourceConnectionState.Connected"/> while the Live intraday replay refills the outage (its
/// candles arrive as live candles), then <see cref="SourceConnectionState.Backfilled"/> when the gateway reports the
/// replay complete. An authentication failure → one <see cref="SourceConnectionState.Disconnected"/> event carrying the
/// reason (the masked key, never the key) and one log line (5005); the source then stops (not retried).
/// </para>
/// <para>
/// <b>Order flow.</b> The source sums each root's trade sizes per minute by aggressor side; a 1-minute bar of that
/// root and minute is published with those buy and sell volumes (<see cref="Candle.BuyVolume"/>,
/// <see cref="Candle.SellVolume"/>), so it does not wipe the flow of the candle the consumer built from the ticks.
/// Flow that exceeds the bar's volume (trades of another contract) is not attached; a minute whose trades were not all
/// received (trades not subscribed, or a replay that sends the bar before its trades) has the rest as unknown volume.
/// 1h and 1d bars and Historical answers (OHLCV schemas) carry no flow.
/// </para>
/// <para>
/// <b>History.</b> <see cref="SubscribeAsync"/> answers 1m, 1h and 1d from the Historical API (<c>ohlcv-1m/1h/1d</c> of
/// <c>{root}.c.{rank}</c>) when a <see cref="DatabentoHistoricalClient"/> is given; 5m, 15m and 4h (which Databento has
/// no schema for), and every timeframe without a Historical client, get an empty history, which the sync engine fills
/// by aggregating the finest timeframe it has.
/// </para>
/// </remarks>
public sealed class DatabentoMarketDataSource : IMarketDataSource
{
    private readonly DatabentoMarketDataSourceOptions _options;
    private readonly DatabentoLiveClient _client;
    private readonly DatabentoHistoricalClient? _historical;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<MarketDataEvent> _events = Channel.CreateUnbounded<MarketDataEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly Handler _handler;
    private Task? _run;
    private int _queuedTicks;
    private long _droppedTicks;
    private int _disposed;

    /// <summary>Creates the source; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="historical">The Historical client for history answers, or <see langword="null"/> for empty histories.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DatabentoMarketDataSource(DatabentoMarketDataSourceOptions options, DatabentoHistoricalClient? historical = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var root in options.Roots)
        {
            if (!Symbol.TryParse(root, out _))
            {
                throw new ArgumentException($"Roots contains '{root}', which is not a valid symbol (upper-case letters and digits, such as GC).", nameof(options));
            }
        }

        if (options.BarReplay < TimeSpan.Zero || options.BarReplay > TimeSpan.FromHours(23))
        {
            throw new ArgumentException($"BarReplay {options.BarReplay} must be between 0 and 23 hours (Databento replays the last 24).", nameof(options));
        }

        if (options.MaxQueuedTicks < 1)
        {
            throw new ArgumentException($"MaxQueuedTicks {options.MaxQueuedTicks} must be at least 1.", nameof(options));
        }

        _options = options;
        _historical = historical;
        _time = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<DatabentoMarketDataSource>();
        _client = new DatabentoLiveClient(options.BuildLiveOptions(_time.GetUtcNow()), loggerFactory.CreateLogger<DatabentoLiveClient>(), _time);
        _handler = new Handler(this);
    }

    /// <summary>The Live client underneath (its state, symbol map and duplicate count).</summary>
    public DatabentoLiveClient LiveClient => _client;

    /// <inheritdoc/>
    public ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        _run ??= Task.Run(RunAsync, CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask SubscribeAsync(Symbol symbol, Timeframe timeframe, int historyBars, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentOutOfRangeException.ThrowIfNegative(historyBars);
        cancellationToken.ThrowIfCancellationRequested();
        var schema = timeframe == Timeframe.OneMinute ? DbnSchema.Ohlcv1M
            : timeframe == Timeframe.OneHour ? DbnSchema.Ohlcv1H
            : timeframe == Timeframe.OneDay ? DbnSchema.Ohlcv1D
            : (DbnSchema?)null;
        if (_historical is null || schema is null || historyBars == 0)
        {
            _events.Writer.TryWrite(MarketDataEvent.ForHistory(symbol, timeframe, [], 0, isBackfill: false));
            return ValueTask.CompletedTask;
        }

        _ = Task.Run(() => LoadHistoryAsync(symbol, timeframe, schema.Value, historyBars), CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<MarketDataEvent> ReadEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (e.Kind == MarketDataEventKind.Tick)
            {
                Interlocked.Decrement(ref _queuedTicks);
            }

            yield return e;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is { } run)
        {
            await run.ConfigureAwait(false);
        }

        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await _client.RunAsync(_handler, _stop.Token).ConfigureAwait(false);
        }
        catch (DatabentoAuthenticationException)
        {
            // One event, one line: the client has logged the rejected key (5005) and the handler has published
            // Disconnected with its reason.
        }
    }

    private async Task LoadHistoryAsync(Symbol symbol, Timeframe timeframe, DbnSchema schema, int bars)
    {
        var now = _time.GetUtcNow();
        var end = DateTimeOffset.FromUnixTimeSeconds(timeframe.Floor(now.ToUnixTimeSeconds()) + timeframe.Seconds);
        var start = end - TimeSpan.FromSeconds((double)timeframe.Seconds * bars);
        var candles = new List<Candle>(Math.Min(bars, 100_000));
        var rejected = 0;
        long received = 0, ignored = 0;
        var cut = false;
        try
        {
            DbnDecoder decoder;
            try
            {
                decoder = await _historical!.GetRangeAsync(_options.Live.Dataset, [$"{symbol.Value}.c.{_options.ContinuousRank}"], schema, start, end, DbnSType.Continuous, bars, _stop.Token).ConfigureAwait(false);
            }
            catch (DatabentoHttpException e) when (e.StatusCode == 422)
            {
                // Historical data ends some minutes before now, and an end after it is a 422: ask where it ends
                // and request up to there (the ohlcv-1m subscription's BarReplay covers the minutes after it).
                var (_, available) = await _historical!.GetDatasetRangeAsync(_options.Live.Dataset, _stop.Token).ConfigureAwait(false);
                if (available >= end)
                {
                    throw;
                }

                end = available;
                start = end - TimeSpan.FromSeconds((double)timeframe.Seconds * bars);
                Log.AdapterHistoryClamped(_logger, symbol.Value, timeframe.Name, end);
                decoder = await _historical.GetRangeAsync(_options.Live.Dataset, [$"{symbol.Value}.c.{_options.ContinuousRank}"], schema, start, end, DbnSType.Continuous, bars, _stop.Token).ConfigureAwait(false);
            }

            await using (decoder.ConfigureAwait(false))
            {
                // The answer is capped at what was asked for: bars in [start, end), at most `bars` of them. A
                // stream that goes past the count is cut (the decoder's disposal closes the connection), counted
                // and logged.
                var range = (Start: start.ToUnixTimeSeconds(), End: end.ToUnixTimeSeconds());
                while (!cut && await decoder.ReadBatchAsync(_stop.Token).ConfigureAwait(false))
                {
                    cut = Collect(decoder, candles, bars, range, ref rejected, ref received, ref ignored);
                }
            }

            if (cut)
            {
                Log.AdapterHistoryCapped(_logger, symbol.Value, timeframe.Name, bars, received, ignored);
            }
        }
        catch (Exception e) when (e is DatabentoHttpException or HttpRequestException or DbnFormatException or IOException)
        {
            Log.AdapterHistoryFailed(_logger, symbol.Value, timeframe.Name, e.Message, e);
            _events.Writer.TryWrite(MarketDataEvent.ForServerError($"history {symbol} {timeframe}: {e.Message}"));
            return;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }

        _events.Writer.TryWrite(MarketDataEvent.ForHistory(symbol, timeframe, [.. candles], rejected, isBackfill: false));
    }

    /// <summary>Collects the batch's bars inside the range, up to <paramref name="max"/>; whether the answer went past it.</summary>
    private static bool Collect(DbnDecoder decoder, List<Candle> candles, int max, (long Start, long End) range, ref int rejected, ref long received, ref long ignored)
    {
        while (decoder.TryRead(out var record))
        {
            if (++received > max)
            {
                ignored++;
                return true;   // more records than the limit sent: the answer is cut here
            }

            if (!record.TryAs(out OhlcvMsg bar))
            {
                continue;
            }

            if (DbnCandles.TryToCandle(bar, out var candle) != CandleRejection.None)
            {
                rejected++;
            }
            else if (candle.OpenTime < range.Start || candle.OpenTime >= range.End)
            {
                ignored++;
            }
            else
            {
                candles.Add(candle);
            }
        }

        return false;
    }

    private void Publish(in MarketDataEvent e) => _events.Writer.TryWrite(e);

    private void PublishTick(Symbol root, in Tick tick)
    {
        if (Interlocked.Increment(ref _queuedTicks) > _options.MaxQueuedTicks)
        {
            Interlocked.Decrement(ref _queuedTicks);
            _droppedTicks++;
            return;
        }

        if (_droppedTicks > 0)
        {
            _events.Writer.TryWrite(MarketDataEvent.ForLiveGap($"{_droppedTicks} Databento ticks dropped: the consumer fell behind"));
            _droppedTicks = 0;
        }

        _events.Writer.TryWrite(MarketDataEvent.ForTick(root, tick));
    }

    /// <summary>Turns the Live client's callbacks into feed events (runs on the client's receive loop).</summary>
    private sealed class Handler(DatabentoMarketDataSource owner) : DatabentoLiveHandler
    {
        private readonly Dictionary<Symbol, MinuteFlow> _flow = [];
        private bool _everConnected;
        private bool _disconnected;
        private bool _replaying;

        public override void OnRecord(in DbnRecordRef record)
        {
            var symbols = owner._client.Symbols;
            if (record.TryAs(out OhlcvMsg bar))
            {
                if (DbnCandles.TimeframeOf(record.RType) is not { } timeframe || !symbols.TryGetRoot(bar.Header.InstrumentId, bar.Header.TsEvent, out var root))
                {
                    return;
                }

                var rejection = DbnCandles.TryToCandle(bar, out var candle);
                if (rejection == CandleRejection.None)
                {
                    if (timeframe == Timeframe.OneMinute && _flow.TryGetValue(root, out var flow))
                    {
                        candle = flow.AttachTo(candle);
                    }

                    owner.Publish(MarketDataEvent.ForCandle(root, timeframe, candle));
                }
                else
                {
                    Log.AdapterRejected(owner._logger, bar.Header.InstrumentId, rejection);
                }
            }
            else if (record.TryAs(out TradeMsg trade))
            {
                if (symbols.TryGetRoot(trade.Header.InstrumentId, trade.Header.TsEvent, out var root) && trade.Price.TryGetDouble(out var price))
                {
                    OnTrade(root, trade.Header.TsEvent, price, trade.Size, DbnCandles.SideOf(trade));
                }
            }
            else if (record.TryAs(out Mbp1Msg top))
            {
                // tbbo (every record a trade) or mbp-1 (a trade is action 'T'; the rest are book updates).
                if (top.Action == 'T' && symbols.TryGetRoot(top.Header.InstrumentId, top.Header.TsEvent, out var root) && top.Price.TryGetDouble(out var price))
                {
                    OnTrade(root, top.Header.TsEvent, price, top.Size, DbnCandles.SideOf(top));
                }
            }
        }

        private void OnTrade(Symbol root, ulong tsEvent, double price, uint size, AggressorSide side)
        {
            var eventMs = (long)(tsEvent / 1_000_000UL);
            if (side != AggressorSide.Unknown)
            {
                if (!_flow.TryGetValue(root, out var flow))
                {
                    _flow[root] = flow = new MinuteFlow();
                }

                flow.Add(Timeframe.OneMinute.Floor((long)(tsEvent / DbnConstants.NanosPerSecond)), side, size);
            }

            owner.PublishTick(root, new Tick(eventMs, price, size, owner._time.GetUtcNow().ToUnixTimeMilliseconds()) { Side = side });
        }

        public override void OnStateChanged(DatabentoLiveState state, int attempt, string? reason)
        {
            switch (state)
            {
                case DatabentoLiveState.Replaying:
                    owner.Publish(MarketDataEvent.ForConnection(SourceConnectionState.Connected));
                    _replaying = true;
                    _everConnected = true;
                    break;
                case DatabentoLiveState.Streaming:
                    if (!_replaying)
                    {
                        owner.Publish(MarketDataEvent.ForConnection(SourceConnectionState.Connected));   // a session without replay
                    }

                    if (_disconnected)
                    {
                        // The replay (or, without one, the resumed live stream) has covered the outage.
                        owner.Publish(MarketDataEvent.ForConnection(SourceConnectionState.Backfilled));
                        _disconnected = false;
                    }

                    _replaying = false;
                    _everConnected = true;
                    break;
                case DatabentoLiveState.Disconnected:
                    owner.Publish(MarketDataEvent.ForConnection(SourceConnectionState.Disconnected, reason));
                    _disconnected = _everConnected;
                    break;
                case DatabentoLiveState.Reconnecting:
                    owner.Publish(MarketDataEvent.ForConnection(SourceConnectionState.Reconnecting, reason, attempt));
                    break;
                case DatabentoLiveState.AuthenticationFailed:
                    owner.Publish(MarketDataEvent.ForConnection(SourceConnectionState.Disconnected, reason));
                    break;
            }
        }

        public override void OnGatewayError(string message) => owner.Publish(MarketDataEvent.ForServerError(message));
    }

    /// <summary>One root's buy and sell volume of its last few minutes of trades (a bar arrives after its minute's trades).</summary>
    private sealed class MinuteFlow
    {
        private const int Minutes = 4;
        private readonly long[] _minute = [long.MinValue, long.MinValue, long.MinValue, long.MinValue];
        private readonly double[] _buy = new double[Minutes];
        private readonly double[] _sell = new double[Minutes];

        public void Add(long minute, AggressorSide side, double size)
        {
            var slot = Find(minute);
            if (slot < 0)
            {
                // A new minute replaces the oldest one kept.
                slot = 0;
                for (var i = 1; i < Minutes; i++)
                {
                    if (_minute[i] < _minute[slot])
                    {
                        slot = i;
                    }
                }

                if (_minute[slot] > minute)
                {
                    return;   // older than every minute kept: its bar has been published long ago
                }

                (_minute[slot], _buy[slot], _sell[slot]) = (minute, 0, 0);
            }

            if (side == AggressorSide.Buy)
            {
                _buy[slot] += size;
            }
            else
            {
                _sell[slot] += size;
            }
        }

        /// <summary>The bar with the flow of its minute's trades, when there is some that fits in its volume.</summary>
        public Candle AttachTo(Candle bar)
        {
            var slot = Find(bar.OpenTime);
            return slot >= 0 && _buy[slot] + _sell[slot] <= bar.Volume ? bar.WithFlow(_buy[slot], _sell[slot]) : bar;
        }

        private int Find(long minute) => Array.IndexOf(_minute, minute);
    }
}
