using OrderFlow.Redis.Serialization;

namespace OrderFlow.Redis.InPlace;

/// <summary>
/// The in-place writes that turn a stored array value into a new one (<see cref="StoredArray.Plan"/>): at most two
/// byte ranges, the oldest elements blanked and the changed tail with the new stamp, applied only when the value still
/// has the <see cref="ExpectedLength"/> and <see cref="ExpectedStamp"/> the store last wrote.
/// </summary>
internal sealed class ArrayEdit : IDisposable
{
    private readonly PooledBufferWriter _bytes;
    private readonly StoredArray _layout;
    private readonly int _dropped;
    private readonly int _firstChanged;
    private readonly int[] _tailStarts;
    private readonly int _close;

    public ArrayEdit(StoredArray layout, PooledBufferWriter bytes, EditRange front, EditRange tail, int dropped, int firstChanged, int[] tailStarts, int close, int newLength, ulong newStamp)
    {
        _layout = layout;
        _bytes = bytes;
        Front = front;
        Tail = tail;
        _dropped = dropped;
        _firstChanged = firstChanged;
        _tailStarts = tailStarts;
        _close = close;
        NewLength = newLength;
        NewStamp = newStamp;
        ExpectedLength = layout.Length;
        ExpectedStamp = WriteStamp.ToArray(layout.Stamp);
    }

    /// <summary>The layout of the value, which <see cref="Commit"/> brings up to date.</summary>
    public StoredArray Layout => _layout;

    /// <summary>The value's length this edit expects to find.</summary>
    public int ExpectedLength { get; }

    /// <summary>The stamp this edit expects the value to end with.</summary>
    public byte[] ExpectedStamp { get; }

    /// <summary>The blanked oldest elements; empty when none were dropped (or merged into <see cref="Tail"/>).</summary>
    public EditRange Front { get; }

    /// <summary>The new tail, padding and stamp: always written, up to the value's new end.</summary>
    public EditRange Tail { get; }

    /// <summary>The value's length after the edit.</summary>
    public int NewLength { get; }

    /// <summary>The stamp the value ends with after the edit.</summary>
    public ulong NewStamp { get; }

    /// <summary>The bytes to write at <paramref name="range"/>'s offset.</summary>
    public ReadOnlyMemory<byte> Bytes(EditRange range) => _bytes.WrittenMemory.Slice(range.Start, range.Length);

    /// <summary>Applies the edit to a copy of <paramref name="value"/>; null when the value is not the one expected.</summary>
    public byte[]? ApplyTo(ReadOnlySpan<byte> value)
    {
        if (value.Length != ExpectedLength || value.Length < WriteStamp.Length || !value[^WriteStamp.Length..].SequenceEqual(ExpectedStamp))
        {
            return null;
        }

        var result = new byte[NewLength];
        value[..Math.Min(value.Length, NewLength)].CopyTo(result);
        foreach (var range in (ReadOnlySpan<EditRange>)[Front, Tail])
        {
            Bytes(range).Span.CopyTo(result.AsSpan(range.Offset));
        }

        return result;
    }

    /// <summary>The store applied the edit: the layout now describes the new value.</summary>
    public void Commit() => _layout.Apply(_dropped, _firstChanged, _tailStarts, _close, NewLength, NewStamp);

    /// <summary>A command that timed out might still be read by the client: its bytes are never returned to the pool.</summary>
    public void Abandon() => _bytes.Abandon();

    public void Dispose() => _bytes.Dispose();
}

/// <summary>A range of an <see cref="ArrayEdit"/>: <see cref="Length"/> bytes, from <see cref="Start"/> in its buffer, written at <see cref="Offset"/> of the value.</summary>
internal readonly record struct EditRange(int Offset, int Start, int Length)
{
    public bool IsEmpty => Length == 0;
}
