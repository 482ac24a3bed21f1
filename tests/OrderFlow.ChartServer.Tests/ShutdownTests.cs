using System.Net.WebSockets;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

/// <summary>Stopping the server closes every live WebSocket with 1001 (going away), never an abort.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_With100ConnectedClients_EveryClientSeesCloseCode1001()
    {
        using var memory = new InMemoryChartStore();
        await using var server = await ChartServerHost.StartAsync(memory, "--ChartServer:MaxWebSocketsPerAddress=200");
        var clients = new List<LiveSocketClient>();
        try
        {
            foreach (var query in Enumerable.Range(0, 100).Select(i => (i % 3) switch { 0 => "symbol=GC&tf=1m", 1 => "symbol=SI&tf=5m", _ => "symbol=CL&tf=1h" }))
            {
                clients.Add(await LiveSocketClient.ConnectAsync(server.LiveSocket(query)));
            }

            await server.StopAsync();

            foreach (var client in clients)
            {
                await client.EndedAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
