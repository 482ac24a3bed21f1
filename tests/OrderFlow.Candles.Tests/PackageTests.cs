using OrderFlow.Tests.Shared;

namespace OrderFlow.Candles.Tests;

/// <summary>Packs OrderFlow.Candles and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeDocsAndNoDependencies()
    {
        var package = PackageInspector.Pack("OrderFlow.Candles");
        Assert.Contains("README.md", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Candles.dll", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Candles.xml", package.Files);
        Assert.Equal("OrderFlow.Candles", package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains("ohlc", package["tags"], StringComparison.Ordinal);
        Assert.Equal("MIT", package["license"]);
        Assert.Equal("README.md", package["readme"]);
        Assert.Empty(package.Dependencies);
    }
}
