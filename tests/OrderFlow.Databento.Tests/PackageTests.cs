using OrderFlow.Tests.Shared;

namespace OrderFlow.Databento.Tests;

/// <summary>Packs OrderFlow.Databento and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeDocsAndItsDependencies()
    {
        var package = PackageInspector.Pack("OrderFlow.Databento");
        Assert.Contains("README.md", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Databento.dll", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Databento.xml", package.Files);
        Assert.Equal("OrderFlow.Databento", package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains("databento", package["tags"], StringComparison.Ordinal);
        Assert.Equal("MIT", package["license"]);
        Assert.Equal("README.md", package["readme"]);
        Assert.Contains("OrderFlow.Candles", package.Dependencies);
        Assert.Contains("ZstdSharp.Port", package.Dependencies);
    }
}
