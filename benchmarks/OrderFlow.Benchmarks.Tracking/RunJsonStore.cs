using System.Text.Json;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>Reads and writes latest.json and baseline.json.</summary>
public static class RunJsonStore
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Serialize(BenchmarkRun run) => JsonSerializer.Serialize(run, s_options) + "\n";

    /// <summary>Parses a run; <paramref name="source"/> names the file in error messages.</summary>
    public static BenchmarkRun Deserialize(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new TrackingException($"{source}: the file is empty");
        }

        BenchmarkRun? run;
        try
        {
            run = JsonSerializer.Deserialize<BenchmarkRun>(json, s_options);
        }
        catch (JsonException ex)
        {
            throw new TrackingException($"{source}: not a valid results file: {ex.Message}", ex);
        }

        if (run is null)
        {
            throw new TrackingException($"{source}: not a valid results file: it is null");
        }

        if (run.SchemaVersion != BenchmarkRun.CurrentSchemaVersion)
        {
            throw new TrackingException(
                $"{source}: schema version {run.SchemaVersion}, this tool reads version {BenchmarkRun.CurrentSchemaVersion}");
        }

        return run;
    }

    /// <summary>The run stored at <paramref name="path"/>, or null when there is no such file.</summary>
    public static BenchmarkRun? ReadIfExists(string path) =>
        File.Exists(path) ? Deserialize(File.ReadAllText(path), path) : null;

    public static void Write(string path, BenchmarkRun run) => TextFiles.Write(path, Serialize(run));
}
