using System.Net;
using System.Net.WebSockets;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// Host filtering (<c>AllowedHosts</c>, default the bound addresses and localhost): a DNS-rebinding page sends its own
/// name as Host, so it never reaches the API or the WebSocket's same-origin check.
/// </summary>
public sealed class HostFilteringTests : IAsyncLifetime
{
    private readonly InMemoryChartStore _memory = new();
    private ChartServerHost _server = null!;

    public async Task InitializeAsync() => _server = await ChartServerHost.StartAsync(_memory);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _memory.Dispose();
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/api/live/GC/1m")]
    [InlineData("/")]
    public async Task Request_ForeignHostHeader_Is400(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = $"rebind.attacker.example:{_server.BaseUri.Port}";

        using var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Request_BoundOrLocalHost_IsServed(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = $"{host}:{_server.BaseUri.Port}";

        using var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WebSocket_RebindingPage_ForeignHostAndMatchingOrigin_IsRefused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var authority = $"rebind.attacker.example:{_server.BaseUri.Port}";
        socket.Options.SetRequestHeader("Host", authority);
        socket.Options.SetRequestHeader("Origin", $"http://{authority}");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.LiveSocket("symbol=GC&tf=1m"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }
}
