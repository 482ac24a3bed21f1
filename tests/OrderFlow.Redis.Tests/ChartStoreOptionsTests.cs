using Microsoft.Extensions.Options;

namespace OrderFlow.Redis.Tests;

public class ChartStoreOptionsTests
{
    [Fact]
    public void Defaults_AreTheSeedTtlsAndBufferSize()
    {
        var options = new ChartStoreOptions();
        Assert.Equal(TimeSpan.FromHours(24), options.ChartTtl);
        Assert.Equal(TimeSpan.FromMinutes(2), options.CurrentTtl);
        Assert.Equal(TimeSpan.FromMinutes(10), options.BufferTtl);
        Assert.Equal(500, options.BufferSize);
        Assert.Equal("", options.KeyPrefix);
    }

    [Theory]
    [InlineData("cache.example.com:6380,ssl=true,password=hunter2", "hunter2")]
    [InlineData("cache.example.com:6380,Password=hunter2,ssl=true", "hunter2")]
    [InlineData("host:6379,user=app,password=p@ss=word", "p@ss=word")]
    [InlineData("rediss://app:hunter2@cache.example.com:6380", "hunter2")]
    public void ToString_MasksPassword(string configuration, string secret)
    {
        var text = new ChartStoreOptions { Configuration = configuration }.ToString();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Contains("*****", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_RequireConfigurationOnlyForRedis()
    {
        Assert.True(new ChartStoreOptionsValidator().Validate(null, new ChartStoreOptions()).Failed);
        Assert.True(new ChartStoreOptionsValidator { RequireConfiguration = false }.Validate(null, new ChartStoreOptions()).Succeeded);
        Assert.True(new ChartStoreOptionsValidator().Validate(null, new ChartStoreOptions { Configuration = "localhost" }).Succeeded);
    }

    [Theory]
    [InlineData("bad prefix")]
    [InlineData("a*b")]
    [InlineData("ünïcode:")]
    public void Validate_BadPrefix_Fails(string prefix)
    {
        var result = new ChartStoreOptionsValidator().Validate(null, new ChartStoreOptions { Configuration = "localhost", KeyPrefix = prefix });
        Assert.Contains("KeyPrefix", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadNumbers_NameEachOption()
    {
        var result = new ChartStoreOptionsValidator().Validate(null, new ChartStoreOptions
        {
            Configuration = "localhost",
            ChartTtl = TimeSpan.Zero,
            CurrentTtl = TimeSpan.FromSeconds(-1),
            BufferTtl = TimeSpan.FromMilliseconds(10),
            BufferSize = 0,
        });
        foreach (var name in (string[])["ChartTtl", "CurrentTtl", "BufferTtl", "BufferSize"])
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Stores_InvalidOptions_Throw()
    {
        Assert.Throws<OptionsValidationException>(() => new InMemoryChartStore(new ChartStoreOptions { BufferSize = -1 }));
    }
}
