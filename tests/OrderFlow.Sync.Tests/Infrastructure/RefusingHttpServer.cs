using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrderFlow.Sync.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP/1.1 server that answers every request with one fixed status and JSON body, as Databento's
/// Historical API answers a wrong key (401 and a <c>detail</c>), and counts the requests.
/// </summary>
internal sealed class RefusingHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _response;
    private readonly Task _accepting;
    private int _requests;

    public RefusingHttpServer(int status, string reason, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        _response = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), .. body];
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Requests => Volatile.Read(ref _requests);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[64 * 1024];
            var read = 0;

            // The request's head; its body (a form) is not needed.
            while (read < buffer.Length && buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), _stop.Token);
                if (n == 0)
                {
                    return;
                }

                read += n;
            }

            Interlocked.Increment(ref _requests);
            await stream.WriteAsync(_response, _stop.Token);
        }
    }
}
