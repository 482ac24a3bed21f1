using System.Net;
using System.Net.Sockets;

namespace OrderFlow.ChartServer.Tests.Infrastructure;

/// <summary>
/// Distinct clients on one machine: every address in 127.0.0.0/8 is loopback on Linux, so a socket bound to
/// 127.0.0.2 before it connects reaches the server as a client at 127.0.0.2.
/// </summary>
internal static class ClientAddress
{
    /// <summary>A handler whose connections all come from <paramref name="from"/>.</summary>
    public static SocketsHttpHandler Handler(IPAddress from) => new()
    {
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>An HTTP client of <paramref name="baseUri"/> whose connections come from <paramref name="from"/>.</summary>
    public static HttpClient Http(Uri baseUri, IPAddress from) => new(Handler(from)) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
}
