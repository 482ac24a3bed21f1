using System.Globalization;
using OrderFlow.Candles;

namespace OrderFlow.FeedServer;

/// <summary>The sample's command line: <c>--port 9000 --speed 10 --seed 42 [--csv file | --dbn file]... [--start time] [--loop] [--always-open] [--symbols GC,ES] [--live 1m,5m]</c>.</summary>
/// <remarks>The feed server's options: <see cref="Parse"/> reads them, <see cref="FeedServerProgram.RunAsync"/> runs them.</remarks>
public sealed record CommandLine
{
    /// <summary>The text <c>--help</c> prints.</summary>
    public const string Usage = """
        OrderFlow feed server: a synthetic CME futures feed (or a CSV or Databento DBN replay) over WebSocket, for demos and tests.

        usage: dotnet run --project samples/OrderFlow.FeedServer -- [options]

          --port N          TCP port on 127.0.0.1 (default 9000; 0 = any free port)
          --speed X         market time runs X times as fast as the clock (default 1)
          --seed N          random seed of the synthetic market (default 42)
          --csv FILE        replay this CSV recording instead (repeatable; format in the OrderFlow.Feed.Testing README)
          --dbn FILE        replay this Databento DBN file instead: trades or OHLCV, .dbn or .dbn.zst (repeatable)
          --start TIME      replays: the recording time to start at, ISO 8601 UTC (e.g. 2026-10-15T13:30:00Z);
                            what comes before it is history (default: the start of the recording)
          --loop            replays: start again after the end (times move on by whole days)
          --always-open     synthetic market trades around the clock (default: CME hours, closed at weekends)
          --symbols LIST    synthetic symbols, comma-separated (default GC,SI,CL,ES,NQ); with --dbn, the roots to
                            serve (default: every root in the files)
          --live LIST       timeframes of streamed live candles, comma-separated (default 1m)
          --verbose         log every connection and request
          --help            this text
        """;

    /// <summary><c>--port</c>: the TCP port on 127.0.0.1 (default 9000; 0 = any free port).</summary>
    public int Port { get; init; } = 9000;

    /// <summary><c>--speed</c>: how many times as fast as the clock market time runs (default 1).</summary>
    public double Speed { get; init; } = 1;

    /// <summary><c>--seed</c>: the synthetic market's random seed (default 42).</summary>
    public long Seed { get; init; } = 42;

    /// <summary><c>--csv</c>: CSV recordings to replay instead of the synthetic market.</summary>
    public IReadOnlyList<string> CsvFiles { get; init; } = [];

    /// <summary><c>--dbn</c>: Databento DBN files to replay instead of the synthetic market.</summary>
    public IReadOnlyList<string> DbnFiles { get; init; } = [];

    /// <summary><c>--start</c>: the recording time a replay starts at (default: the start of the recording).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary><c>--loop</c>: a replay starts again after its end.</summary>
    public bool Loop { get; init; }

    /// <summary>Whether <c>--symbols</c> was given (a DBN replay then serves only those roots).</summary>
    public bool SymbolsGiven { get; init; }

    /// <summary><c>--always-open</c>: the synthetic market trades around the clock instead of CME hours.</summary>
    public bool AlwaysOpen { get; init; }

    /// <summary><c>--symbols</c>: the synthetic symbols, or the roots a DBN replay serves (default GC SI CL ES NQ).</summary>
    public IReadOnlyList<Symbol> Symbols { get; init; } = Symbol.Defaults;

    /// <summary><c>--live</c>: the timeframes of streamed live candles (default 1m).</summary>
    public IReadOnlyList<Timeframe> LiveTimeframes { get; init; } = [Timeframe.OneMinute];

    /// <summary><c>--verbose</c>: log every connection and request.</summary>
    public bool Verbose { get; init; }

    /// <summary><c>--help</c>: print <see cref="Usage"/> and exit.</summary>
    public bool Help { get; init; }

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> naming the bad one.</summary>
    public static CommandLine Parse(string[] args)
    {
        var result = new CommandLine();
        var csv = new List<string>();
        var dbn = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value");
            result = name switch
            {
                "--port" => result with { Port = ParseInt(name, Value(), 0, 65_535) },
                "--speed" => result with { Speed = ParseDouble(name, Value()) },
                "--seed" => result with { Seed = long.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : throw new FormatException($"{name}: expected an integer") },
                "--csv" => AddCsv(result, csv, Value()),
                "--dbn" => AddDbn(result, dbn, Value()),
                "--start" => result with { Start = DateTimeOffset.TryParse(Value(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start) ? start : throw new FormatException($"{name}: expected an ISO 8601 time such as 2026-10-15T13:30:00Z") },
                "--loop" => result with { Loop = true },
                "--always-open" => result with { AlwaysOpen = true },
                "--symbols" => result with { SymbolsGiven = true, Symbols = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Symbol.TryParse(s, out var symbol) ? symbol : throw new FormatException($"{name}: '{s}' is not a symbol")).ToArray() },
                "--live" => result with { LiveTimeframes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Timeframe.TryParse(s, out var tf) ? tf : throw new FormatException($"{name}: '{s}' is not one of 1m 5m 15m 1h 4h 1d")).ToArray() },
                "--verbose" => result with { Verbose = true },
                "--help" or "-h" => result with { Help = true },
                _ => throw new FormatException($"unknown option '{name}'"),
            };
        }

        if (result.CsvFiles.Count > 0 && result.DbnFiles.Count > 0)
        {
            throw new FormatException("--csv and --dbn cannot be mixed: replay one format at a time");
        }

        return result;
    }

    private static CommandLine AddDbn(CommandLine result, List<string> files, string path)
    {
        files.Add(path);
        return result with { DbnFiles = files.ToArray() };
    }

    private static CommandLine AddCsv(CommandLine result, List<string> files, string path)
    {
        files.Add(path);
        return result with { CsvFiles = files.ToArray() };
    }

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name}: expected an integer from {min} to {max}, got '{value}'");

    private static double ParseDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0
            ? x
            : throw new FormatException($"{name}: expected a positive number, got '{value}'");
}
