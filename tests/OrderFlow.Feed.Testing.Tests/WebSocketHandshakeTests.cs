using System.Net.Sockets;
using System.Text;
using OrderFlow.Feed.Testing.Internal;

namespace OrderFlow.Feed.Testing.Tests;

public class WebSocketHandshakeTests
{
    [Fact]
    public void ComputeAccept_Rfc6455Example() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="));

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "Upgrade")]
    [InlineData("POST / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", "GET")]
    [InlineData("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n", "Sec-WebSocket-Key")]
    [InlineData("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", "Version")]
    [InlineData("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n", "Sec-WebSocket-Key")]
    public async Task NotAWebSocketUpgrade_Gets400AndAReason(string request, string reasonMentions)
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        using var client = new TcpClient();
        await client.ConnectAsync(server.Uri.Host, server.Uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TestClient.DefaultTimeout);

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", response, StringComparison.Ordinal);
        Assert.Contains(reasonMentions, response, StringComparison.Ordinal);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task ValidUpgrade_Gets101WithTheAcceptKey()
    {
        await using var server = await TestServer.StartAsync(TestMarket.Clock());
        using var client = new TcpClient();
        await client.ConnectAsync(server.Uri.Host, server.Uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /feed?x=1 HTTP/1.1\r\nHost: x\r\nupgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n"));

        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one).AsTask().WaitAsync(TestClient.DefaultTimeout));
            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head.ToString(), StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", head.ToString(), StringComparison.Ordinal);
        await server.WaitForConnectionCountAsync(1);
    }
}
