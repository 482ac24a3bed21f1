namespace OrderFlow.Sync.Engine;

/// <summary>Waiting on a signal with a timeout on the engine's clock.</summary>
internal static class Signals
{
    /// <summary>Waits for <paramref name="signal"/> or <paramref name="timeout"/>; true when signalled.</summary>
    public static async Task<bool> WaitAsync(SemaphoreSlim signal, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await signal.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
