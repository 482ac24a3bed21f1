using System.Buffers;
using OrderFlow.Candles;
using OrderFlow.Redis.Serialization;

namespace OrderFlow.Redis.InPlace;

/// <summary>
/// What the store last wrote to one array key (a chart or a live buffer), enough to change that value in place: where
/// each element starts, where the array closes, the value's length and the <see cref="WriteStamp"/> it ends with.
/// </summary>
/// <remarks>
/// <para>
/// The value is always <c>[</c>, elements as <see cref="OrderFlow.Candles.Serialization.CandleJsonWriter"/> writes
/// them (a <c>{</c> only ever opens an element), <c>]</c>, then JSON whitespace: padding, and the stamp last. An
/// in-place write (<see cref="Plan"/>) blanks the oldest elements with spaces instead of moving the rest, and rewrites
/// the value from the first changed element to its end; the value never shrinks, so what a shorter tail leaves
/// behind becomes padding. Every reader parses it as the same array.
/// </para>
/// <para>
/// Blank bytes are bounded: once they would exceed <see cref="MinBlankToCompact"/> and an eighth of the value, the
/// planner answers "write it whole", which compacts it. Not thread-safe: the store takes a key's layout out of its
/// table for the duration of a write.
/// </para>
/// </remarks>
internal sealed class StoredArray
{
    /// <summary>Blank bytes (padding, blanked elements) a value may carry before a write compacts it, whatever its size.</summary>
    public const int MinBlankToCompact = 4096;

    // Offsets of the elements' '{', oldest first from _first: dropping the oldest moves an index.
    private int[] _starts;
    private int _first;
    private int _count;

    // For a live buffer, the candles it holds (the engine hands over the whole buffer; this finds what changed).
    private Candle[] _candles = [];
    private int _candleCount;

    private StoredArray(int[] starts, int count, int close, int length, ulong stamp)
    {
        _starts = starts;
        _count = count;
        Close = close;
        Length = length;
        Stamp = stamp;
    }

    /// <summary>The candles the value holds, for a live buffer (<see cref="RememberCandles"/>); empty for a chart.</summary>
    public ReadOnlySpan<Candle> Candles => _candles.AsSpan(0, _candleCount);

    /// <summary>When the value was last written (a <see cref="TimeProvider"/> timestamp), for a live buffer's refresh interval.</summary>
    public long WrittenAt { get; set; }

    /// <summary>How many elements the array holds.</summary>
    public int Count => _count;

    /// <summary>The offset of the array's <c>]</c>.</summary>
    public int Close { get; private set; }

    /// <summary>The value's length, stamp included.</summary>
    public int Length { get; private set; }

    /// <summary>The stamp the value ends with.</summary>
    public ulong Stamp { get; private set; }

    /// <summary>Bytes of whitespace before the first element and between <c>]</c> and the stamp.</summary>
    public int Blank => (_count == 0 ? 0 : Start(0) - 1) + (Length - WriteStamp.Length - Close - 1);

    /// <summary>Describes a value written whole: a compact JSON array of candle objects followed by its stamp.</summary>
    public static StoredArray Describe(ReadOnlySpan<byte> value, ulong stamp)
    {
        var array = value[..^WriteStamp.Length];
        var starts = new int[Math.Max(4, array.Count((byte)'{'))];
        var count = 0;
        for (var at = array.IndexOf((byte)'{'); at >= 0;)
        {
            starts[count++] = at;
            var next = array[(at + 1)..].IndexOf((byte)'{');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return new StoredArray(starts, count, array.LastIndexOf((byte)']'), value.Length, stamp);
    }

    /// <summary>
    /// Plans the writes that turn the value into: its oldest <paramref name="dropped"/> elements removed, and its
    /// elements from index <paramref name="firstChanged"/> (counted after the drop) on replaced by <paramref name="tail"/>.
    /// </summary>
    /// <param name="dropped">How many of the oldest elements go.</param>
    /// <param name="firstChanged">The index, after the drop, from which the elements are replaced.</param>
    /// <param name="tail">The new elements from there on, comma-separated, without brackets; empty for none.</param>
    /// <param name="newStamp">The stamp of the new value.</param>
    /// <returns>
    /// The edit, or null when the value must be written whole: the changes do not fit the array (a caller's
    /// mistake or a value this layout does not describe), nothing would be left, the blank bytes would pass the
    /// compaction bound, or the edit would send more than half the value anyway.
    /// </returns>
    public ArrayEdit? Plan(int dropped, int firstChanged, ReadOnlySpan<byte> tail, ulong newStamp)
    {
        var kept = _count - dropped;
        if (dropped < 0 || firstChanged < 0 || kept <= 0 || firstChanged > kept || (firstChanged == 0 && tail.IsEmpty))
        {
            return null;
        }

        var tailStarts = ElementStarts(tail);

        // The tail goes over the first replaced element; when it only appends, over the ']' after a comma; when it
        // only cuts the array short, a ']' goes over the comma before the first element removed.
        int offset;
        var comma = false;
        if (firstChanged < kept)
        {
            offset = tail.IsEmpty ? Start(dropped + firstChanged) - 1 : Start(dropped + firstChanged);
        }
        else
        {
            offset = Close;
            comma = !tail.IsEmpty;
        }

        var contentEnd = offset + (comma ? 1 : 0) + tail.Length + 1;
        var stampAt = Math.Max(Length - WriteStamp.Length, contentEnd);
        var newLength = stampAt + WriteStamp.Length;
        var frontBlank = dropped > 0 ? Start(dropped) - Start(0) : 0;
        var blank = (Start(dropped) - 1) + (stampAt - contentEnd);
        var sent = frontBlank + (newLength - offset);
        if (blank > Math.Max(MinBlankToCompact, newLength / 8) || sent > newLength / 2)
        {
            return null;
        }

        var bytes = new PooledBufferWriter(sent + 16);
        var tailFrom = offset;
        if (frontBlank > 0 && Start(dropped) == offset)
        {
            // The blanked elements end where the tail starts: one range.
            tailFrom = Start(0);
            Fill(bytes, (byte)' ', frontBlank);
            frontBlank = 0;
        }
        else
        {
            Fill(bytes, (byte)' ', frontBlank);
        }

        var front = new EditRange(Start(0), 0, frontBlank);
        var tailStart = frontBlank;
        if (comma)
        {
            Fill(bytes, (byte)',', 1);
        }

        bytes.Write(tail);
        Fill(bytes, (byte)']', 1);
        Fill(bytes, (byte)' ', stampAt - contentEnd);
        WriteStamp.Write(newStamp, bytes.GetSpan(WriteStamp.Length));
        bytes.Advance(WriteStamp.Length);
        var tailRange = new EditRange(tailFrom, tailStart, bytes.WrittenSpan.Length - tailStart);

        var firstTailStart = offset + (comma ? 1 : 0);
        for (var i = 0; i < tailStarts.Length; i++)
        {
            tailStarts[i] += firstTailStart;
        }

        return new ArrayEdit(this, bytes, front, tailRange, dropped, firstChanged, tailStarts, contentEnd - 1, newLength, newStamp);
    }

    /// <summary>Records an applied edit (see <see cref="ArrayEdit.Commit"/>).</summary>
    public void Apply(int dropped, int firstChanged, int[] tailStarts, int close, int length, ulong stamp)
    {
        _first += dropped;
        _count = firstChanged;
        var needed = _count + tailStarts.Length;
        if (_first + needed > _starts.Length)
        {
            var grown = new int[Math.Max(needed + (needed / 4), 16)];
            Array.Copy(_starts, _first, grown, 0, _count);
            _starts = grown;
            _first = 0;
        }

        tailStarts.CopyTo(_starts, _first + _count);
        _count = needed;
        Close = close;
        Length = length;
        Stamp = stamp;
    }

    /// <summary>Whether <paramref name="value"/> has this layout's length and stamp (the in-memory store's check; Redis runs it in a script).</summary>
    public bool Describes(ReadOnlySpan<byte> value)
    {
        Span<byte> stamp = stackalloc byte[WriteStamp.Length];
        WriteStamp.Write(Stamp, stamp);
        return value.Length == Length && value.Length >= WriteStamp.Length && value[^WriteStamp.Length..].SequenceEqual(stamp);
    }

    /// <summary>Keeps a copy of the candles the value now holds (a live buffer's; empty for none).</summary>
    public void RememberCandles(ReadOnlySpan<Candle> candles)
    {
        if (_candles.Length < candles.Length)
        {
            _candles = new Candle[candles.Length];
        }

        candles.CopyTo(_candles);
        _candleCount = candles.Length;
    }

    private int Start(int index) => _starts[_first + index];

    private static int[] ElementStarts(ReadOnlySpan<byte> elements)
    {
        var starts = new int[elements.Count((byte)'{')];
        var n = 0;
        for (var i = 0; i < elements.Length; i++)
        {
            if (elements[i] == (byte)'{')
            {
                starts[n++] = i;
            }
        }

        return starts;
    }

    private static void Fill(PooledBufferWriter bytes, byte value, int count)
    {
        if (count > 0)
        {
            bytes.GetSpan(count)[..count].Fill(value);
            bytes.Advance(count);
        }
    }
}
