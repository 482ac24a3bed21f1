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

    /// <summary>Waits until a JavaScript predicate over <c>c</c> (window.__chart) holds.</summary>
    public async Task WaitForChartAsync(string predicate, string what)
    {
        try
        {
            await Page.WaitForFunctionAsync($"() => {{ const c = window.__chart; return !!c && ({predicate}); }}", null, new PageWaitForFunctionOptions { Timeout = 20_000, PollingInterval = 50 });
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
