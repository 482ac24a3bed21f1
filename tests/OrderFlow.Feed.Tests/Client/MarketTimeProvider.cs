using System.Diagnostics;
using OrderFlow.Feed.Testing;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Tests.Client;

/// <summary>
/// A clock that runs at the synthetic market's accelerated speed: "now" is the market's now, and delays shrink by
/// the speed factor. A client on this clock sizes its backfill in market time, as a real client does in real time.
/// </summary>
internal sealed class MarketTimeProvider(SyntheticMarket market, double speed) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => market.Now;

    public override long GetTimestamp() => (long)(Stopwatch.GetTimestamp() * speed);

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? t : TimeSpan.FromTicks((long)(t.Ticks / speed));
}
