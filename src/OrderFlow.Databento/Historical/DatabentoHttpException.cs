namespace OrderFlow.Databento;

/// <summary>The Databento Historical API answered with an HTTP error; <see cref="Detail"/> is its JSON <c>detail</c>.</summary>
/// <remarks>The message never contains the API key.</remarks>
public sealed class DatabentoHttpException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatabentoHttpException()
        : this("The Databento Historical API returned an error.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DatabentoHttpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DatabentoHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status code (401 bad key, 403 not entitled, 422 bad parameters, …), or 0 when no answer came within the timeouts (or the circuit breaker is open).</summary>
    public int StatusCode { get; init; }

    /// <summary>Databento's error detail (the JSON body's <c>detail</c>, or its <c>message</c>), or the raw body.</summary>
    public string? Detail { get; init; }
}
