using System.Globalization;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Flow;
using OrderFlow.Candles.Rules;
using OrderFlow.MarketData;
using OrderFlow.MarketData.Simulation;

namespace OrderFlow.Databento.Replay;

/// <summary>
/// Reads DBN files into replay records for <see cref="DbnReplaySource"/>: trades (with their aggressor side; from
/// trades, tbbo or mbp-1 records) and OHLCV bars keyed by root symbol,
/// one contract per root and CME trading date (sessions from 17:00 America/Chicago), one-second bars merged into minutes.
/// </summary>
/// <remarks>
/// Choosing a contract for a trading date needs every record of that date from every file, so records are kept until
/// <see cref="Build"/> — but not all of them: bars are kept as decoded (one candle each), and trades only up to
/// <see cref="DbnReplayOptions.MaxTicks"/>; later trades are folded into 1-minute candles per contract as they are
/// decoded, so memory grows with the time span and the number of contracts, not with the number of trades.
/// Not thread-safe.
/// </remarks>
internal sealed class DbnReplayLoader
{
    private const ulong NanosPerMs = 1_000_000;
    private const ulong NanosPerDay = 86_400UL * 1_000_000_000UL;

    private readonly DbnReplayOptions _options;
    private readonly List<Item> _items = [];
    private readonly Dictionary<(Symbol Root, int Day), Dictionary<uint, ulong>> _volumes = [];
    private readonly Dictionary<uint, string> _rawSymbols = [];
    private readonly Dictionary<MinuteKey, Folded> _folded = [];
    private long _ticks;
    private long _sessionUtcDay = long.MinValue;
    private ulong _sessionBoundary;

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

    /// <summary>How many trades were folded into 1-minute candles because the tick window was full.</summary>
    public long FoldedTrades { get; private set; }

    /// <summary>Chooses the contracts and returns the replay records.</summary>
    public List<MarketDataEvent> Build(List<DbnReplayContract> contracts)
    {
        var chosen = ChooseContracts(contracts);
        var kept = new List<Item>(_items.Count);
        Dictionary<MinuteKey, CandleBuilder>? early = null;
        foreach (var item in _items)
        {
            if (chosen.TryGetValue((item.Root, item.Day), out var id) && id == item.InstrumentId)
            {
                if (item.BarSeconds == 0 && _folded.Count > 0
                    && _folded.ContainsKey(new MinuteKey(item.Root, item.InstrumentId, MinuteOf(item.Tick.EventTimeMs))))
                {
                    // A minute whose later trades were folded: its earlier ticks join the candle, so the minute is whole.
                    early ??= [];
                    var key = new MinuteKey(item.Root, item.InstrumentId, MinuteOf(item.Tick.EventTimeMs));
                    ref var builder = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(early, key, out _);
                    builder.Add(key.MinuteOpen, new Trade(item.Tick.EventTimeMs, item.Tick.Price, item.Tick.Size, item.Tick.Side));
                    continue;
                }

                kept.Add(item);
            }
            else
            {
                Skipped++;
            }
        }

        var foldedCandles = new List<Item>();
        foreach (var (key, folded) in _folded)
        {
            if (chosen.TryGetValue((key.Root, folded.Day), out var id) && id == key.InstrumentId)
            {
                var candle = folded.Builder;
                if (early is not null && early.TryGetValue(key, out var first))
                {
                    first.Merge(candle);
                    candle = first;
                }

                foldedCandles.Add(new Item(key.Root, key.InstrumentId, folded.Day, 60, candle.Build(), default));
            }
            else
            {
                Skipped += folded.Trades;
            }
        }

        if (foldedCandles.Count > 0)
        {
            ApplyContinuity(kept, foldedCandles);
            kept.AddRange(foldedCandles);
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

    /// <summary>
    /// Gives the folded minutes the live series' continuity (see <c>LiveCandleSeries</c>): per root, a minute opens
    /// at the previous close (of a tick or a folded minute) when the previous price is at most
    /// <see cref="CandleRules.ContinuityGap"/> old, so folded candles equal those the ticks would have built.
    /// </summary>
    private static void ApplyContinuity(List<Item> ticks, List<Item> folded)
    {
        var points = new List<(Symbol Root, long TimeMs, int Order, double Close, int Folded)>(folded.Count);
        for (var i = 0; i < folded.Count; i++)
        {
            points.Add((folded[i].Root, folded[i].Candle.OpenTime * 1000, 1, 0, i));
        }

        var perRootLast = new Dictionary<Symbol, (long TimeMs, double Close)>();
        foreach (var item in ticks)
        {
            if (item.BarSeconds == 0)
            {
                points.Add((item.Root, item.Tick.EventTimeMs, 0, item.Tick.Price, -1));
            }
        }

        points.Sort(static (a, b) => a.Root != b.Root ? a.Root.CompareTo(b.Root) : a.TimeMs != b.TimeMs ? a.TimeMs.CompareTo(b.TimeMs) : a.Order.CompareTo(b.Order));
        var gapMs = (long)CandleRules.Unlimited.ContinuityGap.TotalMilliseconds;
        foreach (var point in points)
        {
            if (point.Folded < 0)
            {
                perRootLast[point.Root] = (point.TimeMs, point.Close);
                continue;
            }

            var item = folded[point.Folded];
            var candle = item.Candle;
            if (perRootLast.TryGetValue(point.Root, out var last) && point.TimeMs - last.TimeMs <= gapMs && candle.Open != last.Close)
            {
                var builder = default(CandleBuilder);
                builder.Open(candle.OpenTime, Candle.Create(candle.OpenTime, last.Close, last.Close, last.Close, last.Close, 0));
                builder.Merge(candle);
                candle = builder.Build();
                folded[point.Folded] = item with { Candle = candle };
            }

            // The minute's last trade is at most its end; a later tick or minute continues from its close.
            perRootLast[point.Root] = (point.TimeMs + 59_999, candle.Close);
        }
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
        var day = Day(ts);
        if (_ticks < _options.MaxTicks)
        {
            _ticks++;
            Add(new Item(root, header.InstrumentId, day, 0, default, tick), size);
            return;
        }

        // The tick window is full: fold the trade into its contract's minute as it is decoded.
        FoldedTrades++;
        var key = new MinuteKey(root, header.InstrumentId, MinuteOf(tick.EventTimeMs));
        ref var folded = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_folded, key, out var exists);
        if (!exists)
        {
            folded.Day = day;
        }

        folded.Builder.Add(key.MinuteOpen, new Trade(tick.EventTimeMs, price, size, side));
        folded.Trades++;
        AddVolume(root, day, header.InstrumentId, size);
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
        AddVolume(item.Root, item.Day, item.InstrumentId, volume);
    }

    private void AddVolume(Symbol root, int day, uint instrumentId, ulong volume)
    {
        if (!_volumes.TryGetValue((root, day), out var byInstrument))
        {
            _volumes[(root, day)] = byInstrument = [];
        }

        byInstrument[instrumentId] = byInstrument.GetValueOrDefault(instrumentId) + volume;
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
    /// Per root, the contract of each CME trading date: the one with the most volume that date, except that the choice never
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

    /// <summary>
    /// The CME trading date of a time, as days since 1970-01-01: a session starts at 17:00 America/Chicago the day
    /// before (22:00 or 23:00 UTC, by daylight saving time), so the roll happens between sessions.
    /// </summary>
    private int Day(ulong tsEvent)
    {
        var utcDay = (long)(tsEvent / NanosPerDay);
        if (utcDay != _sessionUtcDay)
        {
            _sessionUtcDay = utcDay;
            var boundaryMs = CmeTradingHours.SessionStart(DateOnly.FromDayNumber(EpochDay + (int)utcDay + 1)).ToUnixTimeMilliseconds();
            _sessionBoundary = (ulong)boundaryMs * NanosPerMs;
        }

        return (int)utcDay + (tsEvent >= _sessionBoundary ? 1 : 0);
    }

    private static long MinuteOf(long eventTimeMs) => Math.DivRem(eventTimeMs, 60_000L, out var rem) * 60 - (rem < 0 ? 60 : 0);

    /// <summary>One contract's minute of folded trades.</summary>
    private readonly record struct MinuteKey(Symbol Root, uint InstrumentId, long MinuteOpen);

    /// <summary>The trades of a minute folded past the tick window, and the trading date they count for.</summary>
    private struct Folded
    {
        public CandleBuilder Builder;
        public int Day;
        public long Trades;
    }

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
