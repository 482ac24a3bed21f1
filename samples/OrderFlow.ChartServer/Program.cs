namespace OrderFlow.ChartServer;

/// <summary>
/// The chart server: <c>dotnet run --project samples/OrderFlow.ChartServer</c> (demo mode: synthetic feed, sync engine
/// and in-memory store in process), or with <c>--Redis:Configuration=host:6379</c> to serve what the sync worker
/// writes to Redis.
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var app = await ChartServerApp.BuildAsync(args);
        await app.StartAsync();
        foreach (var url in ChartServerApp.Addresses(app))
        {
            Console.WriteLine($"OrderFlow chart server on {url}/  (live chart: {url}/live.html?symbol=GC&tf=1m, 1-year chart: {url}/year.html?symbol=GC&tf=1d)");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync();
    }
}
