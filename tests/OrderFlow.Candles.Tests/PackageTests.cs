using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace OrderFlow.Candles.Tests;

/// <summary>Packs OrderFlow.Candles and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeDocsAndNoDependencies()
    {
        var root = FindRepositoryRoot();
        var output = Directory.CreateTempSubdirectory("orderflow-pack-").FullName;
        try
        {
            var project = Path.Combine(root, "src", "OrderFlow.Candles", "OrderFlow.Candles.csproj");
            var (exitCode, log) = Run("dotnet", $"pack \"{project}\" -c Release --no-build -o \"{output}\" -nologo");
            Assert.True(exitCode == 0, log);

            var package = Assert.Single(Directory.GetFiles(output, "OrderFlow.Candles.*.nupkg"));
            using var zip = ZipFile.OpenRead(package);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", names);
            Assert.Contains("lib/net10.0/OrderFlow.Candles.dll", names);
            Assert.Contains("lib/net10.0/OrderFlow.Candles.xml", names);

            using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var nuspec = XDocument.Load(nuspecStream);
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Get(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

            Assert.Equal("OrderFlow.Candles", Get("id"));
            Assert.False(string.IsNullOrWhiteSpace(Get("description")));
            Assert.Contains("ohlc", Get("tags"), StringComparison.Ordinal);
            Assert.Equal("MIT", Get("license"));
            Assert.Equal("README.md", Get("readme"));
            var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency");
            Assert.Empty(dependencies);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("OrderFlow.sln not found above " + AppContext.BaseDirectory);
    }

    private static (int ExitCode, string Log) Run(string fileName, string arguments)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "dotnet pack timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
