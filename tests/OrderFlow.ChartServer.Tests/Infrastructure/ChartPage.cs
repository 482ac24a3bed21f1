using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace OrderFlow.ChartServer.Tests.Infrastructure;

/// <summary>
/// A browser page on the chart server that records console errors, page errors, CSP violations and the bytes of
/// every response and WebSocket frame it receives (to search them for secrets).
/// </summary>
internal sealed class ChartPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<Task> _captures = new();
    private readonly ConcurrentQueue<(string Url, byte[] Body)> _received = new();

    private ChartPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // A 404 is the API saying "no data for this series": the page shows its message; any other failure counts.
            if (message.Type is "error" or "warning" && !message.Text.Contains("the server responded with a status of 404", StringComparison.Ordinal))
            {
                _errors.Enqueue($"console.{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
        page.Response += (_, response) => _captures.Enqueue(CaptureAsync(response));
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
            _received.Enqueue((socket.Url, frame.Binary ?? Encoding.UTF8.GetBytes(frame.Text ?? string.Empty)));
    }

    public IPage Page { get; }

    /// <summary>Console errors and warnings, uncaught exceptions and CSP violations seen so far.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    public static async Task<ChartPage> OpenAsync(IBrowser browser, Uri url, Func<IBrowserContext, Task>? beforeNavigation = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 760 } });
        if (beforeNavigation is not null)
        {
            await beforeNavigation(context);
        }

        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var chartPage = new ChartPage(context, page);
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));");
        await page.GotoAsync(url.ToString());
        return chartPage;
    }

    /// <summary>The page's chart state (window.__chart).</summary>
    public async Task<JsonElement> StateAsync() => await Page.EvaluateAsync<JsonElement>("() => window.__chart ?? null");

    /// <summary>Waits until a JavaScript predicate over <c>c</c> (window.__chart) holds, 20 s unless told otherwise.</summary>
    public async Task WaitForChartAsync(string predicate, string what, TimeSpan? timeout = null)
    {
        try
        {
            var options = new PageWaitForFunctionOptions { Timeout = (float)(timeout ?? TimeSpan.FromSeconds(20)).TotalMilliseconds, PollingInterval = 50 };
            await Page.WaitForFunctionAsync($"() => {{ const c = window.__chart; return !!c && ({predicate}); }}", null, options);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out waiting for {what} ({predicate}); chart state: {await StateAsync()}; errors: {string.Join(" | ", _errors)}", ex);
        }
    }

    /// <summary>
    /// Waits until the chart's canvases hold more than <paramref name="atLeast"/> pixels in the candle colours (the chart
    /// paints on the next animation frame after its data changes, so the count is polled), and returns the count.
    /// </summary>
    public async Task<int> WaitForCandlePixelsAsync(int atLeast = 500, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            var pixels = await CandlePixelsAsync();
            if (pixels > atLeast || Environment.TickCount64 > deadline)
            {
                return pixels;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Pixels of the chart's canvases in the candle colours: more than a few hundred means candles are drawn.</summary>
    public Task<int> CandlePixelsAsync() => Page.EvaluateAsync<int>("""
        () => {
          const near = (d, i, r, g, b) => Math.abs(d[i] - r) < 16 && Math.abs(d[i + 1] - g) < 16 && Math.abs(d[i + 2] - b) < 16;
          let count = 0;
          for (const canvas of document.querySelectorAll('#chart canvas')) {
            if (!canvas.width || !canvas.height) continue;
            const context = canvas.getContext('2d');
            if (!context) continue;
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 4) {
              if (near(data, i, 0x26, 0xa6, 0x9a) || near(data, i, 0xef, 0x53, 0x50)) count++;
            }
          }
          return count;
        }
        """);

    /// <summary>The panes of the chart, top to bottom, by what they hold: "candles", "cumDelta", "volume".</summary>
    public async Task<string[]> PaneNamesAsync() => await Page.EvaluateAsync<string[]>("() => window.__chartData.panes().map(p => p.name)");

    /// <summary>The cumulative-delta line's data as drawn (time, value), empty when the line is not shown.</summary>
    public async Task<(long Time, double Value)[]> CumulativeDeltaAsync()
    {
        var points = await Page.EvaluateAsync<JsonElement>("() => window.__chartData.cumDelta()");
        return points.EnumerateArray().Select(p => (p.GetProperty("time").GetInt64(), p.GetProperty("value").GetDouble())).ToArray();
    }

    /// <summary>The volume histogram's bar colours as drawn, in time order.</summary>
    public async Task<string[]> VolumeColorsAsync() => await Page.EvaluateAsync<string[]>("() => window.__chartData.volume().map(p => p.color)");

    /// <summary>
    /// Polls <see cref="PanePixelsAsync"/> (the chart paints on the next animation frame) until <paramref name="done"/>
    /// holds or the timeout passes, and returns the last count.
    /// </summary>
    public async Task<PanePixels> WaitForPanePixelsAsync(string pane, long leftOf, long rightOf, Func<PanePixels, bool> done, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            var pixels = await PanePixelsAsync(pane, leftOf, rightOf);
            if (done(pixels) || Environment.TickCount64 > deadline)
            {
                return pixels;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Counts the pixels of one pane's canvases (found by the pane's rectangle from window.__chartData.panes()) in the
    /// green (#26a69a), red (#ef5350) and grey (#787b86) of the flow volume bars, split at the x halfway between the
    /// bars of <paramref name="leftOf"/> and <paramref name="rightOf"/>; Ink counts every pixel that is neither the
    /// background nor the grid.
    /// </summary>
    public async Task<PanePixels> PanePixelsAsync(string pane, long leftOf, long rightOf)
    {
        var result = await Page.EvaluateAsync<JsonElement>(
            """
            ([name, leftOf, rightOf]) => {
              const data = window.__chartData;
              const pane = data.panes().find(p => p.name === name);
              const counts = { found: !!pane, greenLeft: 0, greenRight: 0, redLeft: 0, redRight: 0, grey: 0, ink: 0 };
              if (!pane) return counts;
              const a = data.x(leftOf), b = data.x(rightOf);
              const split = a === null || b === null ? Infinity : (a + b) / 2;
              const near = (d, i, r, g, bl) => Math.abs(d[i] - r) < 16 && Math.abs(d[i + 1] - g) < 16 && Math.abs(d[i + 2] - bl) < 16;
              for (const canvas of document.querySelectorAll('#chart canvas')) {
                const box = canvas.getBoundingClientRect();
                if (!canvas.width || !canvas.height || box.width < 1) continue;
                if (box.left < pane.left - 1 || box.right > pane.right + 1 || box.top < pane.top - 1 || box.bottom > pane.bottom + 1) continue;
                const context = canvas.getContext('2d');
                if (!context) continue;
                const scale = canvas.width / box.width;
                const d = context.getImageData(0, 0, canvas.width, canvas.height).data;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] === 0 || near(d, i, 0x0f, 0x11, 0x15) || near(d, i, 0x1c, 0x21, 0x2b)) continue;
                  counts.ink++;
                  const left = ((i / 4) % canvas.width) / scale + (box.left - pane.left) < split;
                  if (near(d, i, 0x26, 0xa6, 0x9a)) left ? counts.greenLeft++ : counts.greenRight++;
                  else if (near(d, i, 0xef, 0x53, 0x50)) left ? counts.redLeft++ : counts.redRight++;
                  else if (near(d, i, 0x78, 0x7b, 0x86)) counts.grey++;
                }
              }
              return counts;
            }
            """,
            new object[] { pane, leftOf, rightOf });
        return new PanePixels(
            result.GetProperty("found").GetBoolean(),
            result.GetProperty("greenLeft").GetInt32(),
            result.GetProperty("greenRight").GetInt32(),
            result.GetProperty("redLeft").GetInt32(),
            result.GetProperty("redRight").GetInt32(),
            result.GetProperty("grey").GetInt32(),
            result.GetProperty("ink").GetInt32());
    }

    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
    }

    /// <summary>Every response body and WebSocket frame received so far, with the page source.</summary>
    public async Task<IReadOnlyList<(string Url, byte[] Body)>> ReceivedAsync()
    {
        while (_captures.TryDequeue(out var capture))
        {
            await capture;
        }

        var all = _received.ToList();
        all.Add(("page source", Encoding.UTF8.GetBytes(await Page.ContentAsync())));
        return all;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private async Task CaptureAsync(IResponse response)
    {
        try
        {
            var headers = string.Join("\n", (await response.AllHeadersAsync()).Select(h => $"{h.Key}: {h.Value}"));
            _received.Enqueue((response.Url + " (headers)", Encoding.UTF8.GetBytes(headers)));
            if (response.Status is >= 200 and < 300 and not 204)
            {
                _received.Enqueue((response.Url, await response.BodyAsync()));
            }
        }
        catch (PlaywrightException)
        {
            // The page navigated away or the body is gone (a 101 upgrade has none).
        }
    }
}

/// <summary>Pixel counts of one pane (see <see cref="ChartPage.PanePixelsAsync"/>).</summary>
internal sealed record PanePixels(bool Found, int GreenLeft, int GreenRight, int RedLeft, int RedRight, int Grey, int Ink);
