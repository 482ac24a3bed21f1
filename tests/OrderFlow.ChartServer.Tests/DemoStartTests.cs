using System.Diagnostics;
using OrderFlow.ChartServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderFlow.ChartServer.Tests;

/// <summary>
/// What a newcomer waits for: from starting the demo (nothing configured) to the first live candle drawn on the live
/// page in headless Chromium. Measured and reported (test output, <c>// DEMO-START</c>), never asserted as a duration.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class DemoStartTests(BrowserFixture browser, ITestOutputHelper output)
{
    // The demo builds a year of 30 series before live merging starts: seconds on a quiet machine, minutes on a loaded one.
    private static readonly TimeSpan DemoFirstLive = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task DemoStart_ToTheFirstLiveCandleOnThePage_IsMeasured()
    {
        var watch = Stopwatch.StartNew();
        await using var server = await ChartServerHost.StartAsync(null, "--ChartServer:Demo=true");
        var started = watch.Elapsed;

        await using var page = await ChartPage.OpenAsync(browser.Browser, new Uri(server.BaseUri, "/live.html?symbol=GC&tf=1m"));
        await page.WaitForChartAsync("c.series === 'GC 1m' && c.status === 'live' && c.bars > 0 && c.updates >= 1", "the first live GC 1m candle on the page", DemoFirstLive);
        var firstCandle = watch.Elapsed;
        Assert.True(await page.WaitForCandlePixelsAsync() > 500, "the canvas shows candles");
        Assert.Empty(page.Errors);

        output.WriteLine($"// DEMO-START host started in {started.TotalMilliseconds:0} ms; first live candle on the page after {firstCandle.TotalMilliseconds:0} ms");
    }
}
