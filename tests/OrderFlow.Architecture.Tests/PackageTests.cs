using OrderFlow.Tests.Shared;

namespace OrderFlow.Architecture.Tests;

/// <summary>Packs each OrderFlow package and checks what a NuGet consumer gets: metadata, readme, docs and the dependency graph.</summary>
public sealed class PackageTests
{
    /// <summary>Each package: a tag it is found by, the dependencies it must declare, and those it must never take.</summary>
    public static TheoryData<string, string, string[], string[]> Packages => new()
    {
        { "OrderFlow.Candles", "ohlc", [], ["*"] },
        { "OrderFlow.MarketData", "market-data", ["OrderFlow.Candles"], ["*"] },
        { "OrderFlow.Feed", "websocket", ["OrderFlow.Candles", "OrderFlow.MarketData", "Microsoft.Extensions.Logging.Abstractions"], ["OrderFlow.Feed.Testing"] },
        { "OrderFlow.Feed.Testing", "websocket", ["OrderFlow.Feed", "OrderFlow.MarketData", "Microsoft.Extensions.Logging.Abstractions"], ["Microsoft.AspNetCore"] },
        { "OrderFlow.Redis", "redis", ["OrderFlow.Candles", "StackExchange.Redis", "Microsoft.Extensions.Logging.Abstractions"], ["OrderFlow.MarketData"] },
        { "OrderFlow.Databento", "databento", ["OrderFlow.Candles", "OrderFlow.MarketData", "ZstdSharp.Port"], ["OrderFlow.Feed"] },
        // The sync engine takes the source contract, never a concrete source.
        { "OrderFlow.Sync", "sync", ["OrderFlow.Candles", "OrderFlow.MarketData", "OrderFlow.Redis", "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions"], ["OrderFlow.Feed", "OrderFlow.Databento"] },
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void Pack_ProducesPackageWithMetadataReadmeDocsAndItsDependencies(string project, string tag, string[] depends, string[] never)
    {
        var package = PackageInspector.Pack(project);
        Assert.Contains("README.md", package.Files);
        Assert.Contains($"lib/net10.0/{project}.dll", package.Files);
        Assert.Contains($"lib/net10.0/{project}.xml", package.Files);
        Assert.Equal(project, package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains(tag, package["tags"], StringComparison.Ordinal);
        Assert.Equal("MIT", package["license"]);
        Assert.Equal("README.md", package["readme"]);
        foreach (var dependency in depends)
        {
            Assert.Contains(dependency, package.Dependencies);
        }

        // "*": nothing beyond the dependencies listed; a name: neither it nor a package whose name extends it.
        var unexpected = never.Contains("*")
            ? package.Dependencies.Except(depends)
            : package.Dependencies.Where(d => never.Any(n => d == n || d.StartsWith(n + ".", StringComparison.Ordinal)));
        Assert.Empty(unexpected);
    }
}
