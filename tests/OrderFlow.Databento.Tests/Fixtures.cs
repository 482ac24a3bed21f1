namespace OrderFlow.Databento.Tests;

/// <summary>
/// Finds Databento's published DBN fixtures: <c>$ORDERFLOW_DBN_FIXTURES</c> when set, otherwise
/// <c>../shared/fixtures/databento</c> next to the repository root (found by walking up from the test binaries
/// to the directory that holds <c>OrderFlow.sln</c>). Missing fixtures fail the tests with a message saying where
/// they were looked for; they are never skipped silently.
/// </summary>
internal static class Fixtures
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Dir => Root.Value;

    public static string Path(string relative) => System.IO.Path.Combine(Dir, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static string Dbn(string name) => Path("dbn/tests/data/" + name);

    public static string Cpp(string name) => Path("databento-cpp/tests/data/" + name);

    public static string Python(string name) => Path("databento-python/tests/data/" + name);

    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Dir, "*", SearchOption.AllDirectories)
            .Where(f => f.Contains(".dbn", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("ORDERFLOW_DBN_FIXTURES");
        if (!string.IsNullOrEmpty(env))
        {
            return Directory.Exists(env) ? env : throw new DirectoryNotFoundException($"ORDERFLOW_DBN_FIXTURES={env} does not exist.");
        }

        // The repository root: above the test binaries (the default artifacts/ layout), or recorded at build time
        // (binaries built with a private ArtifactsPath outside the tree).
        var dir = FindSolutionAbove(AppContext.BaseDirectory)
            ?? FindSolutionAbove(typeof(Fixtures).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value)
            ?? throw new DirectoryNotFoundException($"No OrderFlow.sln above {AppContext.BaseDirectory}; set ORDERFLOW_DBN_FIXTURES to the databento fixtures folder.");

        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "fixtures", "databento"));
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"The Databento DBN fixtures were not found at {path} (../shared/fixtures/databento next to the repository); set ORDERFLOW_DBN_FIXTURES to their folder.");
    }

    private static DirectoryInfo? FindSolutionAbove(string? start)
    {
        var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "OrderFlow.sln")))
        {
            dir = dir.Parent;
        }

        return dir;
    }
}
