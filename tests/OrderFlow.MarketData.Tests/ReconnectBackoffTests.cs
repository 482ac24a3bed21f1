using Microsoft.Extensions.Time.Testing;
using OrderFlow.Tests.Shared.Clocks;

namespace OrderFlow.MarketData.Tests;

public class ReconnectBackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(30);

    private static ReconnectBackoff Create(FakeTimeProvider? time = null, Random? random = null) =>
        new(Second, TimeSpan.FromSeconds(8), Stable, time ?? new FakeTimeProvider(), random ?? new Random(7));

    private static void Fail(ReconnectBackoff backoff, int attempts)
    {
        for (var i = 0; i < attempts; i++)
        {
            backoff.NextDelay();
        }
    }

    [Fact]
    public void GetStep_DoublesFromTheInitialDelay_UpToTheMaximum()
    {
        var backoff = Create();
        Assert.Equal([1, 2, 4, 8, 8, 8], Enumerable.Range(1, 6).Select(n => backoff.GetStep(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(8), backoff.GetStep(int.MaxValue));
    }

    [Fact]
    public void GetStep_HugeDelays_DoNotOverflow()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromDays(100), TimeSpan.MaxValue, Stable);
        Assert.Equal(TimeSpan.FromDays(200), backoff.GetStep(2));
        Assert.Equal(TimeSpan.MaxValue, backoff.GetStep(60));
    }

    [Fact]
    public void NextDelay_CountsAttempts_AndGrowsWithTheStep()
    {
        // Jitter pinned just under its top: each delay is (almost) its whole step.
        var backoff = Create(random: new PinnedRandom(0.999));
        var delays = Enumerable.Range(0, 5).Select(_ => backoff.NextDelay().TotalSeconds).ToArray();
        Assert.Equal([0.999, 1.998, 3.996, 7.992, 7.992], delays, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(5, backoff.Attempt);
    }

    [Fact]
    public void NextDelay_IsFullJitter_SpreadOverTheWholeStep()
    {
        var backoff = Create(random: new Random(12345));
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var step = backoff.GetStep(attempt);
            var delays = new List<TimeSpan>();
            for (var i = 0; i < 2000; i++)
            {
                var clone = Create(random: new Random(i));
                Fail(clone, attempt - 1);
                delays.Add(clone.NextDelay());
            }

            Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, step - TimeSpan.FromTicks(1)));

            // Full jitter: clients dropped together spread over the whole step, not a band at its top.
            Assert.True(delays.Min() < step * 0.05, $"attempt {attempt}: shortest {delays.Min()} of step {step}");
            Assert.True(delays.Max() > step * 0.95, $"attempt {attempt}: longest {delays.Max()} of step {step}");
        }
    }

    [Fact]
    public void NextDelay_SameSeed_SameDelays()
    {
        var a = Create(random: new Random(99));
        var b = Create(random: new Random(99));
        Assert.Equal(Enumerable.Range(0, 10).Select(_ => a.NextDelay()), Enumerable.Range(0, 10).Select(_ => b.NextDelay()));
    }

    [Fact]
    public void OnDisconnected_ConnectionDroppedAtOnce_KeepsTheBackoffGrowing()
    {
        var time = new FakeTimeProvider();
        var backoff = Create(time, new PinnedRandom(0.5));
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(backoff.GetStep(i) / 2, backoff.NextDelay());
            backoff.OnConnected();
            backoff.OnData();                 // even a connection that delivered data
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(backoff.OnDisconnected());
        }

        Assert.Equal(4, backoff.Attempt);
        Assert.Equal(backoff.GetStep(5) / 2, backoff.NextDelay());
    }

    [Fact]
    public void OnDisconnected_StableConnectionWithData_StartsOver()
    {
        var time = new FakeTimeProvider();
        var backoff = Create(time, new PinnedRandom(0.5));
        Fail(backoff, 4);
        backoff.OnConnected();
        backoff.OnData();
        time.Advance(Stable);

        Assert.True(backoff.OnDisconnected());
        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(Second / 2, backoff.NextDelay());
        Assert.Equal(1, backoff.Attempt);
    }

    [Fact]
    public void OnDisconnected_UpForLongWithoutData_DoesNotStartOver()
    {
        var time = new FakeTimeProvider();
        var backoff = Create(time);
        Fail(backoff, 3);
        backoff.OnConnected();
        time.Advance(TimeSpan.FromHours(1));   // heartbeats only

        Assert.False(backoff.OnDisconnected());
        Assert.Equal(3, backoff.Attempt);
    }

    [Fact]
    public void OnDisconnected_StablePeriodCountsFromTheFirstData()
    {
        var time = new FakeTimeProvider();
        var backoff = Create(time);
        Fail(backoff, 3);
        backoff.OnConnected();
        time.Advance(Stable);                 // up, but silent
        backoff.OnData();
        time.Advance(Stable - TimeSpan.FromTicks(1));
        backoff.OnData();

        Assert.False(backoff.OnDisconnected());
        Assert.Equal(3, backoff.Attempt);
    }

    [Fact]
    public void OnDisconnected_DataFromAnEarlierConnection_DoesNotCount()
    {
        var time = new FakeTimeProvider();
        var backoff = Create(time);
        Fail(backoff, 2);
        backoff.OnConnected();
        backoff.OnData();
        Assert.False(backoff.OnDisconnected());
        backoff.NextDelay();
        backoff.OnConnected();                // the next connection delivers nothing
        time.Advance(Stable * 2);

        Assert.False(backoff.OnDisconnected());
        Assert.Equal(3, backoff.Attempt);
    }

    [Fact]
    public void OnDisconnected_WithoutAConnection_ChangesNothing()
    {
        var backoff = Create();
        Fail(backoff, 2);
        Assert.False(backoff.OnDisconnected());
        Assert.Equal(2, backoff.Attempt);
    }

    [Fact]
    public void Constructor_BadTimes_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.Zero, Second, Stable));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Second, Second / 2, Stable));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Second, Second, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create().GetStep(0));
    }
}
