using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Databento.Tests.Live;

/// <summary>Captures every log line (message, state values and exception text) for assertions.</summary>
internal sealed class TestLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string All => string.Join("\n", Lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(";", kv.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
        Lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} [{values}] {exception}");
    }
}
