using OrderFlow.FeedServer;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // shut down cleanly instead of being killed
    stop.Cancel();
};

return await FeedServerProgram.RunAsync(args, Console.Out, Console.Error, stop.Token);
