using System.Net.WebSockets;
using System.Threading.Channels;

namespace OrderFlow.ChartServer.Live;

/// <summary>
/// One WebSocket client of the live push: a bounded queue of ready-to-send messages (shared byte arrays, serialised
/// once per update for every client) and the loop that sends them. A client whose queue is full, or whose send takes
/// longer than the send timeout, is dropped: it never holds up the fan-out or the other clients.
/// </summary>
internal sealed class LiveClient
{
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeProvider _time;
    private readonly Action<LiveClient> _onDropped;
    private int _dropped;

    public LiveClient(WebSocket socket, int capacity, TimeSpan sendTimeout, TimeProvider time, Action<LiveClient> onDropped)
    {
        _socket = socket;
        _onDropped = onDropped;
        _sendTimeout = sendTimeout;
        _time = time;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite returns false when full: the caller drops the client
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>Why the client was dropped, or null while it is not.</summary>
    public string? DropReason { get; private set; }

    /// <summary>Queues a message without waiting; drops the client when its queue is full.</summary>
    public void Enqueue(byte[] message)
    {
        if (!_queue.Writer.TryWrite(message) && Volatile.Read(ref _dropped) == 0)
        {
            Drop("queue-full");
        }
    }

    /// <summary>Sends queued messages until the queue is completed, the socket fails, a send times out or the token fires.</summary>
    public async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        // The waits and sends take no token: a cancellable token makes the channel allocate a waiter and the WebSocket
        // take its slow path on every call, per client, which with 1,000 clients was most of an update's cost. Instead
        // one deadline for the client's whole life, re-armed per send, drops the client (aborting the socket, which
        // ends a stuck send), and the token completes the queue (which ends the wait).
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var timeout = deadline.Token.Register(static s => ((LiveClient)s!).Drop("send-timeout"), this);
        using var stop = cancellationToken.Register(static s => ((LiveClient)s!)._queue.Writer.TryComplete(), this);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (!cancellationToken.IsCancellationRequested && _queue.Reader.TryRead(out var message))
                {
                    deadline.CancelAfter(_sendTimeout);
                    await _socket.SendAsync(message.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    if (!deadline.TryReset())
                    {
                        return;
                    }
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Aborted by Drop (the send timed out).
        }
        catch (WebSocketException)
        {
            // The peer went away; the receive loop sees it too.
        }
        catch (ObjectDisposedException)
        {
            // Aborted by Drop.
        }
    }

    /// <summary>Stops the client at once: completes the queue and aborts the socket (no close handshake).</summary>
    public void Drop(string reason)
    {
        if (Interlocked.Exchange(ref _dropped, 1) != 0)
        {
            return;
        }

        DropReason = reason;
        _queue.Writer.TryComplete();
        _socket.Abort();
        _onDropped(this);
    }

    /// <summary>Completes the queue so the send loop ends after what is queued (a normal close).</summary>
    public void Complete()
    {
        Interlocked.Exchange(ref _dropped, 1); // a client that is leaving anyway is not counted as dropped
        _queue.Writer.TryComplete();
    }
}
