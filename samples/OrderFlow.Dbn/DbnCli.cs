using System.Globalization;
using System.Text.Json;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;
using OrderFlow.Candles.Serialization;
using OrderFlow.Databento;

namespace OrderFlow.Dbn;

/// <summary>
/// The <c>dbn</c> tool: prints a DBN file's metadata and records as JSON lines or CSV in the field names of
/// Databento's <c>dbn</c> CLI, or converts OHLCV bars or trades into OrderFlow candle JSON lines.
/// </summary>
internal static class DbnCli
{
    public const string Usage = """
        usage: dbn FILE [--json | --csv | --metadata | --candles] [options]

          FILE                 a DBN file or stream, plain or zstd (detected from its content); '-' for stdin
          -j, --json           records as JSON lines (default)
          -c, --csv            records as CSV with a header line (one record kind per file)
          -m, --metadata       the metadata as one JSON line
              --candles        OrderFlow candles as JSON lines: {"time":<unix s>,"open":…,"high":…,"low":…,
                               "close":…,"volume":…,"symbol":"ES"} from OHLCV bars, or from trades (with their
                               order flow: "buyVolume":…,"sellVolume":…,"delta":… after "volume")
              --timeframe TF   trades → candles timeframe: 1m 5m 15m 1h 4h 1d (default 1m)
              --fragment       the input has no metadata header (a DBN fragment) …
              --input-version N   … of DBN version N (1–3, default 3)
              --fixed-px       prices as fixed-point integer strings ("3720250000000") instead of decimal
                               strings ("3720.250000000")
              --pretty-ts      timestamps as ISO 8601 instead of nanosecond integers
          -o, --output PATH    write to PATH instead of stdout
              --progress / --no-progress   force the progress line on stderr on or off
          -h, --help           this help
        """;

    private const long ProgressThresholdBytes = 64L * 1024 * 1024;

    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdout">Where output goes unless <c>-o</c> is given.</param>
    /// <param name="stderr">Where errors and the progress line go.</param>
    /// <param name="openStdin">Opens standard input, for the file name <c>-</c>.</param>
    /// <param name="stderrIsTerminal">Whether stderr is an interactive terminal (progress is shown for large inputs then).</param>
    /// <returns>0 on success, 1 for a bad or unreadable input, 2 for a bad command line.</returns>
    public static int Run(string[] args, Stream stdout, TextWriter stderr, Func<Stream>? openStdin = null, bool stderrIsTerminal = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!Options.TryParse(args, out var options, out var usageError))
        {
            if (usageError is null)
            {
                stderr.WriteLine(Usage);
                return 0;
            }

            stderr.WriteLine($"dbn: {usageError}");
            stderr.WriteLine("usage: dbn FILE [--json | --csv | --metadata | --candles] [options]   (dbn --help for more)");
            return 2;
        }

        Stream? input = null;
        Stream? output = null;
        try
        {
            input = options.Input == "-" ? (openStdin ?? (() => Stream.Null))() : new FileStream(options.Input, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var length = input.CanSeek ? input.Length : -1;
            var progress = options.Progress ?? (stderrIsTerminal && length >= ProgressThresholdBytes);
            using var decoder = options.Fragment ? DbnDecoder.OpenFragment(input, options.InputVersion) : DbnDecoder.Open(input);
            input = null; // owned by the decoder now
            output = options.Output is null ? stdout : new FileStream(options.Output, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            var o = new Utf8Output(output);
            var count = options.Mode switch
            {
                Mode.Metadata => WriteMetadata(decoder, o, options),
                Mode.Csv => WriteCsv(decoder, o, options, progress ? stderr : null, length),
                Mode.Candles => WriteCandles(decoder, o, options, stderr, progress ? stderr : null, length),
                _ => WriteJson(decoder, o, options, progress ? stderr : null, length),
            };
            o.Flush();
            return 0;
        }
        catch (DbnFormatException ex)
        {
            stderr.WriteLine($"dbn: error: {options.Input}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CsvSchemaException)
        {
            stderr.WriteLine($"dbn: error: {ex.Message}");
            return 1;
        }
        finally
        {
            input?.Dispose();
            if (output is not null && !ReferenceEquals(output, stdout))
            {
                output.Dispose();
            }
        }
    }

    private static long WriteMetadata(DbnDecoder decoder, Utf8Output o, Options options)
    {
        if (decoder.Metadata is null)
        {
            throw new DbnFormatException("A fragment has no metadata", 0);
        }

        new RecordFormatter(o, !options.FixedPx, options.PrettyTs, decoder.TsOut).WriteMetadataJson(decoder.Metadata);
        return 0;
    }

    private static long WriteJson(DbnDecoder decoder, Utf8Output o, Options options, TextWriter? progress, long length)
    {
        var formatter = new RecordFormatter(o, !options.FixedPx, options.PrettyTs, decoder.TsOut);
        var meter = new Progress(progress, length);
        long n = 0;
        while (decoder.Read(out var record))
        {
            formatter.WriteJson(record);
            if ((++n & 0xFFFF) == 0)
            {
                meter.Report(n, decoder.Position);
            }
        }

        meter.Done(n, decoder.Position);
        return n;
    }

    private static long WriteCsv(DbnDecoder decoder, Utf8Output o, Options options, TextWriter? progress, long length)
    {
        var formatter = new RecordFormatter(o, !options.FixedPx, options.PrettyTs, decoder.TsOut);
        var meter = new Progress(progress, length);
        RecordKind? kind = decoder.Metadata?.Schema is { } schema && DbnRType.FromSchema(schema) is { } rtype ? RecordFormatter.KindOf(rtype) : null;
        if (kind is { } k)
        {
            formatter.WriteCsvHeader(k);
        }

        long n = 0;
        while (decoder.Read(out var record))
        {
            var recordKind = RecordFormatter.KindOf(record.RType);
            if (kind is null)
            {
                kind = recordKind;
                formatter.WriteCsvHeader(recordKind);
            }
            else if (kind != recordKind)
            {
                throw new CsvSchemaException($"CSV needs records of one kind, but the record at byte offset {record.Offset} is rtype 0x{record.RType:X2} ({DbnRType.Describe(record.RType)}) after {kind} records; use --json for mixed-schema files");
            }

            formatter.WriteCsv(record);
            if ((++n & 0xFFFF) == 0)
            {
                meter.Report(n, decoder.Position);
            }
        }

        if (kind is null)
        {
            // Nothing says which header: print the generic record header columns, as an empty file still has a header.
            formatter.WriteCsvHeader(RecordKind.Other);
        }

        meter.Done(n, decoder.Position);
        return n;
    }

    private static long WriteCandles(DbnDecoder decoder, Utf8Output o, Options options, TextWriter stderr, TextWriter? progress, long length)
    {
        var map = decoder.Metadata is { } metadata ? DbnSymbolMap.FromMetadata(metadata) : new DbnSymbolMap();
        var meter = new Progress(progress, length);
        var builders = new Dictionary<uint, (Symbol Root, bool HasRoot, CandleBuilder Builder)>();
        using var json = new Utf8JsonWriter(o, new JsonWriterOptions { SkipValidation = true });
        long n = 0, rejected = 0;
        while (decoder.Read(out var record))
        {
            if ((++n & 0xFFFF) == 0)
            {
                meter.Report(n, decoder.Position);
            }

            if (map.Apply(record))
            {
                continue;
            }

            var hasRoot = map.TryGetRoot(record.InstrumentId, record.TsEvent, out var root);
            if (record.TryAs(out OhlcvMsg bar))
            {
                if (DbnCandles.TryToCandle(bar, out var candle) == CandleRejection.None)
                {
                    WriteCandle(o, json, candle, hasRoot ? root : default);
                }
                else
                {
                    rejected++;
                }
            }
            else if (record.TryAs(out TradeMsg trade))
            {
                if (DbnCandles.TryToCandle(trade, out var tick) != CandleRejection.None)
                {
                    rejected++;
                    continue;
                }

                var openTime = options.Timeframe.Floor(tick.OpenTime);
                ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(builders, record.InstrumentId, out _);
                if (!slot.Builder.IsEmpty && slot.Builder.OpenTime != openTime)
                {
                    WriteCandle(o, json, slot.Builder.Build(), slot.HasRoot ? slot.Root : default);
                    slot.Builder.Reset();
                }

                if (slot.Builder.IsEmpty)
                {
                    slot = (root, hasRoot, default);
                    slot.Builder.Open(openTime, tick);
                }
                else
                {
                    slot.Builder.Merge(tick);
                }
            }
        }

        foreach (var (_, slot) in builders)
        {
            if (!slot.Builder.IsEmpty)
            {
                WriteCandle(o, json, slot.Builder.Build(), slot.HasRoot ? slot.Root : default);
            }
        }

        if (rejected > 0)
        {
            stderr.WriteLine($"dbn: {rejected} records were not valid candles (undefined or non-positive prices) and were skipped");
        }

        meter.Done(n, decoder.Position);
        return n;
    }

    /// <summary>
    /// One candle as a JSON line in the candle JSON vocabulary (<see cref="CandleJsonWriter"/>: the order flow with
    /// it when the candle has some), plus the root symbol when known, which readers of the vocabulary skip.
    /// </summary>
    private static void WriteCandle(Utf8Output o, Utf8JsonWriter json, in Candle candle, Symbol symbol)
    {
        json.Reset(o);
        json.WriteStartObject();
        CandleJsonWriter.WriteProperties(json, candle);
        if (!symbol.IsEmpty)
        {
            json.WriteString("symbol"u8, symbol.Value);
        }

        json.WriteEndObject();
        json.Flush();
        o.Write((byte)'\n');
    }

    private enum Mode
    {
        Json,
        Csv,
        Metadata,
        Candles,
    }

    private sealed class CsvSchemaException(string message) : Exception(message);

    /// <summary>A progress line on stderr ("\r…"), at most twice a second, ended with a newline.</summary>
    private sealed class Progress(TextWriter? stderr, long length)
    {
        private long _last = TimeProvider.System.GetTimestamp();

        public void Report(long records, long position)
        {
            if (stderr is null || TimeProvider.System.GetElapsedTime(_last).TotalMilliseconds < 500)
            {
                return;
            }

            _last = TimeProvider.System.GetTimestamp();
            var size = length > 0 ? string.Create(CultureInfo.InvariantCulture, $" of {length / 1e6:0} MB compressed") : string.Empty;
            stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\rdbn: {records:N0} records, {position / 1e6:0.0} MB decoded{size}"));
        }

        public void Done(long records, long position)
        {
            if (stderr is not null)
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\rdbn: {records:N0} records, {position / 1e6:0.0} MB decoded, done"));
            }
        }
    }

    private sealed class Options
    {
        public string Input { get; private set; } = string.Empty;

        public Mode Mode { get; private set; } = Mode.Json;

        public bool Fragment { get; private set; }

        public byte InputVersion { get; private set; } = DbnConstants.MaxVersion;

        public bool FixedPx { get; private set; }

        public bool PrettyTs { get; private set; }

        public string? Output { get; private set; }

        public bool? Progress { get; private set; }

        public Timeframe Timeframe { get; private set; } = Timeframe.OneMinute;

        /// <summary>Parses the command line; false with a null error means help was asked for.</summary>
        public static bool TryParse(string[] args, out Options options, out string? error)
        {
            options = new Options();
            error = null;
            string? mode = null;
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string? Value()
                {
                    if (i + 1 < args.Length)
                    {
                        return args[++i];
                    }

                    return null;
                }

                switch (arg)
                {
                    case "-h" or "--help":
                        return false;
                    case "-j" or "--json" or "-c" or "--csv" or "-m" or "--metadata" or "--candles":
                        var m = arg.TrimStart('-')[..1] switch { "j" => Mode.Json, "c" when arg is "-c" or "--csv" => Mode.Csv, "m" => Mode.Metadata, _ => Mode.Candles };
                        if (mode is not null && mode != arg)
                        {
                            error = $"choose one of --json, --csv, --metadata, --candles (got {mode} and {arg})";
                            return false;
                        }

                        mode = arg;
                        options.Mode = m;
                        break;
                    case "--fragment" or "--input-fragment":
                        options.Fragment = true;
                        break;
                    case "--input-version" or "--input-dbn-version":
                        var v = Value();
                        if (!byte.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version is < 1 or > DbnConstants.MaxVersion)
                        {
                            error = $"{arg} needs a DBN version from 1 to {DbnConstants.MaxVersion}, got '{v}'";
                            return false;
                        }

                        options.InputVersion = version;
                        break;
                    case "--fixed-px":
                        options.FixedPx = true;
                        break;
                    case "--pretty-ts":
                        options.PrettyTs = true;
                        break;
                    case "--progress":
                        options.Progress = true;
                        break;
                    case "--no-progress":
                        options.Progress = false;
                        break;
                    case "--timeframe":
                        var tf = Value();
                        if (!Timeframe.TryParse(tf, out var timeframe))
                        {
                            error = $"--timeframe needs one of 1m 5m 15m 1h 4h 1d, got '{tf}'";
                            return false;
                        }

                        options.Timeframe = timeframe;
                        break;
                    case "-o" or "--output":
                        options.Output = Value();
                        if (string.IsNullOrEmpty(options.Output))
                        {
                            error = $"{arg} needs a path";
                            return false;
                        }

                        break;
                    default:
                        if (arg.Length > 1 && arg[0] == '-')
                        {
                            error = $"unknown option '{arg}'";
                            return false;
                        }

                        if (options.Input.Length > 0)
                        {
                            error = $"one input file only (got '{options.Input}' and '{arg}')";
                            return false;
                        }

                        options.Input = arg;
                        break;
                }
            }

            if (options.Input.Length == 0)
            {
                error = "no input file";
                return false;
            }

            if (options.Fragment && options.Mode == Mode.Metadata)
            {
                error = "--metadata needs a file with a metadata header, not a fragment";
                return false;
            }

            return true;
        }
    }
}
