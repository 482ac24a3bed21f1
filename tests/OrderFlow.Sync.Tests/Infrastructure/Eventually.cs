using System.Diagnostics;

namespace OrderFlow.Sync.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>. Returns the time it took.</summary>
    public static Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, int pollMs = 20) =>
        HoldsAsync(condition, timeout, () => what, pollMs);

    /// <summary>As above, with the failure message made when it fails (to show the last state seen).</summary>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, int pollMs = 20)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what()}");
            }

            await Task.Delay(pollMs);
        }
    }

    public static Task<TimeSpan> HoldsAsync(Func<bool> condition, TimeSpan timeout, string what, int pollMs = 20) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, what, pollMs);

    public static Task<TimeSpan> HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> what, int pollMs = 20) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, what, pollMs);
}
