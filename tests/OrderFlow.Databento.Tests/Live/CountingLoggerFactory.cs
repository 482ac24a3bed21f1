using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Databento.Tests.Live;

/// <summary>A log sink for every category: each line with its level, event id and text, to count lines per event.</summary>
internal sealed class CountingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, int EventId, string Text)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private class Logger(CountingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((category, logLevel, eventId.Id, formatter(state, exception)));
    }

    private sealed class Logger<T>(CountingLoggerFactory owner) : Logger(owner, typeof(T).FullName!), ILogger<T>;
}
