using OrderFlow.Benchmarks.Tracking;

// Thin entry point: everything is in TrackingRunner so the tests can drive it directly.
try
{
    var options = TrackingOptions.Parse(args);
    if (options.ShowHelp)
    {
        Console.WriteLine(TrackingOptions.Usage);
        return TrackingRunner.ExitOk;
    }

    return new TrackingRunner(Console.Out).Run(options);
}
catch (TrackingException ex)
{
    Console.Error.WriteLine($"bench: error: {ex.Message}");
    return TrackingRunner.ExitBadInput;
}
catch (IOException ex)
{
    Console.Error.WriteLine($"bench: error: {ex.Message}");
    return TrackingRunner.ExitBadInput;
}
catch (UnauthorizedAccessException ex)
{
    Console.Error.WriteLine($"bench: error: {ex.Message}");
    return TrackingRunner.ExitBadInput;
}
