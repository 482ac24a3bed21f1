using System.Runtime.CompilerServices;
using System.Threading.Channels;
using OrderFlow.Candles;
using OrderFlow.MarketData;

namespace OrderFlow.Sync.Tests.Engine;

/// <summary>A market-data source the test writes events into.</summary>
internal sealed class FakeSource : IMarketDataSource
{
    private readonly Channel<MarketDataEvent> _events = Channel.CreateUnbounded<MarketDataEvent>();

    public List<(Symbol, Timeframe, int)> Subscriptions { get; } = [];

    public void Write(MarketDataEvent e) => _events.Writer.TryWrite(e);

    public ValueTask StartAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask SubscribeAsync(Symbol symbol, Timeframe timeframe, int historyBars, CancellationToken cancellationToken = default)
    {
        lock (Subscriptions)
        {
            Subscriptions.Add((symbol, timeframe, historyBars));
        }

        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<MarketDataEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }

    public ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
