namespace OrderFlow.Candles.Serialization;

/// <summary>A property of a candle object in the candle JSON vocabulary (<see cref="CandleJsonFields"/>).</summary>
/// <remarks>
/// The values are the fields' positions in the written order, from 0, so a reader can keep the fields it has seen as
/// bits (<c>1 &lt;&lt; (int)field</c>); <see cref="Unknown"/> is −1. The default value is <see cref="Time"/>.
/// </remarks>
public enum CandleJsonField
{
    /// <summary>Not a candle property (skipped by readers).</summary>
    Unknown = -1,

    /// <summary><c>time</c>, required.</summary>
    Time = 0,

    /// <summary><c>open</c>, required.</summary>
    Open = 1,

    /// <summary><c>high</c>, required.</summary>
    High = 2,

    /// <summary><c>low</c>, required.</summary>
    Low = 3,

    /// <summary><c>close</c>, required.</summary>
    Close = 4,

    /// <summary><c>volume</c>, required.</summary>
    Volume = 5,

    /// <summary><c>buyVolume</c>, optional order flow.</summary>
    BuyVolume = 6,

    /// <summary><c>sellVolume</c>, optional order flow.</summary>
    SellVolume = 7,

    /// <summary><c>delta</c>, optional and redundant (buy − sell): readers skip it.</summary>
    Delta = 8,
}
