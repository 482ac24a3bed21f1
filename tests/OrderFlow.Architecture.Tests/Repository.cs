using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using OrderFlow.Candles;
using OrderFlow.ChartServer;
using OrderFlow.Databento;
using OrderFlow.Dbn;
using OrderFlow.Feed.Client;
using OrderFlow.Feed.Testing;
using OrderFlow.FeedServer;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using OrderFlow.Sync;
using OrderFlow.SyncWorker;

namespace OrderFlow.Architecture.Tests;

/// <summary>The repository as these tests see it: its root, its assemblies, and the main README's tables.</summary>
internal static class Repository
{
    /// <summary>Every OrderFlow assembly: one per project in src/ and samples/.</summary>
    public static readonly Assembly[] Assemblies =
    [
        typeof(Candle).Assembly,
        typeof(IMarketDataSource).Assembly,
        typeof(FeedClient).Assembly,
        typeof(FeedServerOptions).Assembly,
        typeof(RedisChartStore).Assembly,
        typeof(CandleSyncEngine).Assembly,
        typeof(DbnDecoder).Assembly,
        typeof(SyncWorkerHost).Assembly,
        typeof(ChartServerApp).Assembly,
        typeof(FeedServerProgram).Assembly,
        typeof(DbnTool).Assembly,
    ];

    private static readonly string[] ProjectFolders = ["src", "samples"];

    public static string Root { get; } = FindRoot();

    /// <summary>The assembly names of the projects in src/ and samples/ (a project's AssemblyName, or its file name).</summary>
    public static IEnumerable<string> ProjectAssemblyNames() =>
        ProjectFolders
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(Root, dir), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => XDocument.Load(p).Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(p));

    /// <summary>The lines of the main README's "Logs and metrics" section.</summary>
    public static string[] LogsAndMetricsSection()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md"));
        var start = Array.FindIndex(lines, l => l.Trim() == "## Logs and metrics");
        Assert.True(start >= 0, "README.md has no '## Logs and metrics' section");
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return lines[start..(end < 0 ? lines.Length : end)];
    }

    /// <summary>
    /// The rows of the first table in <paramref name="section"/> whose header row starts with <paramref name="firstColumn"/>:
    /// each row's cells, trimmed, with backticks removed.
    /// </summary>
    public static List<string[]> Table(string[] section, string firstColumn)
    {
        var header = Array.FindIndex(section, l => l.StartsWith('|') && Cells(l)[0] == firstColumn);
        Assert.True(header >= 0, $"README.md 'Logs and metrics' has no table whose first column is '{firstColumn}'");
        var rows = new List<string[]>();
        for (var i = header + 2; i < section.Length && section[i].StartsWith('|'); i++)
        {
            rows.Add(Cells(section[i]));
        }

        return rows;
    }

    /// <summary>Asserts that the README lists exactly what the code has, naming what is missing on either side.</summary>
    public static void AssertSameRows(IEnumerable<string> inCode, IEnumerable<string> inReadme, string what)
    {
        var code = inCode.ToHashSet(StringComparer.Ordinal);
        var readme = inReadme.ToList();
        var missing = code.Where(c => !readme.Contains(c, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        var stale = readme.Where(r => !code.Contains(r)).Order(StringComparer.Ordinal).ToArray();
        var repeated = readme.GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.True(
            missing.Length == 0 && stale.Length == 0 && repeated.Length == 0,
            $"README.md 'Logs and metrics' and the code disagree on {what}:\n"
            + $"  in the code, not in the README: {string.Join("; ", missing)}\n"
            + $"  in the README, not in the code: {string.Join("; ", stale)}\n"
            + $"  listed twice in the README: {string.Join("; ", repeated)}");
    }

    private static string[] Cells(string row) =>
        Regex.Split(row.Trim().Trim('|'), @"(?<!\\)\|").Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal)).ToArray();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No OrderFlow.sln above {AppContext.BaseDirectory}.");
    }
}
