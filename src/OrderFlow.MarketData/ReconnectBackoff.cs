namespace OrderFlow.MarketData;

/// <summary>
/// The reconnect policy of a streaming client: exponential backoff with full jitter, whose attempt counter starts
/// over only after a connection has proved itself stable.
/// </summary>
/// <remarks>
/// <para>
/// <b>Delays.</b> Attempt <c>n</c> (from 1) waits a uniformly random time in <c>[0, step(n))</c>, where
/// <c>step(n) = min(<see cref="MaxDelay"/>, <see cref="InitialDelay"/> · 2^(n−1))</c>: "full jitter", so clients
/// dropped together spread out over the whole step instead of returning in one burst.
/// </para>
/// <para>
/// <b>Reset.</b> A connection that is accepted and dropped at once must not start the backoff over, or a server that
/// accepts and drops gets a reconnect (and a burst of history requests) every <see cref="InitialDelay"/>, forever. So
/// the counter resets only when a connection has delivered data and then stayed up for
/// <see cref="StableConnectionTime"/> from its first data (measured on the <see cref="TimeProvider"/>, when it ends).
/// Heartbeats are not data: a connection that only answers pings never resets the counter.
/// </para>
/// <para>
/// <b>Use.</b> Call <see cref="OnConnected"/> when a connection is up, <see cref="OnData"/> for each data message,
/// <see cref="OnDisconnected"/> when it ends, and <see cref="NextDelay"/> before each reconnect attempt (including
/// after a failed connect).
/// </para>
/// <para>
/// Not thread-safe, except <see cref="OnData"/>, which the receive loop may call while another thread owns the rest.
/// With a seeded <see cref="Random"/> and a fake <see cref="TimeProvider"/> the delays are deterministic.
/// </para>
/// </remarks>
public sealed class ReconnectBackoff
{
    private readonly TimeProvider _time;
    private readonly Random _random;
    private bool _connected;
    private long _firstDataTimestamp;
    private int _hasData;

    /// <summary>Creates a policy; the first <see cref="NextDelay"/> is attempt 1.</summary>
    /// <param name="initialDelay">The step of the first attempt; each further attempt doubles it.</param>
    /// <param name="maxDelay">The largest step; at least <paramref name="initialDelay"/>.</param>
    /// <param name="stableConnectionTime">How long a connection must stay up after its first data to reset the counter.</param>
    /// <param name="timeProvider">The clock for the stable period; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="random">The source of jitter; <see cref="Random.Shared"/> by default (seed one for tests).</param>
    /// <exception cref="ArgumentOutOfRangeException">A time is not positive, or <paramref name="maxDelay"/> is shorter than <paramref name="initialDelay"/>.</exception>
    public ReconnectBackoff(TimeSpan initialDelay, TimeSpan maxDelay, TimeSpan stableConnectionTime, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, initialDelay);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stableConnectionTime, TimeSpan.Zero);
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        StableConnectionTime = stableConnectionTime;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    /// <summary>The step of the first attempt.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>The largest step: no delay is longer.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>How long a connection must stay up after its first data before the backoff starts over.</summary>
    public TimeSpan StableConnectionTime { get; }

    /// <summary>The number of the attempt the last <see cref="NextDelay"/> was for; 0 before the first, and after a reset.</summary>
    public int Attempt { get; private set; }

    /// <summary>Returns the step of an attempt: the longest delay it can get.</summary>
    /// <param name="attempt">The attempt number, from 1.</param>
    /// <returns><c>min(<see cref="MaxDelay"/>, <see cref="InitialDelay"/> · 2^(attempt−1))</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is less than 1.</exception>
    public TimeSpan GetStep(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        // Doubling past 2^40 steps of a tick already exceeds any TimeSpan a caller can configure, so stop there.
        var doublings = Math.Min(attempt - 1, 40);
        var ticks = InitialDelay.Ticks > MaxDelay.Ticks >> doublings ? MaxDelay.Ticks : InitialDelay.Ticks << doublings;
        return TimeSpan.FromTicks(Math.Min(ticks, MaxDelay.Ticks));
    }

    /// <summary>Counts a reconnect attempt and returns how long to wait before it.</summary>
    /// <returns>A random delay in <c>[0, <see cref="GetStep"/>(<see cref="Attempt"/>))</c>.</returns>
    public TimeSpan NextDelay()
    {
        if (Attempt < int.MaxValue)
        {
            Attempt++;
        }

        return TimeSpan.FromTicks((long)(GetStep(Attempt).Ticks * _random.NextDouble()));
    }

    /// <summary>A connection is up: its stable period starts with its first data.</summary>
    public void OnConnected()
    {
        _connected = true;
        Volatile.Write(ref _hasData, 0);
    }

    /// <summary>The connection delivered data (not a heartbeat). Cheap: call it for every message.</summary>
    public void OnData()
    {
        if (Volatile.Read(ref _hasData) == 0)
        {
            _firstDataTimestamp = _time.GetTimestamp();
            Volatile.Write(ref _hasData, 1);
        }
    }

    /// <summary>The connection ended: when it was stable, the attempt counter starts over.</summary>
    /// <returns>Whether it was stable (delivered data, then stayed up for <see cref="StableConnectionTime"/>).</returns>
    public bool OnDisconnected()
    {
        var stable = _connected && Volatile.Read(ref _hasData) != 0 && _time.GetElapsedTime(_firstDataTimestamp) >= StableConnectionTime;
        _connected = false;
        Volatile.Write(ref _hasData, 0);
        if (stable)
        {
            Attempt = 0;
        }

        return stable;
    }
}
