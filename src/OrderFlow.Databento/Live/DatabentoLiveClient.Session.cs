using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;

namespace OrderFlow.Databento;

/// <content>One connection: connect, authenticate, subscribe, stream.</content>
public sealed partial class DatabentoLiveClient
{
    private const int MaxLineLength = 8192;

    private long _lastReceiveTimestamp;
    private PipeReader? _currentReader;
    private volatile bool _dead;
    private int _sessions;

    private async Task RunSessionAsync(DatabentoLiveHandler handler, CancellationToken cancellationToken)
    {
        var key = _options.ResolveApiKey()!;
        var host = _options.GetGatewayHost();
        var described = _options.ToString();
        Log.Connecting(_logger, host, _options.Port, described);

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var handshakeTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handshakeTimeout.Token);
        try
        {
            await socket.ConnectAsync(host, _options.Port, handshake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (handshakeTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DatabentoLiveConnectionException($"Connecting to {host}:{_options.Port} timed out after {_options.ConnectTimeout}.");
        }

        var stream = new NetworkStream(socket, ownsSocket: false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
            _dead = false;
            Touch();
            Volatile.Write(ref _currentReader, reader);
            var deadLimit = _options.DeadConnectionTimeout;
            var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, deadLimit.Ticks / 8));
            var watchdog = _time.CreateTimer(static s => ((DatabentoLiveClient)s!).CheckAlive(), this, period, period);
            try
            {
                var hs = handshake.Token;
                string greeting;
                string challenge;
                Dictionary<string, string> reply;
                try
                {
                    greeting = await ReadLineAsync(reader, hs).ConfigureAwait(false);
                    challenge = await ReadLineAsync(reader, hs).ConfigureAwait(false);
                    if (!challenge.StartsWith("cram=", StringComparison.Ordinal))
                    {
                        throw new DatabentoLiveConnectionException($"The gateway sent no CRAM challenge (expected 'cram=…', got {challenge.Length} characters).");
                    }

                    var auth = LiveProtocol.ComputeAuth(challenge["cram=".Length..], key);
                    await WriteAsync(stream, LiveProtocol.AuthLine(auth, _options), hs).ConfigureAwait(false);
                    reply = LiveProtocol.Parse(await ReadLineAsync(reader, hs).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (handshakeTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new DatabentoLiveConnectionException($"The handshake with {host}:{_options.Port} timed out after {_options.ConnectTimeout}.");
                }

                if (!reply.TryGetValue("success", out var success) || success != "1")
                {
                    var detail = ApiKeyMask.Scrub(reply.GetValueOrDefault("error") ?? "no reason given", key);
                    throw new DatabentoAuthenticationException(
                        $"Databento Live rejected API key {ApiKeyMask.Mask(key)} for dataset {_options.Dataset}: {detail}. Check the key and its entitlements; authentication failures are not retried.")
                    { Detail = detail };
                }

                SessionId = reply.GetValueOrDefault("session_id");
                var resumed = Sessions > 0;
                var starts = PrepareStarts(resumed);
                var lines = LiveProtocol.SubscriptionLines(_options.Subscriptions, starts);
                var request = new StringBuilder();
                foreach (var line in lines)
                {
                    var sent = line.TrimEnd('\n');
                    Log.SubscriptionSent(_logger, sent);
                    request.Append(line);
                }

                request.Append(LiveProtocol.StartSession);
                await WriteAsync(stream, request.ToString(), cancellationToken).ConfigureAwait(false);

                var (metadata, metadataLength) = await ReadMetadataAsync(reader, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _sessions);
                _backoff.OnConnected();
                _pendingReplays = starts.Count(s => s is not null);
                var gatewayVersion = LiveProtocol.Parse(greeting).GetValueOrDefault("lsg_version") ?? "?";
                Log.SessionStarted(_logger, SessionId ?? "?", gatewayVersion, lines.Count, _pendingReplays > 0 ? $", replaying {_pendingReplays}" : string.Empty);
                handler.OnMetadata(metadata);
                SetState(handler, _pendingReplays > 0 ? DatabentoLiveState.Replaying : DatabentoLiveState.Streaming, 0, null);

                await ReadRecordsAsync(reader, new DbnReaderState(metadata.Version, metadata.TsOut, metadataLength), handler, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await watchdog.DisposeAsync().ConfigureAwait(false);
                Volatile.Write(ref _currentReader, null);
                await reader.CompleteAsync().ConfigureAwait(false);
                if (_duplicatesThisSession > 0)
                {
                    Log.DuplicatesDropped(_logger, _duplicatesThisSession);
                    _duplicatesThisSession = 0;
                }
            }
        }
    }

    private async Task ReadRecordsAsync(PipeReader reader, DbnReaderState state, DatabentoLiveHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw DeadConnection();
            }

            Touch();
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            try
            {
                consumed = ProcessRecords(buffer, ref state, handler);
            }
            finally
            {
                reader.AdvanceTo(consumed, buffer.End);
            }

            if (result.IsCompleted)
            {
                throw new DatabentoLiveConnectionException("The gateway closed the connection.");
            }
        }
    }

    private SequencePosition ProcessRecords(in ReadOnlySequence<byte> buffer, ref DbnReaderState state, DatabentoLiveHandler handler)
    {
        var reader = new DbnSequenceReader(buffer, state, isFinalBlock: false);
        while (reader.TryRead(out var record))
        {
            OnRecord(in record, handler);
        }

        state = reader.CurrentState;
        return reader.Position;
    }

    private async Task<(DbnMetadata Metadata, long Length)> ReadMetadataAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw DeadConnection();
            }

            Touch();
            var buffer = result.Buffer;
            if (DbnMetadataReader.TryRead(buffer, out var metadata, out var consumed))
            {
                var length = buffer.Slice(0, consumed).Length;
                reader.AdvanceTo(consumed);
                return (metadata!, length);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new DatabentoLiveConnectionException("The gateway closed the connection before the DBN metadata.");
            }
        }
    }

    private async ValueTask<string> ReadLineAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw DeadConnection();
            }

            Touch();
            var buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } newline)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, newline));
                reader.AdvanceTo(buffer.GetPosition(1, newline));
                return line.TrimEnd('\r');
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (buffer.Length > MaxLineLength)
            {
                throw new DatabentoLiveConnectionException($"The gateway sent a control line longer than {MaxLineLength} bytes.");
            }

            if (result.IsCompleted)
            {
                throw new DatabentoLiveConnectionException("The gateway closed the connection during the handshake.");
            }
        }
    }

    private static async ValueTask WriteAsync(NetworkStream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Touch() => Volatile.Write(ref _lastReceiveTimestamp, _time.GetTimestamp());

    private void CheckAlive()
    {
        var elapsed = _time.GetElapsedTime(Volatile.Read(ref _lastReceiveTimestamp));
        if (elapsed > _options.DeadConnectionTimeout && Volatile.Read(ref _currentReader) is { } reader && !_dead)
        {
            _dead = true;
            Log.HeartbeatTimeout(_logger, elapsed, _options.DeadConnectionTimeout);
            try
            {
                reader.CancelPendingRead();
            }
            catch (InvalidOperationException)
            {
                // The session completed the reader in the meantime: nothing left to wake.
            }
        }
    }

    private DatabentoLiveConnectionException DeadConnection() =>
        new($"No data or heartbeat from the gateway for more than {_options.DeadConnectionTimeout}: the connection is dead.");
}
