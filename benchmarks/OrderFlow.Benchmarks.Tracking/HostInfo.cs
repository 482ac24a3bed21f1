using System.Text.Json.Serialization;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>The machine a run was measured on, from BenchmarkDotNet's HostEnvironmentInfo.</summary>
public sealed record HostInfo(
    string Cpu,
    int PhysicalProcessors,
    int PhysicalCores,
    int LogicalCores,
    string Os,
    string Runtime,
    string BenchmarkDotNet)
{
    public static HostInfo Unknown { get; } = new("unknown CPU", 0, 0, 0, "unknown OS", "unknown runtime", "unknown");

    /// <summary>"1 CPU, 2 physical / 2 logical cores" (parts that are unknown are left out).</summary>
    [JsonIgnore]
    public string CoreSummary
    {
        get
        {
            var parts = new List<string>();
            if (PhysicalProcessors > 0)
            {
                parts.Add(FormattableString.Invariant($"{PhysicalProcessors} CPU"));
            }

            if (PhysicalCores > 0 || LogicalCores > 0)
            {
                parts.Add(FormattableString.Invariant($"{PhysicalCores} physical / {LogicalCores} logical cores"));
            }

            return parts.Count == 0 ? "unknown cores" : string.Join(", ", parts);
        }
    }
}
