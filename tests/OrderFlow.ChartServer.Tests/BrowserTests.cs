using OrderFlow.Candles;
using OrderFlow.ChartServer.Tests.Infrastructure;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Tests;

/// <summary>The live and 1-year pages in real headless Chromium against the server with a seeded in-memory store.</summary>
[Collection(BrowserGroup.Name)]
public sealed class BrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly InMemoryChartStore _store = new();
    private readonly Candle[] _gcMinutes = TestCandles.Series(Timeframe.OneMinute, 2_000);
    private readonly Candle[] _siMinutes = TestCandles.Series(Timeframe.OneMinute, 2_000, 25);
    private readonly Candle[] _gcDays = TestCandles.Series(Timeframe.OneDay, 365, 2000, TestCandles.Start - (365 * 86_400L));
    private ChartServerHost _server = null!;

    public async Task InitializeAsync()
    {
        await _store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, _gcMinutes);
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, _gcMinutes[^1], _gcMinutes.AsMemory(^300..));
        await _store.SaveChartAsync(Symbol.SI, Timeframe.OneMinute, _siMinutes); // no live keys: the page uses the chart's tail
        await _store.SaveChartAsync(Symbol.SI, Timeframe.FiveMinutes, TestCandles.Series(Timeframe.FiveMinutes, 800, 25));
        await _store.SaveChartAsync(Symbol.GC, Timeframe.OneDay, _gcDays);
        _server = await ChartServerHost.StartAsync(_store);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task LivePage_RendersCandles_FollowsLiveUpdates_AndSurvivesAnOlderUpdate()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/live.html?symbol=GC&tf=1m"));

        // The buffer (300 bars) from /api/live, then the WebSocket's subscription.
        await page.WaitForChartAsync("c.series === 'GC 1m' && c.bars === 300 && c.status === 'live' && c.loads >= 2", "the GC 1m live buffer");
        var state = await page.StateAsync();
        Assert.Equal(_gcMinutes[^1].OpenTime, state.GetProperty("last").GetProperty("time").GetInt64());
        Assert.Equal(_gcMinutes[^1].Close, state.GetProperty("last").GetProperty("close").GetDouble());
        Assert.False(state.GetProperty("noData").GetBoolean());
        Assert.True(await page.WaitForCandlePixelsAsync() > 500, "the canvas shows candles");
        Assert.Equal("live", await page.Page.GetAttributeAsync("#status", "data-status"));

        // A new bar, then the same bar moving: the last candle follows.
        var buffer = _gcMinutes[^300..].ToList();
        var next = TestCandles.At(_gcMinutes[^1].OpenTime + 60, _gcMinutes[^1].Close, _gcMinutes[^1].Close + 3);
        buffer.Add(next);
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, next, buffer.ToArray());
        await page.WaitForChartAsync($"c.bars === 301 && c.last.time === {next.OpenTime} && c.last.close === {next.Close}", "the new bar");
        var moved = TestCandles.At(next.OpenTime, next.Open, next.Close + 2.5);
        buffer[^1] = moved;
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, moved, buffer.ToArray());
        await page.WaitForChartAsync($"c.bars === 301 && c.last.close === {moved.Close}", "the last candle moving");

        // An update older than the last bar is ignored, and the chart keeps working.
        var old = TestCandles.At(next.OpenTime - 600, 1900, 1901);
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, old, buffer.ToArray());
        await page.WaitForChartAsync("c.ignored >= 1", "the older update ignored");
        var after = TestCandles.At(next.OpenTime + 60, moved.Close, moved.Close - 1);
        buffer.Add(after);
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, after, buffer.ToArray());
        await page.WaitForChartAsync($"c.bars === 302 && c.last.time === {after.OpenTime} && c.failed === 0", "a newer update after the older one");

        await page.ScreenshotAsync("live-GC-1m");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task LivePage_SwitchingSymbolAndTimeframe_LoadsThatSeries_AndShowsNoDataForAnEmptyOne()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/live.html?symbol=GC&tf=1m"));
        await page.WaitForChartAsync("c.series === 'GC 1m' && c.bars === 300", "GC 1m");

        // SI 1m has no live keys: the page falls back to the last 500 bars of the 1-year chart.
        await page.Page.ClickAsync("button[data-symbol=SI]");
        await page.WaitForChartAsync($"c.series === 'SI 1m' && c.bars === 500 && c.last.time === {_siMinutes[^1].OpenTime}", "SI 1m from the chart's tail");
        Assert.Contains("symbol=SI&tf=1m", page.Page.Url, StringComparison.Ordinal);
        Assert.Equal("true", await page.Page.GetAttributeAsync("button[data-symbol=SI]", "aria-pressed"));

        await page.Page.ClickAsync("button[data-tf='5m']");
        await page.WaitForChartAsync("c.series === 'SI 5m' && c.bars === 500", "SI 5m");
        Assert.Contains("symbol=SI&tf=5m", page.Page.Url, StringComparison.Ordinal);

        // Nothing stored for NQ 4h: a clear message, not a blank canvas.
        await page.Page.ClickAsync("button[data-symbol=NQ]");
        await page.Page.ClickAsync("button[data-tf='4h']");
        await page.WaitForChartAsync("c.series === 'NQ 4h' && c.bars === 0 && c.noData === true && c.loads >= 1", "the no-data message");
        Assert.True(await page.Page.IsVisibleAsync("#message"));
        Assert.Contains("No data for NQ 4h", await page.Page.TextContentAsync("#message"), StringComparison.Ordinal);
        await page.ScreenshotAsync("live-NQ-4h-no-data");

        // The back button returns to the previous series (NQ 5m, also empty), then to SI 5m.
        await page.Page.GoBackAsync();
        await page.WaitForChartAsync("c.series === 'NQ 5m' && c.noData === true", "history back to NQ 5m");
        await page.Page.GoBackAsync();
        await page.WaitForChartAsync("c.series === 'SI 5m' && c.bars === 500", "history back to SI 5m");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task YearPage_ShowsAYearOfDailyBars_KeptCurrentByLiveUpdates()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/year.html?symbol=GC&tf=1d"));

        await page.WaitForChartAsync("c.series === 'GC 1d' && c.bars === 365 && c.status === 'live'", "a year of GC daily bars");
        Assert.True(await page.WaitForCandlePixelsAsync() > 500, "the canvas shows candles");

        var today = TestCandles.At(_gcDays[^1].OpenTime + 86_400, _gcDays[^1].Close, _gcDays[^1].Close + 12);
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneDay, today, new[] { today });
        await page.WaitForChartAsync($"c.bars === 366 && c.last.time === {today.OpenTime} && c.last.close === {today.Close}", "today's bar from the live push");

        await page.ScreenshotAsync("year-GC-1d");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task YearPage_EmptySeries_ShowsTheNoDataMessage()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/year.html?symbol=ES&tf=1h"));

        await page.WaitForChartAsync("c.series === 'ES 1h' && c.noData === true && c.loads >= 1", "the no-data message");
        Assert.Contains("No data for ES 1h", await page.Page.TextContentAsync("#message"), StringComparison.Ordinal);
        await page.ScreenshotAsync("year-ES-1h-no-data");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task LivePage_WhenTheWebSocketIsRefused_PollsTheLiveApiEvery5Seconds()
    {
        // Every WebSocket to /ws/live is closed at once (a proxy that does not pass WebSockets).
        await using var page = await ChartPage.OpenAsync(
            browser.Browser,
            new Uri(_server.BaseUri, "/live.html?symbol=GC&tf=1m"),
            context => context.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/ws/live"), socket => socket.CloseAsync()));

        await page.WaitForChartAsync("c.series === 'GC 1m' && c.bars === 300 && c.status === 'polling'", "the polling fallback");
        Assert.Contains("polling", await page.Page.TextContentAsync("#status"), StringComparison.Ordinal);

        var next = TestCandles.At(_gcMinutes[^1].OpenTime + 60, _gcMinutes[^1].Close, _gcMinutes[^1].Close + 4);
        var buffer = _gcMinutes[^300..].Append(next).ToArray();
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, next, buffer);
        await page.WaitForChartAsync($"c.bars === 301 && c.last.time === {next.OpenTime} && c.last.close === {next.Close}", "the update through polling");
        await page.ScreenshotAsync("live-GC-1m-polling");
        Assert.DoesNotContain(page.Errors, e => !e.Contains("WebSocket", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IndexPage_LinksBothCharts()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, _server.BaseUri);

        await page.Page.ClickAsync("a[href^='/year.html']");
        await page.WaitForChartAsync("c.series === 'GC 1d' && c.bars === 365", "the 1-year page from the index");
        await page.Page.ClickAsync("#nav-live");
        await page.WaitForChartAsync("location.pathname === '/live.html' && c.series === 'GC 1d' && c.bars === 365", "the live page keeps the series (GC 1d: the chart's tail)");
        Assert.Empty(page.Errors);
    }
}
