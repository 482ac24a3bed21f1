namespace OrderFlow.Sync.Tests.EndToEnd;

/// <summary>The systemd unit and the environment file template that users deploy as they are.</summary>
public class DeploymentTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "samples", "OrderFlow.SyncWorker", "deploy");

    [Fact]
    public void Unit_IsNotifyType_RunsAsItsOwnUser_RestartsOnFailure_AndReadsSecretsFromAnEnvironmentFile()
    {
        var unit = File.ReadAllLines(Path.Combine(Deploy, "orderflow-sync.service")).Select(l => l.Trim()).ToArray();
        Assert.Contains("Type=notify", unit);
        Assert.Contains("User=orderflow", unit);
        Assert.Contains("Restart=on-failure", unit);
        Assert.Contains("RestartPreventExitStatus=2", unit);
        Assert.Contains("EnvironmentFile=/etc/orderflow/sync.env", unit);
        Assert.Contains("NoNewPrivileges=yes", unit);

        // The bounded stop: systemd waits longer than the host's own shutdown timeout before SIGKILL.
        var stop = unit.Single(l => l.StartsWith("TimeoutStopSec=", StringComparison.Ordinal));
        Assert.True(int.Parse(stop["TimeoutStopSec=".Length..].TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture) > 15, stop);

        // No secret or address in the unit itself.
        Assert.DoesNotContain(unit, l => !l.StartsWith('#') && (l.Contains("password", StringComparison.OrdinalIgnoreCase) || l.Contains("Redis__", StringComparison.Ordinal) || l.Contains("DATABENTO_API_KEY", StringComparison.Ordinal)));
    }

    [Fact]
    public void EnvironmentTemplate_HoldsPlaceholdersOnly()
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "orderflow-sync.env.example"));
        Assert.Contains(lines, l => l.StartsWith("Redis__Configuration=", StringComparison.Ordinal) && l.Contains("password=CHANGE-ME", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart('#').StartsWith("DATABENTO_API_KEY=", StringComparison.Ordinal) && l.TrimEnd().EndsWith('='));
    }

    [Fact]
    public void EnvironmentTemplate_NamesTheRealFeedAsItsSource_InWords()
    {
        // A deployment with Redis must say where its prices come from; a synthetic or replay source there would fill
        // the real store with fake prices.
        var lines = File.ReadAllLines(Path.Combine(Deploy, "orderflow-sync.env.example"));
        Assert.Equal("Source=feed", Assert.Single(lines, l => l.StartsWith("Source=", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("Feed__Url=wss://", StringComparison.Ordinal));
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string here = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(here)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("OrderFlow.sln not found above " + AppContext.BaseDirectory);
    }
}
