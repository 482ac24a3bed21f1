using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.MarketData;

namespace OrderFlow.Databento;

/// <summary>
/// A client of Databento's Live gateway (the Raw TCP API): authenticates with the API key by challenge-response,
/// subscribes, decodes the DBN stream straight from the socket, watches heartbeats and reconnects with intraday replay
/// so that no record is lost or delivered twice.
/// </summary>
/// <remarks>
/// <para>
/// <b>Protocol.</b> Connect to <see cref="DatabentoLiveOptions.GetGatewayHost"/>:13000; the gateway sends
/// <c>lsg_version=…</c> and <c>cram=…</c>; the client answers <c>auth={sha256(cram|key) hex}-{last 5 of key}|dataset=…|
/// encoding=dbn|ts_out=0|client=…</c>; the gateway replies <c>success=1|session_id=…</c> (or
/// <c>success=0|error=…</c>); the client sends one <c>schema=…|stype_in=…|symbols=…[|start=…]|snapshot=0|id=…|is_last=…</c>
/// line per subscription (500 symbols per line) and <c>start_session</c>; then DBN metadata and records follow. The
/// records are read with <see cref="DbnSequenceReader"/> from a <c>PipeReader</c> over the socket: no copy and no
/// allocation per record.
/// </para>
/// <para>
/// <b>Heartbeats.</b> The gateway sends a system record when it has nothing else to send for the heartbeat interval.
/// When no byte arrives for <see cref="DatabentoLiveOptions.HeartbeatInterval"/> (default 30 s) +
/// <see cref="DatabentoLiveOptions.HeartbeatTimeoutMargin"/>, the connection is dead and is replaced.
/// </para>
/// <para>
/// <b>Reconnect and replay.</b> After a lost connection the client waits (exponential backoff from
/// <see cref="DatabentoLiveOptions.ReconnectMinDelay"/> to <see cref="DatabentoLiveOptions.ReconnectMaxDelay"/> with
/// full jitter, <see cref="ReconnectBackoff"/>, starting over only after a session stayed up with data for
/// <see cref="DatabentoLiveOptions.StableConnectionTime"/>), reconnects and resubscribes each subscription with
/// <c>start=</c> the last <c>ts_event</c> it delivered for that subscription's schema — inclusive, not + 1 ns, so
/// records that share that nanosecond but had not arrived are not lost. The replay's duplicates are dropped per (rtype, instrument): records
/// before the instrument's last delivered <c>ts_event</c>, and as many records at it as were delivered. The state is
/// <see cref="DatabentoLiveState.Replaying"/> until the gateway reports every replay complete. A subscription that had
/// delivered nothing resumes from its configured start or, without one, from the first session's start (at most 23
/// hours back).
/// </para>
/// <para>
/// <b>Authentication failures</b> are not retried: a wrong or revoked key does not fix itself, and retrying would
/// hammer the gateway. <see cref="RunAsync"/> reports <see cref="DatabentoLiveState.AuthenticationFailed"/> and throws
/// <see cref="DatabentoAuthenticationException"/>. The key is never logged nor put in a message (<c>db-…XXXXX</c>).
/// </para>
/// <para>One <see cref="RunAsync"/> at a time; the handler runs on the receive loop.</para>
/// </remarks>
/// <seealso href="https://databento.com/docs/api-reference-live?live=raw"/>
public sealed partial class DatabentoLiveClient
{
    private readonly DatabentoLiveOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private ulong _firstSessionStartNs;
    private readonly DbnSymbolMap _symbols = new();
    private int _state;
    private int _running;

    /// <summary>Creates a client; nothing connects until <see cref="RunAsync"/>.</summary>
    /// <param name="options">The options (validated here).</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for heartbeats and backoff; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DatabentoLiveClient(DatabentoLiveOptions options, ILogger<DatabentoLiveClient>? logger = null, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, null)
    {
    }

    // jitter: tests only, the backoff's source of jitter (seeded or pinned); Random.Shared when null.
    internal DatabentoLiveClient(DatabentoLiveOptions options, ILogger<DatabentoLiveClient>? logger, TimeProvider? timeProvider, Random? jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = DatabentoLiveOptionsValidator.GetErrors(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Databento Live options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _lastTsBySubscription = new ulong[options.Subscriptions.Count];
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay, options.StableConnectionTime, _time, jitter);
    }

    /// <summary>Instrument id → symbol → root, from the gateway's symbol mapping records. Read it from the handler.</summary>
    public DbnSymbolMap Symbols => _symbols;

    /// <summary>The current state.</summary>
    public DatabentoLiveState State => (DatabentoLiveState)Volatile.Read(ref _state);

    /// <summary>The gateway's id of the current or last session, or <see langword="null"/>.</summary>
    public string? SessionId { get; private set; }

    /// <summary>How many replayed records were dropped as duplicates after reconnects.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    /// <summary>How many sessions have been started (1 + successful reconnects).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>
    /// Connects, streams, and reconnects until <paramref name="cancellationToken"/> is cancelled; then returns.
    /// </summary>
    /// <param name="handler">Receives records and state changes on the receive loop.</param>
    /// <param name="cancellationToken">Stops the client.</param>
    /// <returns>A task that completes when the client has stopped.</returns>
    /// <exception cref="DatabentoAuthenticationException">The gateway rejected the key (not retried).</exception>
    /// <exception cref="InvalidOperationException">The client is already running.</exception>
    public async Task RunAsync(DatabentoLiveHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This DatabentoLiveClient is already running; create one client per session.");
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SetState(handler, DatabentoLiveState.Connecting, 0, null);
                string reason;
                Exception? error = null;
                try
                {
                    await RunSessionAsync(handler, cancellationToken).ConfigureAwait(false);
                    reason = "the session ended";
                }
                catch (DatabentoAuthenticationException e)
                {
                    Log.AuthenticationFailed(_logger, ApiKeyMask.Mask(_options.ResolveApiKey()), e.Detail ?? e.Message);
                    SetState(handler, DatabentoLiveState.AuthenticationFailed, 0, e.Message);
                    throw;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is IOException or SocketException or DbnFormatException or DatabentoLiveConnectionException or OperationCanceledException)
                {
                    reason = e.Message;
                    error = e;
                }

                // Only a session that stayed up with data starts the backoff over: one the gateway drops at once
                // keeps it growing.
                if (_backoff.OnDisconnected())
                {
                    Log.BackoffReset(_logger, _options.StableConnectionTime);
                }

                Log.ConnectionLost(_logger, reason, error is DatabentoLiveConnectionException ? null : error);
                SetState(handler, DatabentoLiveState.Disconnected, 0, reason);
                var delay = _backoff.NextDelay();
                Log.Reconnecting(_logger, delay, _backoff.Attempt);

                // The timer exists before the handler hears of the wait, so a test that advances a fake clock on the
                // state change cannot advance it past a timer that is not there yet.
                var wait = Task.Delay(delay, _time, cancellationToken);
                SetState(handler, DatabentoLiveState.Reconnecting, _backoff.Attempt, reason);
                try
                {
                    await wait.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            SetState(handler, DatabentoLiveState.Stopped, 0, null);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void SetState(DatabentoLiveHandler handler, DatabentoLiveState state, int attempt, string? reason)
    {
        Volatile.Write(ref _state, (int)state);
        handler.OnStateChanged(state, attempt, reason);
    }
}
