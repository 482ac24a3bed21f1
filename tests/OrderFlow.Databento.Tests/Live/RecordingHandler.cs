using System.Collections.Concurrent;
using System.Globalization;

namespace OrderFlow.Databento.Tests.Live;

/// <summary>Records what a <see cref="DatabentoLiveClient"/> delivers, as text, for assertions.</summary>
internal sealed class RecordingHandler : DatabentoLiveHandler
{
    public ConcurrentQueue<string> Records { get; } = new();

    public ConcurrentQueue<(DatabentoLiveState State, int Attempt, string? Reason)> States { get; } = new();

    public ConcurrentQueue<string> GatewayErrors { get; } = new();

    public DatabentoLiveClient? Client { get; set; }

    public ConcurrentQueue<string> Roots { get; } = new();

    public override void OnRecord(in DbnRecordRef record)
    {
        if (record.TryAs(out OhlcvMsg bar))
        {
            Records.Enqueue(string.Create(CultureInfo.InvariantCulture, $"bar {bar.Header.InstrumentId} {bar.Header.TsEvent} {bar.Close.Raw}"));
            if (Client!.Symbols.TryGetRoot(bar.Header.InstrumentId, bar.Header.TsEvent, out var root))
            {
                Roots.Enqueue(root.Value);
            }
        }
        else if (record.TryAs(out TradeMsg trade))
        {
            Records.Enqueue(string.Create(CultureInfo.InvariantCulture, $"trade {trade.Header.InstrumentId} {trade.Header.TsEvent} {trade.Sequence}"));
        }
    }

    public override void OnStateChanged(DatabentoLiveState state, int attempt, string? reason) => States.Enqueue((state, attempt, reason));

    public override void OnGatewayError(string message) => GatewayErrors.Enqueue(message);

    public List<string> Bars => Records.Where(r => r.StartsWith("bar", StringComparison.Ordinal)).ToList();

    public List<string> Trades => Records.Where(r => r.StartsWith("trade", StringComparison.Ordinal)).ToList();
}

internal static class Poll
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails after a generous timeout (loaded 2-core CI).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }
}
