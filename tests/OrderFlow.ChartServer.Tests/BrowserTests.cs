using System.Globalization;
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

    // Order flow: the first half bought (positive delta), the second half sold (negative delta).
    private readonly Candle[] _clFlowMinutes = TestCandles.FlowSeries(Timeframe.OneMinute, 120, i => i < 60 ? 1 : -1, 75);
    private readonly Candle[] _clFlowDays = TestCandles.FlowSeries(Timeframe.OneDay, 200, i => i < 100 ? 1 : -1, 75, TestCandles.Start - (200 * 86_400L));
    private ChartServerHost _server = null!;

    public async Task InitializeAsync()
    {
        await _store.SaveChartAsync(Symbol.GC, Timeframe.OneMinute, _gcMinutes);
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, _gcMinutes[^1], _gcMinutes.AsMemory(^300..));
        await _store.SaveChartAsync(Symbol.SI, Timeframe.OneMinute, _siMinutes); // no live keys: the page uses the chart's tail
        await _store.SaveChartAsync(Symbol.SI, Timeframe.FiveMinutes, TestCandles.Series(Timeframe.FiveMinutes, 800, 25));
        await _store.SaveChartAsync(Symbol.GC, Timeframe.OneDay, _gcDays);
        await _store.SaveChartAsync(Symbol.CL, Timeframe.OneMinute, _clFlowMinutes);
        await _store.SaveLiveAsync(Symbol.CL, Timeframe.OneMinute, _clFlowMinutes[^1], _clFlowMinutes);
        await _store.SaveChartAsync(Symbol.CL, Timeframe.OneDay, _clFlowDays);
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
    public async Task LivePage_WithFlow_ColoursVolumeByDelta_AndDrawsTheCumulativeDelta()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/live.html?symbol=CL&tf=1m"));
        var sum = TestCandles.CumulativeDelta(_clFlowMinutes);

        await page.WaitForChartAsync($"c.series === 'CL 1m' && c.bars === 120 && c.status === 'live' && c.flow === true && c.cumDelta === {Js(sum)}", "CL 1m with its cumulative delta");

        // Three panes, top to bottom: candles, the cumulative delta, the volume.
        Assert.Equal(["candles", "cumDelta", "volume"], await page.PaneNamesAsync());

        // The line is the running sum of the deltas, one point per bar, ending at the sum computed here.
        var cumulative = await page.CumulativeDeltaAsync();
        Assert.Equal(_clFlowMinutes.Length, cumulative.Length);
        var running = 0.0;
        for (var i = 0; i < _clFlowMinutes.Length; i++)
        {
            running += _clFlowMinutes[i].Delta;
            Assert.Equal((_clFlowMinutes[i].OpenTime, running), cumulative[i]);
        }

        Assert.Equal(sum, cumulative[^1].Value);
        Assert.Equal(Js(sum), await page.Page.GetAttributeAsync("html", "data-cum-delta"));

        // The legend next to the title names the line and shows its last value.
        Assert.True(await page.Page.IsVisibleAsync("#cum-delta"));
        var legend = await page.Page.TextContentAsync("#cum-delta");
        Assert.Contains("Cum. Δ", legend, StringComparison.Ordinal);
        Assert.Contains(Signed(sum), legend, StringComparison.Ordinal);

        // Volume bars coloured by the sign of the delta: green for the bought half, red for the sold half.
        var colors = await page.VolumeColorsAsync();
        Assert.All(colors[..60], c => Assert.Equal("#26a69a", c));
        Assert.All(colors[60..], c => Assert.Equal("#ef5350", c));
        var volume = await page.WaitForPanePixelsAsync("volume", _clFlowMinutes[59].OpenTime, _clFlowMinutes[60].OpenTime, p => p.GreenLeft > 300 && p.RedRight > 300);
        Assert.True(volume.GreenLeft > 300 && volume.RedRight > 300, $"green bars on the left, red on the right: {volume}");
        Assert.True(volume.GreenRight * 20 < volume.GreenLeft && volume.RedLeft * 20 < volume.RedRight, $"no green on the right, no red on the left: {volume}");
        var line = await page.WaitForPanePixelsAsync("cumDelta", _clFlowMinutes[59].OpenTime, _clFlowMinutes[60].OpenTime, p => p.Ink > 100);
        Assert.True(line.Ink > 100, $"the cumulative-delta line is drawn: {line}");
        Assert.Equal(0, line.GreenLeft + line.RedRight);

        await page.ScreenshotAsync("live-CL-1m-flow");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task LivePage_LiveUpdatesWithFlow_KeepTheCumulativeDeltaRight()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/live.html?symbol=CL&tf=1m"));
        var sum = TestCandles.CumulativeDelta(_clFlowMinutes);
        await page.WaitForChartAsync($"c.series === 'CL 1m' && c.bars === 120 && c.status === 'live' && c.cumDelta === {Js(sum)}", "CL 1m with its cumulative delta");
        var last = _clFlowMinutes[^1];
        var buffer = _clFlowMinutes.ToList();

        // A new bar sold into (delta −50): a point is appended.
        var next = TestCandles.At(last.OpenTime + 60, last.Close, last.Close - 0.1, 100, 20, 70);
        buffer.Add(next);
        await _store.SaveLiveAsync(Symbol.CL, Timeframe.OneMinute, next, buffer.ToArray());
        await page.WaitForChartAsync($"c.bars === 121 && c.last.time === {next.OpenTime} && c.cumDelta === {Js(sum - 50)}", "the new bar's delta appended");

        // The same bar, now bought (delta +70): its delta is replaced, not added again.
        var moved = TestCandles.At(next.OpenTime, next.Open, next.Close + 0.2, 150, 100, 30);
        buffer[^1] = moved;
        await _store.SaveLiveAsync(Symbol.CL, Timeframe.OneMinute, moved, buffer.ToArray());
        await page.WaitForChartAsync($"c.bars === 121 && c.last.close === {Js(moved.Close)} && c.cumDelta === {Js(sum + 70)}", "the current bar's delta replaced");
        var cumulative = await page.CumulativeDeltaAsync();
        Assert.Equal(121, cumulative.Length);
        Assert.Equal((last.OpenTime, sum), cumulative[^2]);
        Assert.Equal((moved.OpenTime, sum + 70), cumulative[^1]);
        Assert.Equal("#26a69a", (await page.VolumeColorsAsync())[^1]);

        // Balanced (delta 0): grey volume, the sum back to the loaded bars'.
        var balanced = TestCandles.At(next.OpenTime, next.Open, next.Close + 0.3, 160, 60, 60);
        buffer[^1] = balanced;
        await _store.SaveLiveAsync(Symbol.CL, Timeframe.OneMinute, balanced, buffer.ToArray());
        await page.WaitForChartAsync($"c.bars === 121 && c.last.close === {Js(balanced.Close)} && c.cumDelta === {Js(sum)}", "a balanced bar");
        Assert.Equal("#787b86", (await page.VolumeColorsAsync())[^1]);
        Assert.Contains(Signed(sum), await page.Page.TextContentAsync("#cum-delta"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => window.__chart.failed"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task YearPage_WithFlow_ShowsTheCumulativeDelta_KeptCurrentByLiveUpdates()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/year.html?symbol=CL&tf=1d"));
        var sum = TestCandles.CumulativeDelta(_clFlowDays);

        await page.WaitForChartAsync($"c.series === 'CL 1d' && c.bars === 200 && c.status === 'live' && c.cumDelta === {Js(sum)}", "CL 1d with its cumulative delta");
        Assert.Equal(["candles", "cumDelta", "volume"], await page.PaneNamesAsync());
        Assert.Equal(200, (await page.CumulativeDeltaAsync()).Length);
        var volume = await page.WaitForPanePixelsAsync("volume", _clFlowDays[99].OpenTime, _clFlowDays[100].OpenTime, p => p.GreenLeft > 300 && p.RedRight > 300);
        Assert.True(volume.GreenLeft > 300 && volume.RedRight > 300, $"green bars on the left, red on the right: {volume}");
        Assert.True(volume.GreenRight * 20 < volume.GreenLeft && volume.RedLeft * 20 < volume.RedRight, $"no green on the right, no red on the left: {volume}");

        var today = TestCandles.At(_clFlowDays[^1].OpenTime + 86_400, _clFlowDays[^1].Close, _clFlowDays[^1].Close + 0.4, 300, 190, 110);
        await _store.SaveLiveAsync(Symbol.CL, Timeframe.OneDay, today, new[] { today });
        await page.WaitForChartAsync($"c.bars === 201 && c.last.time === {today.OpenTime} && c.cumDelta === {Js(sum + 80)}", "today's bar added to the cumulative delta");
        Assert.Equal((today.OpenTime, sum + 80), (await page.CumulativeDeltaAsync())[^1]);

        await page.ScreenshotAsync("year-CL-1d-flow");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task LivePage_WithoutFlow_ShowsVolumeButNoCumulativeDelta_UntilACandleWithFlowArrives()
    {
        // From a series with flow to one without: the cumulative-delta pane goes away.
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/live.html?symbol=CL&tf=1m"));
        await page.WaitForChartAsync("c.series === 'CL 1m' && c.bars === 120 && c.flow === true", "CL 1m with flow");
        await page.Page.ClickAsync("button[data-symbol=GC]");
        await page.WaitForChartAsync("c.series === 'GC 1m' && c.bars === 300 && c.status === 'live' && c.flow === false && c.cumDelta === null", "GC 1m without flow");

        Assert.Equal(["candles", "volume"], await page.PaneNamesAsync());
        Assert.Empty(await page.CumulativeDeltaAsync());
        Assert.True(await page.Page.IsHiddenAsync("#cum-delta"));
        Assert.Equal(string.Empty, await page.Page.GetAttributeAsync("html", "data-cum-delta"));
        var colors = await page.VolumeColorsAsync();
        Assert.Equal(300, colors.Length);
        Assert.All(colors, c => Assert.StartsWith("rgba(", c, StringComparison.Ordinal)); // muted up/down colours
        var volume = await page.WaitForPanePixelsAsync("volume", _gcMinutes[^2].OpenTime, _gcMinutes[^1].OpenTime, p => p.Ink > 300);
        Assert.True(volume.Ink > 300, $"the volume is drawn: {volume}");
        await page.ScreenshotAsync("live-GC-1m-no-flow");
        Assert.True(volume.GreenLeft + volume.GreenRight + volume.RedLeft + volume.RedRight == 0 && volume.Grey * 100 < volume.Ink, $"muted colours, not the flow colours: {volume}");

        // The first candle with flow brings the line: the earlier bars count 0.
        var next = TestCandles.At(_gcMinutes[^1].OpenTime + 60, _gcMinutes[^1].Close, _gcMinutes[^1].Close + 1, 90, 25, 55);
        await _store.SaveLiveAsync(Symbol.GC, Timeframe.OneMinute, next, _gcMinutes[^300..].Append(next).ToArray());
        await page.WaitForChartAsync($"c.bars === 301 && c.flow === true && c.cumDelta === -30", "the cumulative delta from the first candle with flow");
        Assert.Equal(["candles", "cumDelta", "volume"], await page.PaneNamesAsync());
        var cumulative = await page.CumulativeDeltaAsync();
        Assert.Equal(301, cumulative.Length);
        Assert.All(cumulative[..300], p => Assert.Equal(0, p.Value));
        Assert.Equal((next.OpenTime, -30.0), cumulative[^1]);
        Assert.Equal("#ef5350", (await page.VolumeColorsAsync())[^1]);
        Assert.True(await page.Page.IsVisibleAsync("#cum-delta"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task LiveFeed_ReconnectDelays_AreJitteredAndGrowExponentially()
    {
        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(_server.BaseUri, "/"));

        var delays = await page.Page.EvaluateAsync<int[][]>("""
            async () => {
              const { retryDelay } = await import('/js/live-feed.js');
              return [1, 2, 3, 8].map(failures => Array.from({ length: 200 }, () => retryDelay(failures)));
            }
            """);

        int[] ceilings = [2_000, 4_000, 8_000, 30_000];
        for (var i = 0; i < ceilings.Length; i++)
        {
            Assert.All(delays[i], d => Assert.InRange(d, 250, ceilings[i]));
            Assert.True(delays[i].Distinct().Count() > 100, $"attempt {i}: 200 pages would not reconnect at one moment");
        }

        Assert.True(delays[3].Max() > 8_000, "the ceiling grows with the failures");
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

    /// <summary>A number as JavaScript prints it (shortest round-trip form).</summary>
    private static string Js(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number as the page's legend shows it (en-US, sign except for zero).</summary>
    private static string Signed(double value) => value.ToString("+#,0.##;-#,0.##;0", CultureInfo.InvariantCulture);
}
