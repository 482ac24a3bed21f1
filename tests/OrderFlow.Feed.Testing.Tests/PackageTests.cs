using OrderFlow.Tests.Shared;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>Packs OrderFlow.Feed.Testing and checks what a NuGet consumer gets.</summary>
public class PackageTests
{
    [Fact]
    public void Pack_ProducesPackageWithMetadataReadmeAndDocs()
    {
        var package = PackageInspector.Pack("OrderFlow.Feed.Testing");
        Assert.Contains("README.md", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Feed.Testing.dll", package.Files);
        Assert.Contains("lib/net10.0/OrderFlow.Feed.Testing.xml", package.Files);
        Assert.Equal("OrderFlow.Feed.Testing", package["id"]);
        Assert.False(string.IsNullOrWhiteSpace(package["description"]));
        Assert.Contains("websocket", package["tags"], StringComparison.Ordinal);
        Assert.Equal("README.md", package["readme"]);
        Assert.Contains("OrderFlow.Feed", package.Dependencies);
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions", package.Dependencies);
        Assert.DoesNotContain(package.Dependencies, d => d.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
