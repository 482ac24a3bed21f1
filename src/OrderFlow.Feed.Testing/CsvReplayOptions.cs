using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Feed.Testing;

/// <summary>Settings of a <see cref="CsvReplaySource"/>: the replay settings of <see cref="ReplayOptions"/>, nothing more.</summary>
public sealed class CsvReplayOptions : ReplayOptions
{
}
