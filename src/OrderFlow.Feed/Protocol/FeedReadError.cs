using System.Globalization;
using OrderFlow.Candles;

namespace OrderFlow.Feed.Protocol;

/// <summary>What was wrong with a skipped frame: the reason, the property involved and where.</summary>
/// <param name="Reason">Why the frame was skipped.</param>
/// <param name="Field">The property involved, when there is one (for example <c>price</c>).</param>
/// <param name="BytePosition">The byte offset in the frame where the problem was found, or -1.</param>
/// <param name="CandleRejection">For <see cref="FeedRejection.InvalidCandle"/> and <see cref="FeedRejection.InvalidTick"/>, the candle rule that refused the values.</param>
public readonly record struct FeedReadError(FeedRejection Reason, string? Field = null, long BytePosition = -1, CandleRejection CandleRejection = CandleRejection.None)
{
    /// <summary>Describes the fault for a log line, e.g. <c>WrongFieldType (field 'price', byte 41)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (Field is not null)
        {
            parts.Add($"field '{Field}'");
        }

        if (BytePosition >= 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"byte {BytePosition}"));
        }

        if (CandleRejection != CandleRejection.None)
        {
            parts.Add(CandleRejection.ToString());
        }

        return parts.Count == 0 ? Reason.ToString() : $"{Reason} ({string.Join(", ", parts)})";
    }
}
