namespace OrderFlow.Candles.Rules;

/// <summary>
/// The scale of a futures contract, used to derive default rule limits from the seed's gold numbers.
/// </summary>
/// <param name="TickSize">The minimum price increment, in points.</param>
/// <param name="ReferencePrice">A typical price level, in points, used to scale the seed's limits.</param>
public sealed record ContractSpec(double TickSize, double ReferencePrice);
