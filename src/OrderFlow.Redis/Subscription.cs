namespace OrderFlow.Redis;

/// <summary>An unsubscribe handle that runs its action once.</summary>
internal sealed class Subscription : IAsyncDisposable
{
    private Func<ValueTask>? _unsubscribe;

    public Subscription(Action unsubscribe) => _unsubscribe = () =>
    {
        unsubscribe();
        return ValueTask.CompletedTask;
    };

    public Subscription(Func<ValueTask> unsubscribe) => _unsubscribe = unsubscribe;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke() ?? ValueTask.CompletedTask;
}
