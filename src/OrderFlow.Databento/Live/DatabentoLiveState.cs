namespace OrderFlow.Databento;

/// <summary>The state of a <see cref="DatabentoLiveClient"/>, reported through <see cref="DatabentoLiveHandler.OnStateChanged"/>.</summary>
public enum DatabentoLiveState
{
    /// <summary>Not started (the default value).</summary>
    None = 0,

    /// <summary>Connecting and authenticating.</summary>
    Connecting = 1,

    /// <summary>The session started with an intraday replay (after a reconnect, the outage); live data follows its end.</summary>
    Replaying = 2,

    /// <summary>The session is streaming live data (every replay, if any, has completed).</summary>
    Streaming = 3,

    /// <summary>The connection was lost or could not be made; the reason is given.</summary>
    Disconnected = 4,

    /// <summary>Waiting before a reconnect attempt (the attempt number is given).</summary>
    Reconnecting = 5,

    /// <summary>The gateway rejected the key (<c>success=0</c>); the client stopped and does not retry.</summary>
    AuthenticationFailed = 6,

    /// <summary>Stopped by cancellation.</summary>
    Stopped = 7,
}
