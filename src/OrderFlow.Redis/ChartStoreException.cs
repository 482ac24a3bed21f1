namespace OrderFlow.Redis;

/// <summary>
/// Thrown by an <see cref="IChartStore"/> when the store cannot be reached, times out or rejects a command. The
/// inner exception is the client's (for Redis a <c>RedisConnectionException</c>, <c>RedisTimeoutException</c> or
/// <c>RedisServerException</c>). The message names the operation and the key, never credentials.
/// </summary>
/// <remarks>
/// The store stays usable: the Redis connection reconnects in the background and the next successful write restores
/// the keys.
/// </remarks>
public sealed class ChartStoreException : Exception
{
    /// <summary>Creates an exception.</summary>
    public ChartStoreException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ChartStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the client's exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The client's exception.</param>
    public ChartStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
