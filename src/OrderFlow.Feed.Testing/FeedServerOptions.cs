using OrderFlow.Feed.Testing.Internal;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing;

/// <summary>Settings of a <see cref="FeedServer"/>. Every default is documented on its property.</summary>
/// <remarks>Checked once, when the server is created (<see cref="Validate"/>).</remarks>
public sealed class FeedServerOptions
{
    /// <summary>The TCP port to listen on, on 127.0.0.1. Default 0: an ephemeral port, read back from <see cref="FeedServer.Uri"/>.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Where history and live events come from: any source; history on request needs it to be an
    /// <see cref="IHistorySource"/> too (the synthetic market and the replays are). The server starts it and disposes it
    /// when it stops. Default <see langword="null"/>: a <see cref="SyntheticMarket"/> with default options on
    /// <see cref="TimeProvider"/>.
    /// </summary>
    public IMarketDataSource? DataSource { get; set; }

    /// <summary>
    /// The clock for timed faults (<see cref="FeedFaults.Stall"/> with a duration) and for the default data source.
    /// Default <see cref="TimeProvider.System"/>. Network timeouts (handshake, close) always use real time, so a
    /// fake clock cannot hang a real socket.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How many messages may wait to be sent to one client. A client whose queue overflows is too slow: it is
    /// disconnected (abruptly) and counted in <see cref="FeedServer.SlowClientsDisconnected"/>, and nobody else
    /// waits for it. Default 262,144 (a fake clock jumping an hour ahead makes about 72,000 messages at once with the
    /// default synthetic market); between 1 and 10,000,000.
    /// </summary>
    public int SendQueueLimit { get; set; } = 262_144;

    /// <summary>The most candles one <c>get_history</c> answer holds; larger requests are capped. Default 200,000; between 1 and 1,000,000.</summary>
    public int MaxHistoryBars { get; set; } = 200_000;

    /// <summary>The largest client message accepted; a larger one gets an <c>error</c> and is skipped. Default 64 KiB; between 256 bytes and 16 MiB.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>How long a new connection may take to send its HTTP upgrade request (real time). Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long closing a client may take — the message being sent goes out, then the close handshake — before the
    /// connection is aborted (real time); so also about the longest <see cref="FeedServer.StopAsync"/> takes. Default 2 s.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its documented range.</exception>
    /// <exception cref="ArgumentException"><see cref="TimeProvider"/> is null.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65_535)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Port), Port, "Port must be between 0 (ephemeral) and 65535.");
        }

        if (SendQueueLimit is < 1 or > 10_000_000)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(SendQueueLimit), SendQueueLimit, "SendQueueLimit must be between 1 and 10,000,000 messages.");
        }

        if (MaxHistoryBars is < 1 or > 1_000_000)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(MaxHistoryBars), MaxHistoryBars, "MaxHistoryBars must be between 1 and 1,000,000.");
        }

        if (MaxRequestBytes is < 256 or > 16 * 1024 * 1024)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(MaxRequestBytes), MaxRequestBytes, "MaxRequestBytes must be between 256 and 16 MiB.");
        }

        if (HandshakeTimeout <= TimeSpan.Zero || CloseTimeout < TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgumentOutOfRange(HandshakeTimeout <= TimeSpan.Zero ? nameof(HandshakeTimeout) : nameof(CloseTimeout), HandshakeTimeout <= TimeSpan.Zero ? HandshakeTimeout : CloseTimeout, "HandshakeTimeout must be positive and CloseTimeout not negative.");
        }

        if (TimeProvider is null)
        {
            ThrowHelper.ThrowArgument(nameof(TimeProvider), "TimeProvider must not be null (use TimeProvider.System).");
        }
    }
}
