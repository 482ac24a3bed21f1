namespace OrderFlow.Databento;

/// <summary>A Databento Live connection failed: refused, closed by the gateway, silent past the heartbeat limit, or a protocol violation.</summary>
/// <remarks>The client catches it, reports <see cref="DatabentoLiveState.Disconnected"/> and reconnects.</remarks>
public sealed class DatabentoLiveConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatabentoLiveConnectionException()
        : this("The Databento Live connection failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DatabentoLiveConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DatabentoLiveConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
