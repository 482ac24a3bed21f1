using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OrderFlow.Dbn;

/// <summary>
/// A buffered UTF-8 writer over a stream: numbers and text are formatted straight into a 64 KiB buffer. It is also an
/// <see cref="IBufferWriter{T}"/>, so a <see cref="System.Text.Json.Utf8JsonWriter"/> writes into the same buffer.
/// </summary>
internal sealed class Utf8Output(Stream stream) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;

    public long BytesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _length)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                stream.Write(bytes);
                BytesWritten += bytes.Length;
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Write(byte b)
    {
        if (_length == _buffer.Length)
        {
            Flush();
        }

        _buffer[_length++] = b;
    }

    public void Write(ulong value) => Reserve(20, out var span).Commit(Utf8Formatter.TryFormat(value, span, out var n) ? n : 0);

    public void Write(long value) => Reserve(20, out var span).Commit(Utf8Formatter.TryFormat(value, span, out var n) ? n : 0);

    public void Write(double value) => Reserve(32, out var span).Commit(value.TryFormat(span, out var n, "R", CultureInfo.InvariantCulture) ? n : 0);

    public void WriteChars(ReadOnlySpan<char> text)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(text.Length, 256))];
        if (text.Length <= 256)
        {
            Write(bytes[..Encoding.UTF8.GetBytes(text, bytes)]);
        }
        else
        {
            Write(Encoding.UTF8.GetBytes(text.ToString()));
        }
    }

    /// <summary>Writes a JSON string literal, escaping quotes, backslashes and control characters.</summary>
    public void WriteJsonString(ReadOnlySpan<byte> utf8)
    {
        Write((byte)'"');
        foreach (var b in utf8)
        {
            switch (b)
            {
                case (byte)'"':
                    Write("\\\""u8);
                    break;
                case (byte)'\\':
                    Write("\\\\"u8);
                    break;
                case < 0x20:
                    Write("\\u00"u8);
                    Write((byte)"0123456789abcdef"[b >> 4]);
                    Write((byte)"0123456789abcdef"[b & 15]);
                    break;
                default:
                    Write(b);
                    break;
            }
        }

        Write((byte)'"');
    }

    public void WriteJsonString(string text) => WriteJsonString(Encoding.UTF8.GetBytes(text));

    /// <summary>Writes a CSV field, quoted only when it holds a comma, a quote or a line break.</summary>
    public void WriteCsvField(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAny(",\"\r\n"u8) < 0)
        {
            Write(utf8);
            return;
        }

        Write((byte)'"');
        foreach (var b in utf8)
        {
            if (b == '"')
            {
                Write((byte)'"');
            }

            Write(b);
        }

        Write((byte)'"');
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var size = Math.Max(sizeHint, 1);
        if (_buffer.Length - _length < size)
        {
            Flush();
            if (_buffer.Length < size)
            {
                _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
            }
        }

        return _buffer.AsMemory(_length);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    public void Flush()
    {
        if (_length > 0)
        {
            stream.Write(_buffer, 0, _length);
            BytesWritten += _length;
            _length = 0;
        }

        stream.Flush();
    }

    private Utf8Output Reserve(int size, out Span<byte> span)
    {
        if (_buffer.Length - _length < size)
        {
            Flush();
        }

        span = _buffer.AsSpan(_length);
        return this;
    }

    private void Commit(int n) => _length += n;
}
