using OrderFlow.Candles;
using OrderFlow.MarketData.Internal;

namespace OrderFlow.MarketData.Simulation;

/// <summary>How a <see cref="ReplayMarket"/> plays its recording, whatever the recording's format. Every default is documented on its property.</summary>
/// <remarks>Checked once, when the replay is created (<see cref="Validate"/>).</remarks>
public class ReplayOptions
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

    /// <summary>The timeframes of the live candles built from recorded trades and streamed with them. Default 1m only.</summary>
    public IReadOnlyList<Timeframe> LiveTimeframes { get; set; } = [Timeframe.OneMinute];

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Speed"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="LiveTimeframes"/> is null, or a setting of a derived class is invalid.</exception>
    public virtual void Validate()
    {
        if (!(Speed >= 0.001 && Speed <= 1_000_000))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Speed), Speed, "Speed must be between 0.001 and 1,000,000 (1 = real time).");
        }

        if (LiveTimeframes is null)
        {
            ThrowHelper.ThrowArgument(nameof(LiveTimeframes), "LiveTimeframes must not be null (use an empty list to stream trades only).");
        }
    }
}
