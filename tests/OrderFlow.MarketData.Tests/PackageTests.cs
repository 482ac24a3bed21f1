using OrderFlow.Tests.Shared;

namespace OrderFlow.MarketData.Tests;

/// <summary>Packs OrderFlow.MarketData and checks what a NuGet consumer gets: the contract, depending on Candles only.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeDocs_AndOnlyCandlesAsADependency()
    {
        var package = PackageInspector.Pack("OrderFlow.MarketData");
        Assert.Contains("README.md", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.MarketData.dll", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.MarketData.xml", package.Files);
        Assert.Equal("OrderFlow.MarketData", package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains("market-data", package["tags"], StringComparison.Ordinal);
        Assert.Equal("MIT", package["license"]);
        Assert.Equal("README.md", package["readme"]);
        Assert.Equal(["OrderFlow.Candles"], package.Dependencies);
    }
}
