namespace OrderFlow.ChartServer.Api;

/// <summary>
/// A 200 answer of <c>/api/chart</c>: a cached compressed body, or the uncompressed JSON written in three pieces
/// (envelope, stored bytes, envelope) so the 100,000-candle value is never copied into one more array.
/// </summary>
internal sealed class ChartBodyResult(ChartPayload payload, string? encoding) : IResult
{
    private const string ContentType = "application/json";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = ContentType;
        var ct = httpContext.RequestAborted;
        if (encoding is null)
        {
            response.ContentLength = payload.Length;
            await payload.WriteJsonAsync(response.Body, ct);
            return;
        }

        var body = encoding == "br" ? payload.Brotli : payload.Gzip;
        response.Headers.ContentEncoding = encoding;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, ct);
    }
}
