using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>Packs OrderFlow.Feed.Testing and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeAndDocs()
    {
        var root = FindRepositoryRoot();
        var output = Directory.CreateTempSubdirectory("orderflow-pack-").FullName;
        try
        {
            var project = Path.Combine(root, "src", "OrderFlow.Feed.Testing", "OrderFlow.Feed.Testing.csproj");
            var (exitCode, log) = Run("dotnet", $"pack \"{project}\" -c Release --no-build -o \"{output}\" -nologo");
            Assert.True(exitCode == 0, log);

            var package = Assert.Single(Directory.GetFiles(output, "OrderFlow.Feed.Testing.*.nupkg"), p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
            using var zip = ZipFile.OpenRead(package);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", names);
            Assert.Contains("lib/net10.0/OrderFlow.Feed.Testing.dll", names);
            Assert.Contains("lib/net10.0/OrderFlow.Feed.Testing.xml", names);

            using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Get(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

            Assert.Equal("OrderFlow.Feed.Testing", Get("id"));
            Assert.False(string.IsNullOrWhiteSpace(Get("description")));
            Assert.Contains("websocket", Get("tags"), StringComparison.Ordinal);
            Assert.Equal("README.md", Get("readme"));
            var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
            Assert.Contains("OrderFlow.Feed", dependencies);
            Assert.Contains("Microsoft.Extensions.Logging.Abstractions", dependencies);
            Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
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
