using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace OrderFlow.Tests.Shared;

/// <summary>Packs one of the repository's src/ projects with <c>dotnet pack</c> and reads what a NuGet consumer gets.</summary>
internal sealed class PackageInspector
{
    private readonly XElement _metadata;

    private PackageInspector(IReadOnlyList<string> files, XElement metadata)
    {
        Files = files;
        _metadata = metadata;
        Dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
    }

    /// <summary>The paths inside the .nupkg.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The ids of the package's dependencies.</summary>
    public IReadOnlyList<string> Dependencies { get; }

    /// <summary>A nuspec metadata element's value (id, description, tags, license, readme, …).</summary>
    public string? this[string name] => _metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>Packs <c>src/{project}</c> (already built in Release) into a temporary folder and opens the package.</summary>
    public static PackageInspector Pack(string project)
    {
        var root = FindRepositoryRoot();
        var output = Directory.CreateTempSubdirectory("orderflow-pack-").FullName;
        try
        {
            var path = Path.Combine(root, "src", project, project + ".csproj");
            var (exitCode, log) = Run("dotnet", $"pack \"{path}\" -c Release --no-build -o \"{output}\" -nologo");
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack failed ({exitCode}):\n{log}");
            }

            var package = Directory.GetFiles(output, project + ".*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
            using var zip = ZipFile.OpenRead(package);
            var files = zip.Entries.Select(e => e.FullName).ToList();
            using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            return new PackageInspector(files, metadata);
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
        var info = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
