using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OrderFlow.Databento.DependencyInjection;
using OrderFlow.MarketData;

namespace OrderFlow.Databento.Tests.DependencyInjection;

public class DatabentoServiceCollectionTests
{
    private const string Key = "db-TESTKEYabcdefghijklmnopqrsXYZ12";

    [Fact]
    public async Task AddDatabentoMarketData_BindsTheSection_AndRegistersTheSource()
    {
        await using var provider = Build(new()
        {
            ["Databento:ApiKey"] = Key,
            ["Databento:Dataset"] = "GLBX.MDP3",
            ["Databento:Gateway"] = "127.0.0.1",
            ["Databento:Port"] = "14000",
            ["Databento:Roots:0"] = "GC",
            ["Databento:Roots:1"] = "ES",
            ["Databento:ContinuousRank"] = "1",
        });
        var options = provider.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value;
        Assert.Equal(["GC", "ES"], options.Roots);
        Assert.Equal(1, options.ContinuousRank);
        Assert.Equal("127.0.0.1", options.Live.Gateway);
        Assert.Equal(14000, options.Live.Port);
        await using var source = Assert.IsType<DatabentoMarketDataSource>(provider.GetRequiredService<IMarketDataSource>());
    }

    [Theory]
    [InlineData(null, "GC", null, "Databento:ApiKey")]
    [InlineData(Key, null, null, "Databento:Roots is empty")]
    [InlineData(Key, "GC", "ftp://hist.example.com", "Databento:Historical:BaseAddress must be an absolute http")]
    [InlineData(Key, "GC", "https://user:secret@hist.example.com", "Databento:Historical:BaseAddress must be an absolute http")]
    public async Task InvalidConfiguration_NamesTheKey_AndNeverTheApiKey(string? key, string? root, string? historical, string expected)
    {
        await using var provider = Build(new()
        {
            ["Databento:ApiKey"] = key,
            ["Databento:Roots:0"] = root,
            ["Databento:Historical:BaseAddress"] = historical,
        });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.00:00:00")]
    [InlineData("-00:01:00")]
    public async Task BarReplay_OutsideTheGatewaysReplayWindow_IsInvalid(string replay)
    {
        await using var provider = Build(new()
        {
            ["Databento:ApiKey"] = Key,
            ["Databento:Roots:0"] = "GC",
            ["Databento:BarReplay"] = replay,
        });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value);
        Assert.Contains("Databento:BarReplay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoricalTimeoutsAndRetries_ConfigureTheStandardResilienceHandler()
    {
        await using var provider = Build(new()
        {
            ["Databento:ApiKey"] = Key,
            ["Databento:Roots:0"] = "GC",
            ["Databento:Historical:BaseAddress"] = "https://hist.example.com",
            ["Databento:Historical:AttemptTimeout"] = "00:00:45",
            ["Databento:Historical:TotalRequestTimeout"] = "00:05:00",
            ["Databento:Historical:MaxRetryAttempts"] = "5",
        });
        _ = provider.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value;   // valid
        var resilience = provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>()
            .Get(DatabentoServiceCollectionExtensions.HistoricalHttpClientName + "-standard");
        Assert.Equal(TimeSpan.FromSeconds(45), resilience.AttemptTimeout.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(5), resilience.TotalRequestTimeout.Timeout);
        Assert.Equal(5, resilience.Retry.MaxRetryAttempts);
        Assert.True(resilience.CircuitBreaker.SamplingDuration >= TimeSpan.FromSeconds(90));
        await using var source = Assert.IsType<DatabentoMarketDataSource>(provider.GetRequiredService<IMarketDataSource>());
    }

    [Theory]
    [InlineData("AttemptTimeout", "00:00:00.100", "Databento:Historical:AttemptTimeout")]
    [InlineData("TotalRequestTimeout", "01:00:00", "Databento:Historical:TotalRequestTimeout")]
    [InlineData("MaxRetryAttempts", "20", "Databento:Historical:MaxRetryAttempts")]
    [InlineData("AttemptTimeout", "soon", "Databento:Historical")]
    public async Task InvalidHistoricalTimeoutsOrRetries_NameTheKey(string key, string value, string expected)
    {
        await using var provider = Build(new()
        {
            ["Databento:ApiKey"] = Key,
            ["Databento:Roots:0"] = "GC",
            ["Databento:Historical:BaseAddress"] = "https://hist.example.com",
            ["Databento:Historical:" + key] = value,
        });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DatabentoMarketDataSourceOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(p => p.Value is not null)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddDatabentoMarketData();
        return services.BuildServiceProvider();
    }
}
