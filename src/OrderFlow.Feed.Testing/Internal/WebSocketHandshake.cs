using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Feed.Testing.Internal;

/// <summary>The server side of the RFC 6455 opening handshake over HTTP/1.1, just enough for WebSocket clients.</summary>
internal static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxRequestBytes = 8 * 1024;

    /// <summary>
    /// Reads the upgrade request and answers it: 101 Switching Protocols, or 400 Bad Request with a reason.
    /// </summary>
    /// <returns><see langword="null"/> when the connection was upgraded; otherwise why it was refused.</returns>
    public static async Task<string?> AcceptAsync(Stream stream, CancellationToken cancellationToken)
    {
        var request = await ReadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return "the request head is incomplete or larger than 8 KiB";
        }

        var error = Validate(request, out var key);
        if (error is not null)
        {
            var body = $"OrderFlow feed server: {error}. Connect with a WebSocket client (GET with Upgrade: websocket, Sec-WebSocket-Version: 13).\n";
            var response = $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n{body}";
            await WriteAsync(stream, response, cancellationToken).ConfigureAwait(false);
            return error;
        }

        await WriteAsync(stream, $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {ComputeAccept(key!)}\r\n\r\n", cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for a <c>Sec-WebSocket-Key</c>: base64(SHA-1(key + GUID)).</summary>
    public static string ComputeAccept(string key)
    {
        // SHA-1 is what RFC 6455 prescribes here; it proves the server read the key, it protects nothing.
#pragma warning disable CA5350
        var hash = SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + AcceptGuid));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>Checks a request head; returns the reason it is not a WebSocket upgrade, or null.</summary>
    public static string? Validate(string head, out string? key)
    {
        key = null;
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0] != "GET")
        {
            return $"expected a GET request, got '{Truncate(lines[0])}'";
        }

        if (requestLine[2] != "HTTP/1.1")
        {
            return $"expected HTTP/1.1, got '{Truncate(requestLine[2])}'";
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        if (!HasToken(headers, "Upgrade", "websocket"))
        {
            return "missing 'Upgrade: websocket'";
        }

        if (!HasToken(headers, "Connection", "upgrade"))
        {
            return "missing 'Connection: Upgrade'";
        }

        if (!headers.TryGetValue("Sec-WebSocket-Version", out var version) || version != "13")
        {
            return "unsupported or missing Sec-WebSocket-Version (13 is required)";
        }

        if (!headers.TryGetValue("Sec-WebSocket-Key", out var k) || !IsValidKey(k))
        {
            return "missing or invalid Sec-WebSocket-Key (16 bytes, base64)";
        }

        key = k;
        return null;
    }

    private static bool HasToken(Dictionary<string, string> headers, string name, string token)
    {
        if (!headers.TryGetValue(name, out var value))
        {
            return false;
        }

        foreach (var part in value.Split(','))
        {
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[32];
        return Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // One byte at a time: nothing after the head may be consumed, since it belongs to the WebSocket.
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length, 1), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length++;
            if (length >= 4 && buffer[length - 4] == '\r' && buffer[length - 3] == '\n' && buffer[length - 2] == '\r' && buffer[length - 1] == '\n')
            {
                return Encoding.Latin1.GetString(buffer, 0, length - 4);
            }
        }

        return null;
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
