using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using OrderFlow.Candles;

namespace OrderFlow.Databento;

/// <summary>
/// Resolves the <c>instrument_id</c> of each record to its symbol and to OrderFlow's root symbol: from the
/// metadata's dated mappings (historical files) and from symbol mapping records (Live streams).
/// </summary>
/// <remarks>
/// <para>
/// Historical mappings apply by UTC date: an interval <c>[start_date, end_date)</c> maps the id on the days of the
/// record's <c>ts_event</c>. Live symbol mappings (rtype 0x16, <see cref="Apply"/>) hold from when they are seen;
/// a newer one replaces the older for the same id, and they take precedence over the metadata.
/// </para>
/// <para>
/// Roots follow <see cref="CmeSymbology"/> (<c>ESH1</c> → <c>ES</c>) and are computed once per mapping, so
/// <see cref="TryGetSymbol"/> and <see cref="TryGetRoot"/> never allocate. Not thread-safe for writes; reads
/// may run concurrently once every mapping has been added.
/// </para>
/// </remarks>
public sealed class DbnSymbolMap
{
    private const int EpochDayNumber = 719_162; // DateOnly(1970, 1, 1).DayNumber
    private const ulong NanosPerDay = 86_400UL * 1_000_000_000UL;

    private readonly Dictionary<uint, List<Entry>> _dated = [];
    private readonly Dictionary<uint, Entry> _live = [];

    /// <summary>The number of instrument ids with at least one mapping.</summary>
    public int Count => _dated.Keys.Union(_live.Keys).Count();

    /// <summary>Creates a map from a file's metadata mappings.</summary>
    /// <param name="metadata">The metadata.</param>
    /// <returns>The map.</returns>
    public static DbnSymbolMap FromMetadata(DbnMetadata metadata)
    {
        var map = new DbnSymbolMap();
        map.AddMetadata(metadata);
        return map;
    }

    /// <summary>
    /// Adds a metadata's mappings. With <c>stype_out = instrument_id</c> (the usual case) each interval's symbol
    /// is the id and the mapping's raw symbol the name; with <c>stype_in = instrument_id</c> it is the other way round.
    /// </summary>
    /// <param name="metadata">The metadata.</param>
    public void AddMetadata(DbnMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var idIsInput = metadata.STypeIn == DbnSType.InstrumentId && metadata.STypeOut != DbnSType.InstrumentId;
        foreach (var mapping in metadata.Mappings)
        {
            foreach (var interval in mapping.Intervals)
            {
                var idText = idIsInput ? mapping.RawSymbol : interval.Symbol;
                var name = idIsInput ? interval.Symbol : mapping.RawSymbol;
                if (!uint.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || name.Length == 0)
                {
                    continue;
                }

                if (!_dated.TryGetValue(id, out var list))
                {
                    _dated[id] = list = [];
                }

                list.Add(new Entry(interval.StartDate.DayNumber, interval.EndDate.DayNumber, name));
            }
        }
    }

    /// <summary>Adds or replaces the current symbol of an instrument id, as a Live symbol mapping does.</summary>
    /// <param name="instrumentId">The instrument id.</param>
    /// <param name="symbol">The symbol, such as <c>ESZ4</c>.</param>
    public void Add(uint instrumentId, string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        if (!_live.TryGetValue(instrumentId, out var existing) || existing.Symbol != symbol)
        {
            _live[instrumentId] = new Entry(int.MinValue, int.MaxValue, symbol);
        }
    }

    /// <summary>Applies a record if it is a symbol mapping (rtype 0x16); other records are ignored.</summary>
    /// <param name="record">Any record.</param>
    /// <returns>Whether the record was a symbol mapping.</returns>
    public bool Apply(in DbnRecordRef record)
    {
        if (!record.TryGetSymbolMapping(out var mapping))
        {
            return false;
        }

        var output = mapping.STypeOutSymbolUtf8;
        var id = record.InstrumentId;
        // Only allocate the string when the mapping is new or changed.
        if (_live.TryGetValue(id, out var existing) && output.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(existing.Symbol) == output.Length
            && System.Text.Encoding.UTF8.GetString(output) == existing.Symbol)
        {
            return true;
        }

        var symbol = output.Length > 0 ? mapping.STypeOutSymbol : mapping.STypeInSymbol;
        if (symbol.Length > 0)
        {
            Add(id, symbol);
        }

        return true;
    }

    /// <summary>The symbol of an instrument id at a time.</summary>
    /// <param name="instrumentId">The record's instrument id.</param>
    /// <param name="tsEvent">The record's event time in nanoseconds (selects the dated interval).</param>
    /// <param name="symbol">The symbol, such as <c>ESH1</c>.</param>
    /// <returns>Whether a mapping covers the id at that time.</returns>
    public bool TryGetSymbol(uint instrumentId, ulong tsEvent, [NotNullWhen(true)] out string? symbol)
    {
        if (TryFind(instrumentId, tsEvent, out var entry))
        {
            symbol = entry.Symbol;
            return true;
        }

        symbol = null;
        return false;
    }

    /// <summary>The root symbol (see <see cref="CmeSymbology"/>) of an instrument id at a time.</summary>
    /// <param name="instrumentId">The record's instrument id.</param>
    /// <param name="tsEvent">The record's event time in nanoseconds.</param>
    /// <param name="root">The root, such as <see cref="Symbol.ES"/>.</param>
    /// <returns>Whether the id maps to a symbol that has a root.</returns>
    public bool TryGetRoot(uint instrumentId, ulong tsEvent, out Symbol root)
    {
        if (TryFind(instrumentId, tsEvent, out var entry) && entry.HasRoot)
        {
            root = entry.Root;
            return true;
        }

        root = default;
        return false;
    }

    private bool TryFind(uint instrumentId, ulong tsEvent, out Entry entry)
    {
        if (_live.TryGetValue(instrumentId, out entry))
        {
            return true;
        }

        if (_dated.TryGetValue(instrumentId, out var list))
        {
            var day = tsEvent == DbnConstants.UndefTimestamp ? int.MaxValue : (int)(tsEvent / NanosPerDay) + EpochDayNumber;
            foreach (var candidate in list)
            {
                if (day >= candidate.StartDay && day < candidate.EndDay)
                {
                    entry = candidate;
                    return true;
                }
            }
        }

        entry = default;
        return false;
    }

    private readonly struct Entry
    {
        public Entry(int startDay, int endDay, string symbol)
        {
            StartDay = startDay;
            EndDay = endDay;
            Symbol = symbol;
            HasRoot = CmeSymbology.TryGetRoot(symbol, out var root);
            Root = root;
        }

        public int StartDay { get; }

        public int EndDay { get; }

        public string Symbol { get; }

        public Symbol Root { get; }

        public bool HasRoot { get; }
    }
}
