using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>
/// Reads the JSON reports BenchmarkDotNet writes with <c>--exporters json</c>
/// (<c>&lt;Class&gt;-report-full-compressed.json</c>, one per benchmark class).
/// Any problem with a file is a <see cref="TrackingException"/> naming the file and what is wrong.
/// </summary>
public static partial class BenchmarkReportReader
{
    /// <summary>Report suffixes, most preferred first, when one class has several JSON reports.</summary>
    private static readonly string[] s_preferredSuffixes =
    [
        "-report-full-compressed.json",
        "-report-full.json",
        "-report.json",
        "-report-brief-compressed.json",
        "-report-brief.json",
    ];

    /// <summary>The JSON report files in a results directory: one per benchmark class, sorted by name.</summary>
    public static IReadOnlyList<string> FindReports(string resultsDirectory)
    {
        if (!Directory.Exists(resultsDirectory))
        {
            throw new TrackingException(
                $"results directory '{resultsDirectory}' does not exist (did the benchmarks run with --artifacts pointing there?)");
        }

        var byClass = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(resultsDirectory, "*-report*.json"))
        {
            var name = Path.GetFileName(file);
            var cut = name.LastIndexOf("-report", StringComparison.Ordinal);
            var key = name[..cut];
            if (!byClass.TryGetValue(key, out var current) || Preference(name) < Preference(Path.GetFileName(current)))
            {
                byClass[key] = file;
            }
        }

        if (byClass.Count == 0)
        {
            throw new TrackingException(
                $"no BenchmarkDotNet JSON reports (*-report-full-compressed.json) in '{resultsDirectory}' " +
                "(did the benchmarks run, with --exporters json?)");
        }

        return [.. byClass.Values];
    }

    /// <summary>Reads every report of a results directory.</summary>
    public static ReportSet ReadDirectory(string resultsDirectory) => ReadFiles(FindReports(resultsDirectory));

    /// <summary>Reads the given report files.</summary>
    public static ReportSet ReadFiles(IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            throw new TrackingException("no BenchmarkDotNet JSON report to read");
        }

        HostInfo? host = null;
        string? date = null;
        var benchmarks = new List<MeasuredBenchmark>();
        foreach (var file in files)
        {
            var report = ReadFile(file);
            host ??= report.Host;
            if (report.Date is not null && (date is null || string.CompareOrdinal(report.Date, date) > 0))
            {
                date = report.Date;
            }

            benchmarks.AddRange(report.Benchmarks);
        }

        return new ReportSet(host ?? HostInfo.Unknown, date, files, benchmarks);
    }

    /// <summary>Reads one report file.</summary>
    public static ReportSet ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new TrackingException($"{path}: file not found", ex);
        }

        var json = bytes.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        if (json.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new TrackingException($"{path}: the file is empty (BenchmarkDotNet did not finish writing it?)");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return ReadReport(path, document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new TrackingException($"{path}: not valid JSON: {ex.Message}", ex);
        }
    }

    private static ReportSet ReadReport(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw NotAReport(path, $"the top level is {Describe(root.ValueKind)}, not an object");
        }

        if (!root.TryGetProperty("Benchmarks", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw NotAReport(path, "it has no 'Benchmarks' array");
        }

        if (list.GetArrayLength() == 0)
        {
            throw new TrackingException($"{path}: the report lists no benchmarks");
        }

        var host = root.TryGetProperty("HostEnvironmentInfo", out var hostElement) && hostElement.ValueKind == JsonValueKind.Object
            ? ReadHost(hostElement)
            : HostInfo.Unknown;
        var date = root.TryGetProperty("Title", out var title) && title.ValueKind == JsonValueKind.String
            ? DateFromTitle(title.GetString()!)
            : null;

        var benchmarks = new List<MeasuredBenchmark>();
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            index++;
            benchmarks.Add(ReadBenchmark(path, index, element));
        }

        return new ReportSet(host, date, [path], benchmarks);
    }

    private static MeasuredBenchmark ReadBenchmark(string path, int index, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new TrackingException($"{path}: benchmark #{index} is {Describe(element.ValueKind)}, not an object");
        }

        var type = RequiredString(path, index, element, "Type");
        var method = RequiredString(path, index, element, "Method");
        var where = $"{path}: benchmark #{index} ({type}.{method})";
        var ns = OptionalString(element, "Namespace") ?? "";
        var parameters = OptionalString(element, "Parameters") ?? "";
        var job = JobFromDisplayInfo(OptionalString(element, "DisplayInfo"), parameters);
        return new MeasuredBenchmark(ns, type, method, parameters, job, ReadMean(where, element), ReadAllocated(where, element), path);
    }

    private static double? ReadMean(string where, JsonElement benchmark)
    {
        // A benchmark that threw or did not build has "Statistics": null.
        if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (statistics.ValueKind != JsonValueKind.Object)
        {
            throw new TrackingException($"{where}: 'Statistics' is {Describe(statistics.ValueKind)}, not an object");
        }

        if (!statistics.TryGetProperty("Mean", out var mean))
        {
            throw new TrackingException($"{where}: 'Statistics' has no 'Mean'");
        }

        return mean.ValueKind switch
        {
            JsonValueKind.Number => mean.GetDouble(),
            // BenchmarkDotNet writes NaN as an empty string: no usable result.
            JsonValueKind.String or JsonValueKind.Null => null,
            _ => throw new TrackingException($"{where}: 'Statistics.Mean' is {Describe(mean.ValueKind)}, not a number"),
        };
    }

    private static long? ReadAllocated(string where, JsonElement benchmark)
    {
        if (benchmark.TryGetProperty("Memory", out var memory) && memory.ValueKind == JsonValueKind.Object
            && memory.TryGetProperty("BytesAllocatedPerOperation", out var bytes))
        {
            if (bytes.ValueKind == JsonValueKind.Number)
            {
                return ToBytes(where, bytes.GetDouble());
            }

            if (bytes.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
            {
                throw new TrackingException(
                    $"{where}: 'Memory.BytesAllocatedPerOperation' is {Describe(bytes.ValueKind)}, not a number");
            }
        }

        // Fall back on the MemoryDiagnoser's metric.
        if (benchmark.TryGetProperty("Metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Array)
        {
            foreach (var metric in metrics.EnumerateArray())
            {
                if (metric.ValueKind == JsonValueKind.Object
                    && metric.TryGetProperty("Descriptor", out var descriptor) && descriptor.ValueKind == JsonValueKind.Object
                    && OptionalString(descriptor, "Id") == "Allocated Memory"
                    && metric.TryGetProperty("Value", out var value) && value.ValueKind == JsonValueKind.Number)
                {
                    return ToBytes(where, value.GetDouble());
                }
            }
        }

        return null;
    }

    private static long ToBytes(string where, double value) => value >= 0 && value < long.MaxValue
        ? (long)Math.Round(value, MidpointRounding.AwayFromZero)
        : throw new TrackingException($"{where}: allocated bytes per operation is {value.ToString(CultureInfo.InvariantCulture)}");

    private static HostInfo ReadHost(JsonElement host) => new(
        Cpu: OptionalString(host, "ProcessorName") ?? HostInfo.Unknown.Cpu,
        PhysicalProcessors: OptionalInt(host, "PhysicalProcessorCount"),
        PhysicalCores: OptionalInt(host, "PhysicalCoreCount"),
        LogicalCores: OptionalInt(host, "LogicalCoreCount"),
        Os: OptionalString(host, "OsVersion") ?? HostInfo.Unknown.Os,
        Runtime: OptionalString(host, "RuntimeVersion") ?? HostInfo.Unknown.Runtime,
        BenchmarkDotNet: OptionalString(host, "BenchmarkDotNetVersion") ?? HostInfo.Unknown.BenchmarkDotNet);

    /// <summary>"SumBenchmarks.ForLoop: ShortRun(IterationCount=3) [N=10]" gives "ShortRun(IterationCount=3)".</summary>
    internal static string JobFromDisplayInfo(string? displayInfo, string parameters)
    {
        if (displayInfo is null)
        {
            return "";
        }

        var start = displayInfo.IndexOf(": ", StringComparison.Ordinal);
        var job = start < 0 ? "" : displayInfo[(start + 2)..];
        var parameterSuffix = $" [{parameters}]";
        if (parameters.Length > 0 && job.EndsWith(parameterSuffix, StringComparison.Ordinal))
        {
            job = job[..^parameterSuffix.Length];
        }

        return job.Trim();
    }

    /// <summary>BenchmarkDotNet titles its reports "Class-yyyyMMdd-HHmmss".</summary>
    internal static string? DateFromTitle(string title)
    {
        var match = TitleDate().Match(title);
        return match.Success && DateTime.TryParseExact(
            match.Groups[1].Value, "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : null;
    }

    [GeneratedRegex(@"(\d{8}-\d{6})$")]
    private static partial Regex TitleDate();

    private static int Preference(string fileName)
    {
        var index = Array.FindIndex(s_preferredSuffixes, suffix => fileName.EndsWith(suffix, StringComparison.Ordinal));
        return index < 0 ? s_preferredSuffixes.Length : index;
    }

    private static string RequiredString(string path, int index, JsonElement element, string name)
    {
        var value = OptionalString(element, name);
        return string.IsNullOrEmpty(value)
            ? throw new TrackingException($"{path}: benchmark #{index} has no '{name}' (not a BenchmarkDotNet JSON report?)")
            : value;
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int OptionalInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : 0;

    private static TrackingException NotAReport(string path, string why) =>
        new($"{path}: not a BenchmarkDotNet JSON report: {why}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
