using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace OrderFlow.Architecture.Tests;

/// <summary>
/// Log EventIds across every OrderFlow assembly: unique, inside their assembly's range, and listed in the main README
/// ("Logs and metrics"), which is the one table of them.
/// </summary>
public sealed class EventIdTests
{
    private const BindingFlags AllMethods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Fact]
    public void Assemblies_AreEveryProjectInSrcAndSamples()
    {
        var reflected = Repository.Assemblies.Select(a => a.GetName().Name!).Order(StringComparer.Ordinal);
        Assert.Equal(Repository.ProjectAssemblyNames().Order(StringComparer.Ordinal), reflected);
    }

    [Fact]
    public void EventIds_AreUniqueAcrossAssemblies()
    {
        var duplicates = Events()
            .GroupBy(e => e.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Where))}")
            .ToArray();
        Assert.True(duplicates.Length == 0, "EventIds used more than once:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void EventIds_AreInTheirAssemblysRange()
    {
        var ranges = Ranges();
        var outside = Events()
            .Where(e => !ranges.TryGetValue(e.Assembly, out var r) || r is not { } range || e.Id < range.First || e.Id > range.Last)
            .Select(e => $"{e.Id} ({e.Where}): range of {e.Assembly} is {(ranges.TryGetValue(e.Assembly, out var r) ? r?.ToString() ?? "none" : "not in the README")}")
            .ToArray();
        Assert.True(outside.Length == 0, "EventIds outside their assembly's range:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void Ranges_CoverEveryAssembly_AndDoNotOverlap()
    {
        var ranges = Ranges();
        Assert.Equal(Repository.Assemblies.Select(a => a.GetName().Name!).Order(StringComparer.Ordinal), ranges.Keys.Order(StringComparer.Ordinal));
        var sorted = ranges.Values.OfType<(int First, int Last)>().OrderBy(r => r.First).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            Assert.True(sorted[i].First > sorted[i - 1].Last, $"ranges {sorted[i - 1]} and {sorted[i]} overlap");
        }
    }

    [Fact]
    public void ReadmeTable_ListsExactlyTheEventIdsThatExist_WithAssemblyAndLevel()
    {
        var rows = Repository.Table(Repository.LogsAndMetricsSection(), "EventId");
        Repository.AssertSameRows(Events().Select(e => $"{e.Id} {e.Assembly} {e.Level}"), rows.Select(r => $"{r[0]} {r[1]} {r[2]}"), "the log events (id, assembly, level)");
    }

    /// <summary>Every <see cref="LoggerMessageAttribute"/> method of every OrderFlow assembly.</summary>
    private static List<(int Id, string Assembly, LogLevel Level, string Where)> Events() =>
        [.. from assembly in Repository.Assemblies
            from type in assembly.GetTypes()
            from method in type.GetMethods(AllMethods)
            let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
            where attribute is not null
            select (attribute.EventId, assembly.GetName().Name!, attribute.Level, $"{type.FullName}.{method.Name}")];

    /// <summary>The README's ranges: assembly → (first, last), or null for an assembly that never logs ("—").</summary>
    private static Dictionary<string, (int First, int Last)?> Ranges()
    {
        var ranges = new Dictionary<string, (int First, int Last)?>(StringComparer.Ordinal);
        foreach (var row in Repository.Table(Repository.LogsAndMetricsSection(), "assembly"))
        {
            var bounds = row[1].Split('–');
            ranges.Add(row[0], bounds.Length == 2
                ? (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[1], CultureInfo.InvariantCulture))
                : null);
        }

        return ranges;
    }
}
