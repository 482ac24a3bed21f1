namespace OrderFlow.Candles.Sessions;

/// <summary>
/// The half-open interval <c>[Start, End)</c>, in Unix seconds, covered by one candle.
/// </summary>
/// <param name="Start">The open time of the candle, in Unix seconds.</param>
/// <param name="End">The first second after the candle, in Unix seconds.</param>
public readonly record struct CandleBucket(long Start, long End)
{
    /// <summary>Whether <paramref name="unixSeconds"/> falls in <c>[Start, End)</c>.</summary>
    /// <param name="unixSeconds">A time in Unix seconds.</param>
    /// <returns><see langword="true"/> when inside the bucket.</returns>
    public bool Contains(long unixSeconds) => unixSeconds >= Start && unixSeconds < End;
}
