using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;
using OrderFlow.ChartServer.Hosting;
using OrderFlow.Redis;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// The JSON API the pages use instead of Redis: <c>GET /api/chart/{symbol}/{tf}</c> (the 1-year series as stored,
/// unparsed, in an envelope, with an ETag from the store's version and bodies compressed once per version) and <c>GET /api/live/{symbol}/{tf}</c> (the current candle and the live buffer).
/// </summary>
internal static class ChartApi
{
    public static IEndpointRouteBuilder MapChartApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireRateLimiting(ApiRateLimit.PolicyName);
        api.MapMethods("/chart/{symbol}/{tf}", [HttpMethods.Get, HttpMethods.Head], GetChartAsync);
        api.MapMethods("/live/{symbol}/{tf}", [HttpMethods.Get, HttpMethods.Head], GetLiveAsync);
        return endpoints;
    }

    private static async Task<IResult> GetChartAsync(string symbol, string tf, HttpContext context, SeriesParser parser, ChartResponseCache cache, ChartServerMetrics metrics)
    {
        if (!parser.TryParseSeries(symbol, tf, out var key, out var problem))
        {
            return problem!;
        }

        ChartPayload? payload;
        try
        {
            payload = await cache.GetAsync(key, context.RequestAborted);
        }
        catch (ChartCorruptException corrupt)
        {
            metrics.ChartCorrupt(key, corrupt.Reason);
            return Results.Problem(
                title: "Corrupt chart",
                detail: $"The stored 1-year chart for {key.Symbol} {key.Timeframe} cannot be drawn ({corrupt.Reason}); it is served again once the sync worker rewrites it.",
                statusCode: StatusCodes.Status502BadGateway,
                extensions: new Dictionary<string, object?> { ["symbol"] = key.Symbol.Value, ["timeframe"] = key.Timeframe.Name, ["reason"] = corrupt.Reason });
        }

        if (payload is null)
        {
            return NotFound(key, "chart");
        }

        var response = context.Response;
        response.Headers.ETag = payload.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (IfNoneMatch(context.Request.GetTypedHeaders(), payload.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return new ChartBodyResult(payload, ChooseEncoding(context.Request));
    }

    private static async Task<IResult> GetLiveAsync(string symbol, string tf, HttpContext context, SeriesParser parser, LiveResponseCache cache)
    {
        if (!parser.TryParseSeries(symbol, tf, out var key, out var problem))
        {
            return problem!;
        }

        if (await cache.GetAsync(key, context.RequestAborted) is not { } live)
        {
            return NotFound(key, "live");
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(live, "application/json");
    }

    private static IResult NotFound(SeriesKey key, string what) =>
        Results.Problem(
            title: "No data",
            detail: what == "chart"
                ? $"The store has no 1-year chart for {key.Symbol} {key.Timeframe} (chart:{key.Symbol}:{key.Timeframe}:1year is missing or expired)."
                : $"The store has no live data for {key.Symbol} {key.Timeframe} (live:{key.Symbol}:{key.Timeframe}:current and :buffer are missing or expired).",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["symbol"] = key.Symbol.Value, ["timeframe"] = key.Timeframe.Name });

    private static bool IfNoneMatch(RequestHeaders headers, string etag)
    {
        var tags = headers.IfNoneMatch;
        if (tags is null || tags.Count == 0)
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(etag);
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Brotli, then gzip, when the client accepts them (quality 0 means "not acceptable"); null for identity.</summary>
    private static string? ChooseEncoding(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        bool Accepts(string coding) => accepted.Any(v =>
            (v.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) || v.Value.Equals("*", StringComparison.Ordinal)) && v.Quality is not 0);

        if (Accepts("br"))
        {
            return "br";
        }

        return Accepts("gzip") ? "gzip" : null;
    }
}
