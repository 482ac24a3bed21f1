using OrderFlow.Tests.Shared;

namespace OrderFlow.Redis.Tests;

/// <summary>Packs OrderFlow.Redis and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeDocsAndItsDependencies()
    {
        var package = PackageInspector.Pack("OrderFlow.Redis");
        Assert.Contains("README.md", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Redis.dll", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Redis.xml", package.Files);
        Assert.Equal("OrderFlow.Redis", package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains("redis", package["tags"], StringComparison.Ordinal);
        Assert.Equal("MIT", package["license"]);
        Assert.Equal("README.md", package["readme"]);
        Assert.Contains("OrderFlow.Candles", package.Dependencies);
        Assert.Contains("StackExchange.Redis", package.Dependencies);
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions", package.Dependencies);
    }
}
