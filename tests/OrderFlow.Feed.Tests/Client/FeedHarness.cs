using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Testing;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>
/// A real feed server on a loopback port, a <see cref="FeedClient"/> connected to it, and a background reader that
/// records every event the client produces, with per-test metrics.
/// </summary>
internal sealed class FeedHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly List<MarketDataEvent> _events = [];
    private readonly object _lock = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private readonly TestMeterFactory _meters = new();

    private FeedHarness(FeedServer server, FeedClientOptions options, TimeProvider? clientTime, Random? jitter, ILogger? logger)
    {
        Server = server;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _meters)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            _counters.AddOrUpdate(key, value, (_, old) => old + value);
            if (key != instrument.Name)
            {
                // The total over all tags, too (an instrument without tags has it already).
                _counters.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
            }
        });
        _listener.Start();
        Client = new FeedClient(options, logger, _meters, clientTime, static () => new ClientWebSocket(), jitter);
        _reader = Task.Run(ReadAsync);
    }

    public FeedServer Server { get; }

    public FeedClient Client { get; }

    /// <param name="market">The synthetic market; always open by default.</param>
    /// <param name="configure">Changes the client's options (fast reconnects by default).</param>
    /// <param name="start">Whether to start the client.</param>
    /// <param name="clientOnMarketTime">Puts the client on the market's accelerated clock (<see cref="MarketTimeProvider"/>).</param>
    /// <param name="clientTime">The client's clock otherwise; the system clock by default.</param>
    /// <param name="serverTime">The server's and the market's clock; the system clock by default.</param>
    /// <param name="jitter">The client's backoff jitter; <see cref="Random.Shared"/> by default.</param>
    /// <param name="logger">The client's logger; none by default.</param>
    public static async Task<FeedHarness> StartAsync(
        SyntheticMarketOptions? market = null,
        Action<FeedClientOptions>? configure = null,
        bool start = true,
        bool clientOnMarketTime = false,
        TimeProvider? clientTime = null,
        TimeProvider? serverTime = null,
        Random? jitter = null,
        ILogger? logger = null)
    {
        market ??= new SyntheticMarketOptions { AlwaysOpen = true };
        var source = new SyntheticMarket(market, serverTime);
        var server = await FeedServer.StartNewAsync(new FeedServerOptions { DataSource = source, TimeProvider = serverTime ?? TimeProvider.System });
        var options = new FeedClientOptions
        {
            Url = server.Uri,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        var harness = new FeedHarness(server, options, clientOnMarketTime ? new MarketTimeProvider(source, market.Speed) : clientTime, jitter, logger);
        if (start)
        {
            await harness.Client.StartAsync();
        }

        return harness;
    }

    public long Counter(string name) => _counters.TryGetValue(name, out var v) ? v : 0;

    public IReadOnlyList<MarketDataEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public async Task<IReadOnlyList<MarketDataEvent>> WaitForAsync(Func<IReadOnlyList<MarketDataEvent>, bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        if (await PollAsync(condition, timeout ?? TimeSpan.FromSeconds(60)) is { } events)
        {
            return events;
        }

        var seen = Events;
        throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; {seen.Count} events: {string.Join("; ", seen.TakeLast(10))}");
    }

    /// <summary>Polls <paramref name="condition"/> for up to <paramref name="timeout"/>.</summary>
    /// <returns>Whether it held.</returns>
    public async Task<bool> TryWaitForAsync(Func<IReadOnlyList<MarketDataEvent>, bool> condition, TimeSpan timeout) =>
        await PollAsync(condition, timeout) is not null;

    public async Task WaitForCounterAsync(string name, long atLeast, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Counter(name) < atLeast)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Counter {name} is {Counter(name)}, expected at least {atLeast}; counters: {string.Join(", ", _counters.Select(p => $"{p.Key}={p.Value}"))}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        await _stop.CancelAsync();
        await Server.DisposeAsync();
        _listener.Dispose();
        _stop.Dispose();
    }

    /// <summary>The reader ends by itself when the client is disposed: that is part of what the tests check.</summary>
    public Task Reader => _reader;

    /// <returns>The events that met the condition, or <see langword="null"/> when the time ran out.</returns>
    private async Task<IReadOnlyList<MarketDataEvent>?> PollAsync(Func<IReadOnlyList<MarketDataEvent>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = Events;
            if (condition(events))
            {
                return events;
            }

            if (DateTime.UtcNow > deadline)
            {
                return null;
            }

            await Task.Delay(10);
        }
    }

    private async Task ReadAsync()
    {
        await foreach (var e in Client.ReadEventsAsync(_stop.Token))
        {
            lock (_lock)
            {
                _events.Add(e);
            }
        }
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, scope: this);

        public void Dispose()
        {
        }
    }
}
