using OrderFlow.Tests.Shared;

namespace OrderFlow.Feed.Tests;

/// <summary>Packs OrderFlow.Feed and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeDocsAndItsDependencies()
    {
        var package = PackageInspector.Pack("OrderFlow.Feed");
        Assert.Contains("README.md", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Feed.dll", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Feed.xml", package.Files);
        Assert.Equal("OrderFlow.Feed", package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains("websocket", package["tags"], StringComparison.Ordinal);
        Assert.Equal("MIT", package["license"]);
        Assert.Equal("README.md", package["readme"]);
        Assert.Contains("OrderFlow.Candles", package.Dependencies);
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions", package.Dependencies);
        Assert.DoesNotContain(package.Dependencies, d => d.StartsWith("OrderFlow.Feed.Testing", StringComparison.Ordinal));
    }
}
