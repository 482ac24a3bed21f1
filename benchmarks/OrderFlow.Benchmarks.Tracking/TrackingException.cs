namespace OrderFlow.Benchmarks.Tracking;

/// <summary>An input or usage problem, reported to the user as one clear line (never a stack trace).</summary>
public sealed class TrackingException : Exception
{
    public TrackingException()
    {
    }

    public TrackingException(string message)
        : base(message)
    {
    }

    public TrackingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
