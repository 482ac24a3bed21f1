using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using OrderFlow.ChartServer.Api;
using OrderFlow.ChartServer.Hosting;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Live;

/// <summary>
/// <c>GET /ws/live?symbol=GC&amp;tf=1m</c>: a WebSocket that relays the store's live updates of one series. The
/// query is validated before the upgrade (400 problem); a cross-site Origin is refused (403). The first message,
/// <c>{"type":"subscribed",…}</c>, says the store subscription is active (a page reloads from the API then, so a
/// reconnect leaves no gap); candle messages follow. Whatever the client sends is read and ignored.
/// </summary>
internal static class LiveSocketEndpoint
{
    private const int MaxIncomingBytes = 4 * 1024;

    private static readonly TimeSpan s_closeHandshakeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapLiveSocket(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ws/live", HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        SeriesParser parser,
        LiveFanout fanout,
        ChartServerMetrics metrics,
        TimeProvider time,
        IOptions<ChartServerOptions> options,
        IHostApplicationLifetime lifetime,
        ILogger<LiveFanout> logger)
    {
        var query = context.Request.Query;
        if (query["symbol"].Count > 1 || query["tf"].Count > 1)
        {
            return Results.Problem(title: "Ambiguous query", detail: "Give symbol and tf once each.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!parser.TryParseSeries(query["symbol"].ToString() is { Length: > 0 } s ? s : null, query["tf"].ToString() is { Length: > 0 } t ? t : null, out var key, out var problem))
        {
            return problem!;
        }

        if (!IsSameOrigin(context.Request))
        {
            return Results.Problem(title: "Cross-origin WebSocket refused", detail: "The Origin of the request does not match this server.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = "websocket";
            return Results.Problem(title: "WebSocket upgrade required", detail: "Connect to /ws/live with a WebSocket.", statusCode: StatusCodes.Status426UpgradeRequired);
        }

        var address = context.Connection.RemoteIpAddress;
        if (fanout.TryReserveClient(address) is { } limit)
        {
            metrics.Limited(limit);
            Log.ClientLimited(logger, address, limit);
            return limit == "ws-per-address"
                ? Results.Problem(title: "Too many live clients from this address", detail: "Close other live pages first; this page falls back to polling.", statusCode: StatusCodes.Status429TooManyRequests)
                : Results.Problem(title: "Too many live clients", detail: "Try again later; the page falls back to polling.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            var settings = options.Value;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = settings.KeepAliveInterval,
                KeepAliveTimeout = settings.KeepAliveTimeout,
            });
            metrics.ClientConnected(1);
            try
            {
                await ServeAsync(socket, key, fanout, time, settings, context.RequestAborted, lifetime.ApplicationStopping);
            }
            finally
            {
                metrics.ClientConnected(-1);
            }
        }
        finally
        {
            fanout.ReleaseClient(address);
        }

        return Results.Empty;
    }

    private static async Task ServeAsync(WebSocket socket, SeriesKey key, LiveFanout fanout, TimeProvider time, ChartServerOptions settings, CancellationToken aborted, CancellationToken stopping)
    {
        // The receive loop ends on the connection (aborted, or the client's close), never on the server stopping:
        // cancelling a receive aborts the socket. Stopping sends a close frame instead (1001, going away), the client
        // answers it, and the receive loop ends on that answer.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        var client = new LiveClient(socket, settings.ClientQueueCapacity, settings.SendTimeout, time, c => fanout.ClientDropped(key, c));

        // Queued first, sent first: the send loop starts only once the subscription is active.
        client.Enqueue(ApiJson.SubscribedMessage(key));
        IAsyncDisposable membership;
        try
        {
            membership = await fanout.JoinAsync(key, client, lifetime.Token);
        }
        catch (Exception ex) when (ex is ChartStoreException or OperationCanceledException)
        {
            await (stopping.IsCancellationRequested
                ? CloseQuietlyAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "server stopping")
                : CloseQuietlyAsync(socket, WebSocketCloseStatus.InternalServerError, "live updates unavailable"));
            return;
        }

        await using (membership)
        {
            var sending = client.SendLoopAsync(lifetime.Token);
            using var goingAway = stopping.Register(static state =>
            {
                var (socket, client, time) = ((WebSocket, LiveClient, TimeProvider))state!;
                _ = GoAwayAsync(socket, client, time);
            }, (socket, client, time));
            await ReceiveUntilClosedAsync(socket, aborted);
            client.Complete();
            await lifetime.CancelAsync();
            await sending;
        }

        if (client.DropReason is null)
        {
            await CloseQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, "bye");
        }
    }

    /// <summary>
    /// The server is stopping: ends the client's queue and sends a close frame, 1001 (going away). A client that has
    /// not completed the close handshake within 2 s (one that never reads, so the
    /// frame cannot even be sent) is aborted, so it cannot hold the shutdown up.
    /// </summary>
    private static async Task GoAwayAsync(WebSocket socket, LiveClient client, TimeProvider time)
    {
        client.Complete();
        await CloseQuietlyAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "server stopping");
        if (socket.State != WebSocketState.Closed)
        {
            await Task.Delay(s_closeHandshakeTimeout, time);
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }
        }
    }

    /// <summary>Reads (and ignores) what the client sends until it closes, the connection fails or the server stops.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[512];
        var messageBytes = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                messageBytes = result.EndOfMessage ? 0 : messageBytes + result.Count;
                if (messageBytes > MaxIncomingBytes)
                {
                    await CloseQuietlyAsync(socket, WebSocketCloseStatus.MessageTooBig, "messages to the server are ignored");
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed, aborted (a dropped client) or the server is stopping.
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string description)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(status, description, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone; nothing more to say.
        }
    }

    /// <summary>
    /// No Origin (not a browser) or the same host and port as the request (the scheme is not compared, so a
    /// TLS-terminating proxy in front of the server still works).
    /// </summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
