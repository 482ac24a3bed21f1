using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.Candles.Rules;
using OrderFlow.Feed.Protocol;
using OrderFlow.MarketData;
using OrderFlow.Redis;
using OrderFlow.Sync.DependencyInjection;
using OrderFlow.Sync.Rules;
using OrderFlow.Sync.Tests.Engine;

namespace OrderFlow.Sync.Tests;

public sealed class OptionsAndRulesTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IMarketDataSource>(new FakeSource());
        before?.Invoke(services);
        services.AddCandleSync();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddCandleSync_EmptyConfiguration_GetsTheDefaults()
    {
        await using var sp = Build(new() { ["Feed:Url"] = "ws://127.0.0.1:9/" });
        var options = sp.GetRequiredService<IOptions<CandleSyncOptions>>().Value;
        Assert.Equal(["GC", "SI", "CL", "ES", "NQ"], options.Symbols);
        Assert.Equal(["1m", "5m", "15m", "1h", "4h", "1d"], options.Timeframes);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ChartSyncInterval);
        Assert.Equal(TimeSpan.FromHours(1), options.HistorySyncInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), options.LiveWriteInterval);
        foreach (var tf in Timeframe.All)
        {
            Assert.Equal(FeedProtocol.DefaultHistoryBars(tf), options.GetHistoryBars(tf));
        }
    }

    [Fact]
    public async Task AddCandleSync_CommaSeparatedValue_ReplacesTheWholeList()
    {
        await using var sp = Build(new()
        {
            ["Sync:Symbols:0"] = "GC", ["Sync:Symbols:1"] = "SI", ["Sync:Symbols:2"] = "CL",
            ["Sync:Symbols"] = "ES, NQ", ["Sync:Timeframes"] = "1m 1h", ["Sync:HistoryBars:1m"] = "500",
        });
        var options = sp.GetRequiredService<IOptions<CandleSyncOptions>>().Value;
        Assert.Equal(["ES", "NQ"], options.Symbols);
        Assert.Equal(["1m", "1h"], options.Timeframes);
        Assert.Equal(500, options.GetHistoryBars(Timeframe.OneMinute));
    }

    [Fact]
    public async Task AddCandleSync_SharesAChartStoreRegisteredBefore()
    {
        var shared = new InMemoryChartStore(new ChartStoreOptions());
        await using var sp = Build(new() { ["Feed:Url"] = "ws://127.0.0.1:9/" }, s => s.AddSingleton<IChartStore>(shared));
        Assert.Same(shared, sp.GetRequiredService<IChartStore>());
        Assert.NotNull(sp.GetRequiredService<CandleSyncEngine>());
    }

    [Theory]
    [InlineData("00:00:00.001", null)]
    [InlineData("00:01:00", null)]
    [InlineData("00:00:05", "00:00:10")]
    public async Task LiveWriteInterval_PositiveAndAtMostHalfTheLiveTtl_IsValid(string interval, string? liveTtl)
    {
        await using var sp = Build(new() { ["Sync:LiveWriteInterval"] = interval, ["Redis:CurrentTtl"] = liveTtl });
        Assert.Equal(TimeSpan.Parse(interval, CultureInfo.InvariantCulture), sp.GetRequiredService<IOptions<CandleSyncOptions>>().Value.LiveWriteInterval);
    }

    [Theory]
    [InlineData("00:00:00", null, "Sync:LiveWriteInterval must be > 0 and at most half the live keys' TTL (00:01:00); it is 00:00:00.")]
    [InlineData("-00:00:01", null, "Sync:LiveWriteInterval must be > 0 and at most half the live keys' TTL (00:01:00); it is -00:00:01.")]
    [InlineData("00:01:00.001", null, "Sync:LiveWriteInterval must be > 0 and at most half the live keys' TTL (00:01:00); it is 00:01:00.0010000.")]
    [InlineData("00:00:06", "00:00:10", "Sync:LiveWriteInterval must be > 0 and at most half the live keys' TTL (00:00:05); it is 00:00:06.")]
    public async Task LiveWriteInterval_NotPositiveOrAboveHalfTheLiveTtl_OneMessageNamingTheKeyAndTheBound(string interval, string? liveTtl, string expected)
    {
        await using var sp = Build(new() { ["Sync:LiveWriteInterval"] = interval, ["Redis:CurrentTtl"] = liveTtl });
        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<CandleSyncOptions>>().Value);
        Assert.Equal([expected], error.Failures);
    }

    [Fact]
    public void Rules_ThreeLevels_FallbackSymbolScaledAndSeriesExact()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Default:MaxPriceMove"] = "50",
            ["Rules:Default:MaxWick"] = "Infinity",
            ["Rules:GC:MaxPriceMove"] = "20",
            ["Rules:GC:ContinuityGap"] = "04:00:00",
            ["Rules:GC:1d:MaxWick"] = "123.5",
            ["Rules:GC:1d:Live"] = "Continuity, WickClamp",
            ["Rules:ZN:TickSize"] = "0.015625",
            ["Rules:ZN:MaxPriceMove"] = "1",
        }).Build();
        var book = CandleRuleBookConfiguration.Load(configuration.GetSection("Rules"));

        Assert.Equal(50, book.Fallback.MaxPriceMove);
        Assert.True(double.IsPositiveInfinity(book.Fallback.MaxWick));
        Assert.Equal(20, book.Get(Symbol.GC, Timeframe.OneMinute).MaxPriceMove);
        Assert.Equal(TimeSpan.FromHours(4), book.Get(Symbol.GC, Timeframe.OneHour).ContinuityGap);
        Assert.Equal(CandleRuleBook.ScaleToTimeframe(book.Get(Symbol.GC, Timeframe.OneMinute), 0.10, Timeframe.OneHour).MaxPriceMove, book.Get(Symbol.GC, Timeframe.OneHour).MaxPriceMove);
        Assert.Equal(123.5, book.Get(Symbol.GC, Timeframe.OneDay).MaxWick);
        Assert.Equal(RuleSet.Continuity | RuleSet.WickClamp, book.Get(Symbol.GC, Timeframe.OneDay).Live);
        Assert.Equal(CandleRuleBook.Default.Get(Symbol.ES, Timeframe.OneHour), book.Get(Symbol.ES, Timeframe.OneHour));
        Assert.Equal(1, book.Get(Symbol.Parse("ZN"), Timeframe.OneMinute).MaxPriceMove);
        Assert.True(book.Get(Symbol.Parse("ZN"), Timeframe.OneHour).MaxPriceMove > 1);
    }

    [Fact]
    public void Rules_MaxOutlierRatio_BindsPerSymbolAndTimeframe_Unscaled()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Default:MaxOutlierRatio"] = "4",
            ["Rules:GC:1h:MaxOutlierRatio"] = "3",
            ["Rules:CL:MaxOutlierRatio"] = "1.5",
            ["Rules:ES:1d:MaxOutlierRatio"] = "Infinity",
            ["Rules:NQ:History"] = "Continuity",
            ["Rules:SI:5m:History"] = "Continuity, OutlierRejection, WickClamp",
        }).Build();
        var book = CandleRuleBookConfiguration.Load(configuration.GetSection("Rules"));

        Assert.Equal(4, book.Fallback.MaxOutlierRatio);
        Assert.Equal(3, book.Get(Symbol.GC, Timeframe.OneHour).MaxOutlierRatio);
        Assert.Equal(2, book.Get(Symbol.GC, Timeframe.OneMinute).MaxOutlierRatio);
        Assert.All(Timeframe.All, tf => Assert.Equal(1.5, book.Get(Symbol.CL, tf).MaxOutlierRatio));
        Assert.True(double.IsPositiveInfinity(book.Get(Symbol.ES, Timeframe.OneDay).MaxOutlierRatio));
        Assert.Equal(RuleSet.Continuity | RuleSet.OutlierRejection, book.Get(Symbol.ES, Timeframe.OneDay).History);
        Assert.Equal(RuleSet.Continuity, book.Get(Symbol.NQ, Timeframe.OneHour).History);
        Assert.Equal(RuleSet.Continuity | RuleSet.OutlierRejection | RuleSet.WickClamp, book.Get(Symbol.SI, Timeframe.FiveMinutes).History);
    }

    [Theory]
    [InlineData("Rules:GC:1h:MaxOutlierRatio", "1", "Rules:GC:1h:MaxOutlierRatio: CandleRules.MaxOutlierRatio must be greater than 1")]
    [InlineData("Rules:GC:1h:MaxOutlierRatio", "0.5", "Rules:GC:1h:MaxOutlierRatio: CandleRules.MaxOutlierRatio must be greater than 1")]
    [InlineData("Rules:GC:1h:MaxOutlierRatio", "abc", "Rules:GC:1h:MaxOutlierRatio must be a number greater than 1")]
    [InlineData("Rules:GC:1h:MaxOutlierRatio", "NaN", "Rules:GC:1h:MaxOutlierRatio must be a number greater than 1")]
    [InlineData("Rules:CL:MaxOutlierRatio", "-2", "Rules:CL:MaxOutlierRatio: CandleRules.MaxOutlierRatio must be greater than 1")]
    [InlineData("Rules:Default:MaxOutlierRatio", "0", "Rules:Default:MaxOutlierRatio: CandleRules.MaxOutlierRatio must be greater than 1")]
    [InlineData("Rules:GC:1h:History", "Outliers", "Rules:GC:1h:History must be None, All, or a comma-separated list of Continuity, WickClamp, SpikeRejection, OutlierRejection")]
    [InlineData("Rules:GC:1h:MaxOutlierRation", "3", "Rules:GC:1h:MaxOutlierRation: 'MaxOutlierRation' is not a rule field (MaxPriceMove, MaxWick, MaxOutlierRatio,")]
    public void Rules_InvalidOutlierRule_OneMessageNamingTheKey(string key, string value, string expected) =>
        Rules_Invalid_OneMessageNamingTheKey(key, value, expected);

    [Theory]
    [InlineData("Rules:GC:MaxWick", "abc", "Rules:GC:MaxWick must be a number")]
    [InlineData("Rules:GC:5m:SpikeRecoveryCount", "-1", "Rules:GC:5m:SpikeRecoveryCount")]
    [InlineData("Rules:GC:1m:Live", "Everything", "Rules:GC:1m:Live must be None, All")]
    [InlineData("Rules:X!:MaxWick", "1", "Rules:X!: 'X!' is neither 'Default' nor a valid symbol")]
    [InlineData("Rules:ZN:MaxWick", "1", "Rules:ZN:TickSize is required")]
    [InlineData("Rules:Default:ContinuityGap", "ten hours", "Rules:Default:ContinuityGap must be a time span")]
    public void Rules_Invalid_OneMessageNamingTheKey(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var error = Assert.Throws<FormatException>(() => CandleRuleBookConfiguration.Load(configuration.GetSection("Rules")));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
