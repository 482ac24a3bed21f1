namespace OrderFlow.ChartServer.Demo;

/// <summary>
/// A logger for something that starts before the host's logging exists (the demo feed server, whose address the
/// configuration needs): it writes nothing until <see cref="Target"/> is set, then everything goes there.
/// </summary>
/// <typeparam name="T">The category.</typeparam>
internal sealed class DeferredLogger<T> : ILogger<T>
{
    private volatile ILogger? _target;

    /// <summary>Where messages go from now on; null (the start) drops them.</summary>
    public ILogger? Target
    {
        get => _target;
        set => _target = value;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _target?.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _target?.IsEnabled(logLevel) ?? false;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _target?.Log(logLevel, eventId, state, exception, formatter);
}
