namespace OrderFlow.Databento.Tests;

/// <summary>
/// Finds Databento's published DBN fixtures: <c>$ORDERFLOW_DBN_FIXTURES</c> when set, otherwise
/// <c>../shared/fixtures/databento</c> next to the repository root (found by walking up from the test binaries
/// to the directory that holds <c>OrderFlow.sln</c>). On a clone without them, the tests that read them are skipped
/// with a reason saying where they were looked for (<see cref="FixtureFactAttribute"/>); under CI they fail instead.
/// </summary>
internal static class Fixtures
{
    private static readonly Lazy<(string? Dir, string? Missing)> Root = new(Find);

    /// <summary>The fixtures folder.</summary>
    /// <exception cref="DirectoryNotFoundException">It was not found (the message says where it was looked for).</exception>
    public static string Dir => Root.Value.Dir ?? throw new DirectoryNotFoundException(Root.Value.Missing);

    /// <summary>
    /// Why the fixtures' tests are skipped: the folder is missing on this clone. <see langword="null"/> when it is
    /// present, and always <see langword="null"/> under CI (<c>CI=true</c>), where a missing folder fails the tests
    /// instead: CI has <c>../shared</c> at the same path, so they must run there.
    /// </summary>
    public static string? SkipReason =>
        Root.Value.Dir is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? Root.Value.Missing
            : null;

    public static string Path(string relative) => System.IO.Path.Combine(Dir, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static string Dbn(string name) => Path("dbn/tests/data/" + name);

    public static string Cpp(string name) => Path("databento-cpp/tests/data/" + name);

    public static string Python(string name) => Path("databento-python/tests/data/" + name);

    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Dir, "*", SearchOption.AllDirectories)
            .Where(f => f.Contains(".dbn", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static (string? Dir, string? Missing) Find()
    {
        try
        {
            return (Locate(), null);
        }
        catch (DirectoryNotFoundException ex)
        {
            return (null, ex.Message);
        }
    }

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

/// <summary>A fact that reads the Databento fixtures: skipped, with the reason, on a clone that lacks them (never under CI).</summary>
internal sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        if (Fixtures.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that reads the Databento fixtures: skipped, with the reason, on a clone that lacks them (never under CI).</summary>
internal sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        if (Fixtures.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
