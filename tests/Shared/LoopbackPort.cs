using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrderFlow.Tests.Shared;

/// <summary>
/// Loopback ports for the servers tests start at a port they choose (redis-server, the worker's health endpoint).
/// </summary>
/// <remarks>
/// Asking the kernel for port 0 gives a port of its ephemeral range, the range outgoing connections take their source
/// ports from: between the moment it is released and the server's bind (or while the server is stopped for a restart)
/// any client connection of the test run may take it, and the server fails to bind ("address in use"). A connection to
/// such a port with nothing listening can even connect to itself. So the ports here are chosen below that range, at
/// random, and checked free.
/// </remarks>
internal static class LoopbackPort
{
    private const int Span = 12_000;

    /// <summary>A port below the ephemeral range that no one listens on now.</summary>
    /// <returns>The port.</returns>
    public static int Next()
    {
        var ceiling = EphemeralLow();
        var floor = Math.Max(1024, ceiling - Span);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(floor, ceiling);
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {floor} and {ceiling}.");
    }

    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return Math.Max(1024 + Span, int.Parse(range[0], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;   // Linux's default
        }
    }
}
