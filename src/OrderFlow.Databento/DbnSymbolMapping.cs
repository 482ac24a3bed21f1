namespace OrderFlow.Databento;

/// <summary>
/// One symbol mapping of the metadata: the requested symbol (<see cref="RawSymbol"/>, in <see cref="DbnMetadata.STypeIn"/>)
/// and the dated intervals of what it maps to (in <see cref="DbnMetadata.STypeOut"/>).
/// </summary>
/// <param name="RawSymbol">The requested symbol, such as <c>ESH1</c>.</param>
/// <param name="Intervals">The intervals, in file order.</param>
public sealed record DbnSymbolMapping(string RawSymbol, IReadOnlyList<DbnMappingInterval> Intervals);

/// <summary>One dated interval of a symbol mapping: <see cref="Symbol"/> applies on [<see cref="StartDate"/>, <see cref="EndDate"/>).</summary>
/// <param name="StartDate">The first UTC date of the interval (inclusive).</param>
/// <param name="EndDate">The UTC date the interval ends (exclusive).</param>
/// <param name="Symbol">The mapped symbol, such as the instrument id <c>5482</c>; empty when unmapped.</param>
public readonly record struct DbnMappingInterval(DateOnly StartDate, DateOnly EndDate, string Symbol);
