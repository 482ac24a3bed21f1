namespace OrderFlow.Databento;

/// <summary>The Databento Live gateway rejected the API key (<c>success=0|error=…</c>). Not retried: fix the key or its entitlements.</summary>
/// <remarks>The message carries the gateway's reason and the masked key (<c>db-…XXXXX</c>), never the key.</remarks>
public sealed class DatabentoAuthenticationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatabentoAuthenticationException()
        : this("Databento authentication failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DatabentoAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DatabentoAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The gateway's reason (<c>error=</c>), or <see langword="null"/>.</summary>
    public string? Detail { get; init; }
}
