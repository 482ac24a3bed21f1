namespace OrderFlow.Tests.Shared.Clocks;

/// <summary>A "random" source that always draws the same fraction: pins a backoff's jitter for exact expectations.</summary>
internal sealed class PinnedRandom(double fraction) : Random
{
    public override double NextDouble() => fraction;

    protected override double Sample() => fraction;
}
