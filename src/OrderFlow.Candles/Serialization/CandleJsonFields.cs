using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace OrderFlow.Candles.Serialization;

/// <summary>
/// The property names of a candle object in OrderFlow's candle JSON vocabulary, as UTF-8, and the one matcher from a
/// name to its <see cref="CandleJsonField"/>: <see cref="CandleJsonWriter"/>, <see cref="CandleJsonReader"/> and the
/// feed protocol's reader (both its canonical scanner and its <see cref="Utf8JsonReader"/> path) all take the
/// vocabulary from here, so it is defined once.
/// </summary>
/// <remarks>
/// The names are listed in the order they are written: the six OHLCV fields every reader requires, then the order-flow
/// fields that only a candle with flow carries (<c>buyVolume</c>, <c>sellVolume</c>, and <c>delta</c>, which is
/// buy − sell, written for people and tools and skipped by readers). Matching is exact and case-sensitive, as JSON
/// property names are. Nothing here allocates. Thread-safe.
/// </remarks>
public static class CandleJsonFields
{
    /// <summary>The candle's open time: Unix seconds (or milliseconds, where the vocabulary allows them).</summary>
    public static ReadOnlySpan<byte> Time => "time"u8;

    /// <summary>The open price.</summary>
    public static ReadOnlySpan<byte> Open => "open"u8;

    /// <summary>The high price.</summary>
    public static ReadOnlySpan<byte> High => "high"u8;

    /// <summary>The low price.</summary>
    public static ReadOnlySpan<byte> Low => "low"u8;

    /// <summary>The close price.</summary>
    public static ReadOnlySpan<byte> Close => "close"u8;

    /// <summary>The traded volume.</summary>
    public static ReadOnlySpan<byte> Volume => "volume"u8;

    /// <summary>Volume traded by aggressive buyers; optional (absent: the candle has no order flow).</summary>
    public static ReadOnlySpan<byte> BuyVolume => "buyVolume"u8;

    /// <summary>Volume traded by aggressive sellers; optional (absent: the candle has no order flow).</summary>
    public static ReadOnlySpan<byte> SellVolume => "sellVolume"u8;

    /// <summary>Buy − sell volume: written for people and tools with the other flow fields; readers skip it.</summary>
    public static ReadOnlySpan<byte> Delta => "delta"u8;

    /// <summary>The UTF-8 name of a field.</summary>
    /// <param name="field">The field.</param>
    /// <returns>Its property name; empty for <see cref="CandleJsonField.Unknown"/> and undefined values.</returns>
    public static ReadOnlySpan<byte> NameOf(CandleJsonField field) => field switch
    {
        CandleJsonField.Time => Time,
        CandleJsonField.Open => Open,
        CandleJsonField.High => High,
        CandleJsonField.Low => Low,
        CandleJsonField.Close => Close,
        CandleJsonField.Volume => Volume,
        CandleJsonField.BuyVolume => BuyVolume,
        CandleJsonField.SellVolume => SellVolume,
        CandleJsonField.Delta => Delta,
        _ => default,
    };

    /// <summary>Which field an unescaped UTF-8 property name is.</summary>
    /// <param name="name">The property name, without quotes and unescaped.</param>
    /// <returns>The field, or <see cref="CandleJsonField.Unknown"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CandleJsonField Find(ReadOnlySpan<byte> name)
    {
        // The raw name compared as little-endian words rather than as byte strings: this runs once per field of every
        // candle of a 100,000-bar history answer.
        if (name.Length >= 3)
        {
            var head = name.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(name) : 0u;
            switch (name.Length)
            {
                case 4:
                    return head switch
                    {
                        0x656D_6974 => CandleJsonField.Time, // "time"
                        0x6E65_706F => CandleJsonField.Open, // "open"
                        0x6867_6968 => CandleJsonField.High, // "high"
                        _ => CandleJsonField.Unknown,
                    };
                case 3:
                    return name[0] == 'l' && name[1] == 'o' && name[2] == 'w' ? CandleJsonField.Low : CandleJsonField.Unknown;
                case 5:
                    return head == 0x736F_6C63 && name[4] == 'e' ? CandleJsonField.Close // "close"
                        : head == 0x746C_6564 && name[4] == 'a' ? CandleJsonField.Delta // "delta"
                        : CandleJsonField.Unknown;
                case 6:
                    return head == 0x756C_6F76 && name[4] == 'm' && name[5] == 'e' ? CandleJsonField.Volume : CandleJsonField.Unknown; // "volume"
                case 9:
                    return name.SequenceEqual(BuyVolume) ? CandleJsonField.BuyVolume : CandleJsonField.Unknown;
                case 10:
                    return name.SequenceEqual(SellVolume) ? CandleJsonField.SellVolume : CandleJsonField.Unknown;
            }
        }

        return CandleJsonField.Unknown;
    }

    /// <summary>Which field the property name at a reader's current token is (escaped or split across segments included).</summary>
    /// <param name="reader">A reader on a <see cref="JsonTokenType.PropertyName"/> token.</param>
    /// <returns>The field, or <see cref="CandleJsonField.Unknown"/>.</returns>
    public static CandleJsonField Find(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            return Find(reader.ValueSpan);
        }

        return reader.ValueTextEquals(Time) ? CandleJsonField.Time
            : reader.ValueTextEquals(Open) ? CandleJsonField.Open
            : reader.ValueTextEquals(High) ? CandleJsonField.High
            : reader.ValueTextEquals(Low) ? CandleJsonField.Low
            : reader.ValueTextEquals(Close) ? CandleJsonField.Close
            : reader.ValueTextEquals(Volume) ? CandleJsonField.Volume
            : reader.ValueTextEquals(BuyVolume) ? CandleJsonField.BuyVolume
            : reader.ValueTextEquals(SellVolume) ? CandleJsonField.SellVolume
            : reader.ValueTextEquals(Delta) ? CandleJsonField.Delta
            : CandleJsonField.Unknown;
    }
}
