using System.Globalization;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Flow;
using OrderFlow.MarketData;

namespace OrderFlow.Databento.Replay;

/// <summary>
/// Reads DBN files into replay records for <see cref="DbnReplaySource"/>: trades (with their aggressor side; from
/// trades, tbbo or mbp-1 records) and OHLCV bars keyed by root symbol,
/// one contract per root and UTC day, one-second bars merged into minutes.
/// </summary>
/// <remarks>
/// Records are kept as decoded (in file order) until <see cref="Build"/>, because choosing a contract for a day needs
/// every record of that day from every file. Not thread-safe.
/// </remarks>
internal sealed class DbnReplayLoader
{
    private const ulong NanosPerMs = 1_000_000;
    private const ulong NanosPerDay = 86_400UL * 1_000_000_000UL;

    private readonly DbnReplayOptions _options;
    private readonly List<Item> _items = [];
    private readonly Dictionary<(Symbol Root, int Day), Dictionary<uint, ulong>> _volumes = [];
    private readonly Dictionary<uint, string> _rawSymbols = [];

    public DbnReplayLoader(DbnReplayOptions options) => _options = options;

    /// <summary>How many files were read.</summary>
    public int FileCount { get; private set; }

    /// <summary>Records skipped while reading: no root symbol (unmapped ids, spreads, options), another root, invalid prices.</summary>
    public long Skipped { get; private set; }

    /// <summary>Reads one DBN stream (plain or zstd) to its end.</summary>
    /// <exception cref="DbnFormatException">The stream is not valid DBN or not of a supported schema; the message starts with <paramref name="name"/>.</exception>
    public void Read(Stream stream, string name)
    {
        DbnDecoder decoder;
        try
        {
            decoder = DbnDecoder.Open(stream);
        }
        catch (DbnFormatException ex)
        {
            throw Named(name, ex);
        }

        using (decoder)
        {
            var metadata = decoder.Metadata!;
            var schemaSeconds = metadata.Schema switch
            {
                DbnSchema.Trades or DbnSchema.Tbbo or DbnSchema.Mbp1 => 0,
                DbnSchema.Ohlcv1S => 1,
                DbnSchema.Ohlcv1M => 60,
                DbnSchema.Ohlcv1H => 3_600,
                DbnSchema.Ohlcv1D => 86_400,
                null => -1,
                { } other => throw new DbnFormatException(
                    $"{name}: schema {other.ToName()} cannot be replayed; use trades, tbbo, mbp-1, ohlcv-1s, ohlcv-1m, ohlcv-1h or ohlcv-1d", 0),
            };

            var map = DbnSymbolMap.FromMetadata(metadata);
            try
            {
                while (decoder.Read(out var record))
                {
                    if (map.Apply(record))
                    {
                        continue;
                    }

                    var rtype = record.RType;
                    if (rtype == DbnRType.Mbp0 && record.TryAs(out TradeMsg trade))
                    {
                        AddTrade(trade.Header, trade.Price, trade.Size, DbnCandles.SideOf(trade), map);
                    }
                    else if (rtype == DbnRType.Mbp1 && record.TryAs(out Mbp1Msg top))
                    {
                        // tbbo: every record is a trade; mbp-1: the trades ('T') among the book updates, which are not replayed.
                        if (top.Action == 'T')
                        {
                            AddTrade(top.Header, top.Price, top.Size, DbnCandles.SideOf(top), map);
                        }
                    }
                    else if (DbnRType.IsOhlcv(rtype) && record.TryAs(out OhlcvMsg bar))
                    {
                        AddBar(bar, BarSeconds(rtype, schemaSeconds, name, record.Offset), map);
                    }
                }
            }
            catch (DbnFormatException ex)
            {
                throw Named(name, ex);
            }
        }

        FileCount++;
    }

    /// <summary>Chooses the contracts and returns the replay records.</summary>
    public List<MarketDataEvent> Build(List<DbnReplayContract> contracts)
    {
        var chosen = ChooseContracts(contracts);
        var kept = new List<Item>(_items.Count);
        foreach (var item in _items)
        {
            if (chosen.TryGetValue((item.Root, item.Day), out var id) && id == item.InstrumentId)
            {
                kept.Add(item);
            }
            else
            {
                Skipped++;
            }
        }

        var records = new List<MarketDataEvent>(kept.Count);
        var seconds = new List<Item>();
        foreach (var item in kept)
        {
            if (item.BarSeconds == 1)
            {
                seconds.Add(item);
            }
            else if (item.BarSeconds == 0)
            {
                records.Add(MarketDataEvent.ForTick(item.Root, item.Tick));
            }
            else
            {
                var timeframe = Timeframe.TryFromSeconds(item.BarSeconds, out var tf) ? tf : Timeframe.OneMinute;
                records.Add(MarketDataEvent.ForCandle(item.Root, timeframe, item.Candle));
            }
        }

        AddMinutesFromSeconds(seconds, records);
        return records;
    }

    private void AddTrade(in RecordHeader header, DbnPrice tradePrice, uint size, AggressorSide side, DbnSymbolMap map)
    {
        var ts = header.TsEvent;
        if (ts == DbnConstants.UndefTimestamp || !TryGetRoot(map, header.InstrumentId, ts, out var root) || !tradePrice.TryGetDouble(out var price))
        {
            Skipped++;
            return;
        }

        // The aggressor side goes with the tick, so the live candles (and the history built from them) carry order flow.
        var tick = new Tick((long)(ts / NanosPerMs), price, size) { Side = side };
        Add(new Item(root, header.InstrumentId, Day(ts), 0, default, tick), size);
    }

    private void AddBar(in OhlcvMsg bar, int seconds, DbnSymbolMap map)
    {
        var ts = bar.Header.TsEvent;
        if (ts == DbnConstants.UndefTimestamp || !TryGetRoot(map, bar.Header.InstrumentId, ts, out var root)
            || DbnCandles.TryToCandle(bar, out var candle) != CandleRejection.None || candle.OpenTime % seconds != 0)
        {
            Skipped++;
            return;
        }

        Add(new Item(root, bar.Header.InstrumentId, Day(ts), seconds, candle, default), bar.Volume);
    }

    private void Add(in Item item, ulong volume)
    {
        _items.Add(item);
        if (!_volumes.TryGetValue((item.Root, item.Day), out var byInstrument))
        {
            _volumes[(item.Root, item.Day)] = byInstrument = [];
        }

        byInstrument[item.InstrumentId] = byInstrument.GetValueOrDefault(item.InstrumentId) + volume;
    }

    private bool TryGetRoot(DbnSymbolMap map, uint instrumentId, ulong ts, out Symbol root)
    {
        if (!map.TryGetRoot(instrumentId, ts, out root) || (_options.Symbols is { Count: > 0 } wanted && !wanted.Contains(root)))
        {
            return false;
        }

        if (!_rawSymbols.ContainsKey(instrumentId) && map.TryGetSymbol(instrumentId, ts, out var raw))
        {
            _rawSymbols[instrumentId] = raw;
        }

        return true;
    }

    private int BarSeconds(byte rtype, int schemaSeconds, string name, long offset) => rtype switch
    {
        DbnRType.Ohlcv1S => 1,
        DbnRType.Ohlcv1M => 60,
        DbnRType.Ohlcv1H => 3_600,
        DbnRType.Ohlcv1D => 86_400,
        DbnRType.OhlcvDeprecated when _options.OhlcvTimeframe is { } tf => tf.Seconds,
        DbnRType.OhlcvDeprecated when schemaSeconds > 0 => schemaSeconds,
        DbnRType.OhlcvDeprecated => throw new DbnFormatException(
            $"{name}: an OHLCV bar of the deprecated rtype 0x11 in a file with no OHLCV schema; set OhlcvTimeframe to say which timeframe its bars are", offset),
        _ => throw new DbnFormatException($"{name}: {DbnRType.Describe(rtype)} bars cannot be replayed; use ohlcv-1s, ohlcv-1m, ohlcv-1h or ohlcv-1d", offset),
    };

    /// <summary>
    /// Per root, the contract of each UTC day: the one with the most volume that day, except that the choice never
    /// goes back to a contract it has rolled away from (so a day or two of near-equal volume around a roll cannot make
    /// the candles jump back and forth between expiries). Ties keep the current contract, then the lowest id.
    /// </summary>
    private Dictionary<(Symbol, int), uint> ChooseContracts(List<DbnReplayContract> contracts)
    {
        var chosen = new Dictionary<(Symbol, int), uint>();
        foreach (var root in _volumes.Keys.Select(static k => k.Root).Distinct().Order())
        {
            var abandoned = new HashSet<uint>();
            uint? current = null;
            var runStart = 0;
            var runEnd = 0;
            foreach (var day in _volumes.Keys.Where(k => k.Root == root).Select(static k => k.Day).Order())
            {
                uint? best = null;
                var bestVolume = 0UL;
                foreach (var (id, volume) in _volumes[(root, day)].OrderBy(static p => p.Key))
                {
                    if (abandoned.Contains(id))
                    {
                        continue;
                    }

                    if (best is null || volume > bestVolume || (volume == bestVolume && id == current))
                    {
                        (best, bestVolume) = (id, volume);
                    }
                }

                if (best is null)
                {
                    continue; // only abandoned contracts traded that day: serve nothing rather than jump back
                }

                if (current != best)
                {
                    if (current is { } previous)
                    {
                        abandoned.Add(previous);
                        contracts.Add(Contract(root, previous, runStart, runEnd));
                    }

                    current = best;
                    runStart = day;
                }

                runEnd = day;
                chosen[(root, day)] = best.Value;
            }

            if (current is { } last)
            {
                contracts.Add(Contract(root, last, runStart, runEnd));
            }
        }

        return chosen;
    }

    private DbnReplayContract Contract(Symbol root, uint id, int firstDay, int lastDay) =>
        new(root, _rawSymbols.GetValueOrDefault(id) ?? id.ToString(CultureInfo.InvariantCulture), id, DateOnly.FromDayNumber(EpochDay + firstDay), DateOnly.FromDayNumber(EpochDay + lastDay));

    /// <summary>Merges one-second bars (not an OrderFlow timeframe) into the minutes that hold them, per root.</summary>
    private static void AddMinutesFromSeconds(List<Item> seconds, List<MarketDataEvent> records)
    {
        seconds.Sort(static (a, b) => a.Root != b.Root ? a.Root.CompareTo(b.Root) : a.Candle.OpenTime.CompareTo(b.Candle.OpenTime));
        var builder = default(CandleBuilder);
        var root = default(Symbol);
        foreach (var item in seconds)
        {
            var minute = Timeframe.OneMinute.Floor(item.Candle.OpenTime);
            if (!builder.IsEmpty && (item.Root != root || builder.OpenTime != minute))
            {
                records.Add(MarketDataEvent.ForCandle(root, Timeframe.OneMinute, builder.Build()));
                builder.Reset();
            }

            if (builder.IsEmpty)
            {
                builder.Open(minute, item.Candle);
                root = item.Root;
            }
            else
            {
                builder.Merge(item.Candle);
            }
        }

        if (!builder.IsEmpty)
        {
            records.Add(MarketDataEvent.ForCandle(root, Timeframe.OneMinute, builder.Build()));
        }
    }

    private const int EpochDay = 719_162; // DateOnly(1970, 1, 1).DayNumber

    private static int Day(ulong tsEvent) => (int)(tsEvent / NanosPerDay);

    /// <summary>The decoder's error with the file name in front, keeping its offset.</summary>
    private static DbnFormatException Named(string name, DbnFormatException ex)
    {
        var message = ex.Message;
        if (ex.Offset >= 0)
        {
            var suffix = string.Create(CultureInfo.InvariantCulture, $" (at byte offset {ex.Offset})");
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                message = message[..^suffix.Length];
            }

            return new DbnFormatException($"{name}: {message}", ex.Offset, ex);
        }

        return new DbnFormatException($"{name}: {message}", ex);
    }

    /// <summary>One decoded trade (bar seconds 0) or bar, before the contract choice.</summary>
    private readonly record struct Item(Symbol Root, uint InstrumentId, int Day, int BarSeconds, Candle Candle, Tick Tick);
}
