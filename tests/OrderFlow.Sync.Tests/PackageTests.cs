using OrderFlow.Tests.Shared;

namespace OrderFlow.Sync.Tests;

/// <summary>Packs OrderFlow.Sync and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeDocsAndItsDependencies()
    {
        var package = PackageInspector.Pack("OrderFlow.Sync");
        Assert.Contains("README.md", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Sync.dll", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Sync.xml", package.Files);
        Assert.Equal("OrderFlow.Sync", package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains("sync", package["tags"], StringComparison.Ordinal);
        Assert.Equal("MIT", package["license"]);
        Assert.Equal("README.md", package["readme"]);
        Assert.Contains("OrderFlow.Candles", package.Dependencies);
        Assert.Contains("OrderFlow.MarketData", package.Dependencies);
        Assert.DoesNotContain("OrderFlow.Feed", package.Dependencies);   // the contract, never a concrete source
        Assert.Contains("OrderFlow.Redis", package.Dependencies);
        Assert.Contains("Microsoft.Extensions.Hosting.Abstractions", package.Dependencies);
        Assert.Contains("Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions", package.Dependencies);
    }
}
