using OrderFlow.Candles;
using OrderFlow.MarketData;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Sync.Engine;

/// <summary>The engine's books (one per symbol) and series, and the one lock that guards them.</summary>
internal sealed class SyncState
{
    private readonly Dictionary<Symbol, ChartBook> _books = [];
    private readonly Dictionary<SeriesKey, SyncSeries> _byKey = [];

    public SyncState(CandleSyncOptions options, CandleRuleBook rules)
    {
        var timeframes = options.Timeframes.Select(Timeframe.Parse).Distinct().Order().ToArray();
        var series = new List<SyncSeries>();
        foreach (var symbol in options.Symbols.Select(Symbol.Parse).Distinct())
        {
            var book = new ChartBook(timeframes.Select(tf => new ChartSpec(tf, rules.Get(symbol, tf), options.GetHistoryBars(tf))
            {
                FutureTolerance = options.FutureTolerance,
            }));
            _books[symbol] = book;
            foreach (var timeframe in timeframes)
            {
                var s = new SyncSeries(symbol, timeframe, book, rules.Get(symbol, timeframe), options.GetHistoryBars(timeframe));
                _byKey[new SeriesKey(symbol, timeframe)] = s;
                series.Add(s);
            }
        }

        Series = [.. series];
    }

    public Lock Lock { get; } = new();

    public SyncSeries[] Series { get; }

    public IEnumerable<KeyValuePair<Symbol, ChartBook>> Books => _books;

    public ChartBook? FindBook(Symbol symbol) => _books.GetValueOrDefault(symbol);

    public SyncSeries? Find(Symbol symbol, Timeframe timeframe) => _byKey.GetValueOrDefault(new SeriesKey(symbol, timeframe));

    /// <summary>The series of <paramref name="symbol"/> among <paramref name="timeframes"/>.</summary>
    public IEnumerable<SyncSeries> Find(Symbol symbol, TimeframeSet timeframes)
    {
        foreach (var timeframe in timeframes.ToEnumerable())
        {
            if (Find(symbol, timeframe) is { } s)
            {
                yield return s;
            }
        }
    }
}
