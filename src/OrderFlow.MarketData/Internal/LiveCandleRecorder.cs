using OrderFlow.Candles;
using OrderFlow.Candles.Live;
using OrderFlow.Candles.Rules;

namespace OrderFlow.MarketData.Internal;

/// <summary>
/// Turns one symbol's trades into live candle events with <see cref="LiveCandleSeries"/> (no candle maths of its
/// own), and keeps every completed 1-minute candle since the start, so that history can include them.
/// </summary>
/// <remarks>
/// A candle update is sent once per flush while its candle changed, plus once more, final, when the next candle of
/// the timeframe opens. Not thread-safe: its owner locks.
/// </remarks>
internal sealed class LiveCandleRecorder
{
    private readonly Symbol _symbol;
    private readonly LiveCandleSeries[] _series;
    private readonly bool[] _streamed;
    private readonly bool[] _dirty;
    private readonly List<Candle> _recorded = [];
    private readonly long _lastSeededOpenTime;

    /// <param name="symbol">The symbol.</param>
    /// <param name="streamed">The timeframes whose candle updates are sent.</param>
    /// <param name="rules">The live rules per timeframe.</param>
    /// <param name="seed">Candles before the start per timeframe (ascending; may be empty), to prime continuity and the spike reference.</param>
    public LiveCandleRecorder(Symbol symbol, IReadOnlyList<Timeframe> streamed, Func<Timeframe, CandleRules> rules, Func<Timeframe, Candle[]> seed)
    {
        _symbol = symbol;
        var timeframes = new List<Timeframe> { Timeframe.OneMinute };
        foreach (var tf in streamed)
        {
            if (!timeframes.Contains(tf))
            {
                timeframes.Add(tf);
            }
        }

        _series = new LiveCandleSeries[timeframes.Count];
        _streamed = new bool[timeframes.Count];
        _dirty = new bool[timeframes.Count];
        for (var i = 0; i < timeframes.Count; i++)
        {
            _series[i] = new LiveCandleSeries(timeframes[i], rules(timeframes[i]));
            _series[i].Seed(seed(timeframes[i]));
            _streamed[i] = streamed.Contains(timeframes[i]);
        }

        _lastSeededOpenTime = _series[0].HasCurrent ? _series[0].Current.OpenTime : long.MinValue;
    }

    /// <summary>Completed 1-minute candles since the start, ascending.</summary>
    public IReadOnlyList<Candle> Recorded => _recorded;

    /// <summary>The 1-minute candle in progress, when it opened after the start.</summary>
    public bool TryGetCurrent(out Candle candle)
    {
        var series = _series[0];
        if (series.HasCurrent && series.Current.OpenTime > _lastSeededOpenTime)
        {
            candle = series.Current;
            return true;
        }

        candle = default;
        return false;
    }

    /// <summary>The number of 1-minute candles since the start, the one in progress included.</summary>
    public int LiveCount => _recorded.Count + (TryGetCurrent(out _) ? 1 : 0);

    /// <summary>Copies the 1-minute candles since the start (the one in progress last) into a list.</summary>
    public void CopyLiveTo(List<Candle> destination)
    {
        destination.AddRange(_recorded);
        if (TryGetCurrent(out var current))
        {
            destination.Add(current);
        }
    }

    /// <summary>Applies a trade; adds the tick event and any final candle updates to <paramref name="sink"/>.</summary>
    /// <returns>Whether the 1-minute series accepted the trade (a refused trade is not sent).</returns>
    public bool ApplyTick(in Tick tick, List<MarketDataEvent>? sink)
    {
        for (var i = 0; i < _series.Length; i++)
        {
            var series = _series[i];
            var had = series.HasCurrent;
            var previous = had ? series.Current : default;
            if (series.ApplyTick(tick) != CandleRejection.None)
            {
                if (i == 0)
                {
                    return false;
                }

                continue;
            }

            if (had && series.Current.OpenTime != previous.OpenTime)
            {
                if (i == 0 && previous.OpenTime > _lastSeededOpenTime)
                {
                    _recorded.Add(previous);
                }

                if (_dirty[i] && _streamed[i] && sink is not null)
                {
                    sink.Add(MarketDataEvent.ForCandle(_symbol, series.Timeframe, previous));
                }
            }

            _dirty[i] = true;
        }

        sink?.Add(MarketDataEvent.ForTick(_symbol, tick));
        return true;
    }

    /// <summary>Adds the current candle of every streamed timeframe that changed since the last flush.</summary>
    public void Flush(List<MarketDataEvent>? sink)
    {
        for (var i = 0; i < _series.Length; i++)
        {
            if (_dirty[i] && _streamed[i] && sink is not null)
            {
                sink.Add(MarketDataEvent.ForCandle(_symbol, _series[i].Timeframe, _series[i].Current));
            }

            _dirty[i] = false;
        }
    }
}
