using OrderFlow.Candles;
using OrderFlow.Feed.Testing.Internal;

namespace OrderFlow.Feed.Testing;

/// <summary>Settings of a <see cref="DbnReplaySource"/>. Every default is documented on its property.</summary>
/// <remarks>The replay settings mean exactly what they mean for <see cref="CsvReplayOptions"/>.</remarks>
public sealed class DbnReplayOptions
{
    /// <summary>How fast the recording plays against the clock: 1 is real time. Default 1; between 0.001 and 1,000,000.</summary>
    public double Speed { get; set; } = 1;

    /// <summary>
    /// The recording time at which the replay starts (the replay clock): data at or before it is history from the
    /// start, later data is streamed. <see langword="null"/> (default) starts just before the first record, so every
    /// record is streamed. Compared before <see cref="ShiftToNow"/> is applied.
    /// </summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>
    /// Whether to move every time in the recording forward by whole weeks, so that the replay starts within the week
    /// before the clock's time (weekdays, hours and every timeframe alignment are kept). Default
    /// <see langword="false"/>: times are replayed as recorded.
    /// </summary>
    public bool ShiftToNow { get; set; }

    /// <summary>
    /// Whether to start again from the first record after the last, with every time moved forward by the recording's
    /// length rounded up to whole days (so times keep increasing and candles stay aligned); the stream then never ends.
    /// Default <see langword="false"/>: the stream ends after the last record.
    /// </summary>
    public bool Loop { get; set; }

    /// <summary>
    /// The root symbols to serve (for example GC and ES out of a file of many products); <see langword="null"/> or
    /// empty (default) serves every root in the files. Records of other roots are skipped while loading.
    /// </summary>
    public IReadOnlyList<Symbol>? Symbols { get; set; }

    /// <summary>
    /// The timeframe of OHLCV bars whose record type does not tell it — the deprecated rtype 0x11 of old DBN files in
    /// a file whose metadata has no schema. <see langword="null"/> (default): from the record type (0x20 1s, 0x21 1m,
    /// 0x22 1h, 0x23 1d), else from the file's schema; such a bar in a file with neither is an error.
    /// </summary>
    public Timeframe? OhlcvTimeframe { get; set; }

    /// <summary>The timeframes of the live candles built from recorded trades and streamed with them. Default 1m only.</summary>
    public IReadOnlyList<Timeframe> LiveTimeframes { get; set; } = [Timeframe.OneMinute];

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Speed"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="LiveTimeframes"/> is null, or <see cref="Symbols"/> holds the empty symbol.</exception>
    public void Validate()
    {
        if (!(Speed >= 0.001 && Speed <= 1_000_000))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Speed), Speed, "Speed must be between 0.001 and 1,000,000 (1 = real time).");
        }

        if (LiveTimeframes is null)
        {
            ThrowHelper.ThrowArgument(nameof(LiveTimeframes), "LiveTimeframes must not be null (use an empty list to stream trades only).");
        }

        if (Symbols is not null && Symbols.Any(static s => s.IsEmpty))
        {
            ThrowHelper.ThrowArgument(nameof(Symbols), "Symbols must not contain the empty symbol; use Symbol.Parse or a well-known symbol such as Symbol.GC.");
        }
    }
}
