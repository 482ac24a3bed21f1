using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace OrderFlow.Tests.Shared.Clocks;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also records the due time of every timer created on it, so a test can see
/// exactly how long a client asked to wait (a reconnect delay is a timer), with no race against the client's threads.
/// </summary>
internal sealed class TimerRecordingClock(FakeTimeProvider fake) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();

    public FakeTimeProvider Fake => fake;

    /// <summary>The due times of the timers created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers => [.. _timers];

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _timers.Enqueue(dueTime);
        return fake.CreateTimer(callback, state, dueTime, period);
    }

    public void Advance(TimeSpan delta) => fake.Advance(delta);
}
