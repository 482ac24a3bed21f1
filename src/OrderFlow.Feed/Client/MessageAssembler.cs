using System.Buffers;
using System.Net.WebSockets;

namespace OrderFlow.Feed.Client;

/// <summary>
/// Puts one WebSocket message back together from the fragments the socket returns, in one reused buffer: the
/// WebSocket framing already says where a message ends, so nothing is added to or changed in its bytes.
/// </summary>
/// <remarks>
/// The buffer starts small and grows with the messages that arrive, up to the message size limit; it is kept for the
/// next message, so the steady state allocates nothing. A message over the limit, and a binary message (the protocol
/// is text only), are not kept: their bytes are received into the buffer and overwritten, and only their first bytes
/// are kept for the log line. Not thread-safe: one receive loop owns it.
/// </remarks>
internal sealed class MessageAssembler : IDisposable
{
    /// <summary>How many of a rejected message's first bytes are kept for the log line.</summary>
    public const int HeadBytes = 64;

    private const int InitialSize = 16 * 1024;

    /// <summary>
    /// The largest buffer kept between messages. Only the first, small buffer comes from the shared pool; a grown one
    /// is this assembler's own (pooled, the receive loop's thread hops would leave one in every thread's pool slot),
    /// and one grown past this size for a large message (a big history answer) is dropped once the message is
    /// handled, so one large message does not pin tens of MB for the life of the connection.
    /// </summary>
    internal const int RetainedSize = 1024 * 1024;

    private readonly int _maxMessageBytes;
    private readonly byte[] _head = new byte[HeadBytes];
    private byte[] _buffer;
    private int _written;
    private long _messageBytes;
    private int _headLength;
    private bool _discarding;
    private bool _binary;
    private bool _pooled = true;

    /// <summary>Creates an assembler for messages of at most <paramref name="maxMessageBytes"/> bytes.</summary>
    public MessageAssembler(int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        _maxMessageBytes = maxMessageBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, maxMessageBytes));
    }

    /// <summary>The whole text message after <see cref="Append"/> returned <see cref="MessageStatus.Text"/>.</summary>
    public ReadOnlySpan<byte> Message => _buffer.AsSpan(0, _written);

    /// <summary>The first bytes of the message that was rejected (<see cref="MessageStatus.Binary"/>, <see cref="MessageStatus.TooLarge"/>).</summary>
    public ReadOnlySpan<byte> RejectedHead => _head.AsSpan(0, _headLength);

    /// <summary>The size limit of a message, in bytes.</summary>
    public int MaxMessageBytes => _maxMessageBytes;

    /// <summary>Where the socket should receive the next fragment: free space after the bytes kept so far.</summary>
    /// <param name="chunk">How many bytes to receive at most in one call.</param>
    public Memory<byte> GetReceiveMemory(int chunk)
    {
        if (_discarding)
        {
            return _buffer.AsMemory(0, Math.Min(chunk, _buffer.Length));
        }

        // Room for one byte over the limit, so a message that exceeds it is seen to (and one that meets it is not).
        var capacity = (int)Math.Min((long)_maxMessageBytes + 1, Array.MaxLength);
        if (_buffer.Length - _written < chunk && _buffer.Length < capacity)
        {
            Grow(chunk, capacity);
        }

        return _buffer.AsMemory(_written, Math.Min(chunk, _buffer.Length - _written));
    }

    /// <summary>Takes the fragment just received into the memory of <see cref="GetReceiveMemory"/>.</summary>
    /// <param name="count">How many bytes were received.</param>
    /// <param name="type">The message's type.</param>
    /// <param name="endOfMessage">Whether the fragment ends the message.</param>
    /// <returns>What is complete: nothing yet, a text message, or a rejected message.</returns>
    public MessageStatus Append(int count, WebSocketMessageType type, bool endOfMessage)
    {
        _messageBytes += count;
        if (_discarding && _headLength < HeadBytes)
        {
            // A rejected message's first bytes may come in several fragments; each is received at the buffer's start.
            var more = Math.Min(count, HeadBytes - _headLength);
            _buffer.AsSpan(0, more).CopyTo(_head.AsSpan(_headLength));
            _headLength += more;
        }
        else if (!_discarding)
        {
            if (type == WebSocketMessageType.Binary)
            {
                _binary = true;
                StartDiscarding(_buffer.AsSpan(_written, count));
            }
            else if (_messageBytes > _maxMessageBytes)
            {
                _written += count;
                StartDiscarding(TooLargeHead());
            }
            else
            {
                _written += count;
            }
        }

        if (!endOfMessage)
        {
            return MessageStatus.Incomplete;
        }

        var status = _binary ? MessageStatus.Binary : _discarding ? MessageStatus.TooLarge : MessageStatus.Text;
        _messageBytes = 0;
        _discarding = false;
        _binary = false;
        if (status != MessageStatus.Text)
        {
            _written = 0;
        }

        return status;
    }

    /// <summary>Forgets the message just handled; its buffer is reused, unless it grew past <see cref="RetainedSize"/>.</summary>
    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > RetainedSize)
        {
            // Not pooled (see Grow): the garbage collector takes it back.
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, _maxMessageBytes));
            _pooled = true;
        }
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (_pooled && buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ReadOnlySpan<byte> TooLargeHead() => _buffer.AsSpan(0, Math.Min(_written, HeadBytes));

    private void StartDiscarding(ReadOnlySpan<byte> head)
    {
        _headLength = Math.Min(head.Length, HeadBytes);
        head[.._headLength].CopyTo(_head);
        _discarding = true;
        _written = 0;
    }

    private void Grow(int chunk, int capacity)
    {
        var size = (int)Math.Min(capacity, Math.Max((long)_buffer.Length * 2, (long)_written + chunk));
        var bigger = GC.AllocateUninitializedArray<byte>(size);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _pooled = false;
        }

        _buffer = bigger;
    }
}

/// <summary>What <see cref="MessageAssembler.Append"/> found.</summary>
internal enum MessageStatus
{
    /// <summary>The message continues in the next fragment.</summary>
    Incomplete,

    /// <summary>A whole text message is in <see cref="MessageAssembler.Message"/>.</summary>
    Text,

    /// <summary>A binary message ended; it was not kept.</summary>
    Binary,

    /// <summary>A text message over the limit ended; it was not kept.</summary>
    TooLarge,
}
