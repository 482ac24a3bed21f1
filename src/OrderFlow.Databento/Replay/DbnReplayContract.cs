using System.Globalization;
using OrderFlow.Candles;

namespace OrderFlow.Databento.Replay;

/// <summary>
/// One contract a <see cref="DbnReplaySource"/> serves under a root symbol, and the CME trading dates it was chosen for
/// (see <see cref="DbnReplaySource.Contracts"/>).
/// </summary>
/// <param name="Root">The root symbol the contract's data is served as, such as GC.</param>
/// <param name="RawSymbol">The contract's symbol in the file, such as <c>GCZ6</c>.</param>
/// <param name="InstrumentId">The contract's Databento instrument id.</param>
/// <param name="FirstDay">The first CME trading date (session from 17:00 America/Chicago the day before) served from this contract.</param>
/// <param name="LastDay">The last CME trading date served from this contract (inclusive).</param>
public sealed record DbnReplayContract(Symbol Root, string RawSymbol, uint InstrumentId, DateOnly FirstDay, DateOnly LastDay)
{
    /// <summary>Formats the choice for logs.</summary>
    /// <returns>For example <c>GC: GCZ6 (id 42140878) 2026-10-01..2026-10-27</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Root}: {RawSymbol} (id {InstrumentId}) {FirstDay:yyyy-MM-dd}..{LastDay:yyyy-MM-dd}");
}
