using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderFlow.SyncWorker;

/// <summary>
/// A tiny HTTP health endpoint on 127.0.0.1:<c>Health:Port</c> (off unless the port is set), for a supervisor or a
/// load balancer to poll: <c>GET /health</c> runs the standard health checks and answers 200 (Healthy or Degraded)
/// or 503 (Unhealthy) with a JSON report; <c>GET /health/live</c> answers 200 while the process runs.
/// </summary>
internal sealed partial class HealthEndpoint(HealthCheckService health, ILogger<HealthEndpoint> logger, int port) : BackgroundService
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    public int Port { get; } = port;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        Listening(logger, Port);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            _ = Task.Run(() => AnswerAsync(context, stoppingToken), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? string.Empty;
            byte[] body;
            if (path == "/health/live")
            {
                response.StatusCode = 200;
                body = """{"status":"Healthy"}"""u8.ToArray();
            }
            else if (path == "/health")
            {
                var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
                response.StatusCode = report.Status == HealthStatus.Unhealthy ? 503 : 200;
                body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                }, s_json);
            }
            else
            {
                response.StatusCode = 404;
                body = """{"error":"not found: use /health or /health/live"}"""u8.ToArray();
            }

            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed answer (client gone, shutting down) must not take the worker down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AnswerFailed(logger, ex);
        }
        finally
        {
            response.Close();
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Health endpoint on http://127.0.0.1:{Port}/health")]
    private static partial void Listening(ILogger logger, int port);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Health request failed")]
    private static partial void AnswerFailed(ILogger logger, Exception exception);
}
