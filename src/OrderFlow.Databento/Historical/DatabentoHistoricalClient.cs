using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace OrderFlow.Databento;

/// <summary>
/// A client of Databento's Historical API: <c>timeseries.get_range</c>, streamed as zstd DBN straight into a
/// <see cref="DbnDecoder"/> — the body is never buffered whole.
/// </summary>
/// <remarks>
/// <para>
/// Authentication is HTTP basic with the API key as the user name and an empty password. An HTTP error becomes a
/// <see cref="DatabentoHttpException"/> carrying Databento's JSON <c>detail</c>; the key never appears in a message or a
/// log line. Thread-safe; share one instance (and its <see cref="HttpClient"/>).
/// </para>
/// <para>
/// Every call has a timeout and a retry policy: the standard resilience handler of Microsoft.Extensions.Http.Resilience
/// (<see cref="DatabentoHistoricalOptions.AttemptTimeout"/>, <see cref="DatabentoHistoricalOptions.TotalRequestTimeout"/>,
/// <see cref="DatabentoHistoricalOptions.MaxRetryAttempts"/>). An own client builds it; a given
/// <see cref="HttpClient"/> brings its own (<c>AddDatabentoMarketData</c> registers one through IHttpClientFactory).
/// </para>
/// <code>
/// using var hist = new DatabentoHistoricalClient(new DatabentoHistoricalOptions());   // key from DATABENTO_API_KEY
/// await using var dbn = await hist.GetRangeAsync("GLBX.MDP3", ["GC.c.0"], DbnSchema.Ohlcv1M, start, end, DbnSType.Continuous);
/// while (await dbn.ReadBatchAsync()) while (dbn.TryRead(out var record)) { … }
/// </code>
/// </remarks>
/// <seealso href="https://databento.com/docs/api-reference-historical/timeseries/timeseries-get-range"/>
public sealed class DatabentoHistoricalClient : IDisposable
{
    private const int MaxErrorBody = 64 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly DatabentoHistoricalOptions _options;
    private readonly ILogger _logger;
    private readonly AuthenticationHeaderValue _auth;
    private readonly string _key;

    /// <summary>Creates a client.</summary>
    /// <param name="options">The options.</param>
    /// <param name="httpClient">The HTTP client to use (not disposed), or <see langword="null"/> for an own one.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">No API key is configured, or a timeout or the retry count is out of range.</exception>
    public DatabentoHistoricalClient(DatabentoHistoricalOptions options, HttpClient? httpClient = null, ILogger<DatabentoHistoricalClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.ResolveApiKey() ?? string.Empty;
        if (string.IsNullOrWhiteSpace(_key))
        {
            throw new ArgumentException($"No Databento API key: set ApiKey or the {DatabentoLiveOptions.ApiKeyEnvironmentVariable} environment variable.", nameof(options));
        }

        var failures = options.Validate(string.Empty);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? CreateResilientClient(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_key + ":")));
    }

    /// <summary>
    /// Requests <c>timeseries.get_range</c> (DBN, zstd) and returns a decoder over the response body as it arrives.
    /// Dispose the decoder to release the connection.
    /// </summary>
    /// <param name="dataset">The dataset, such as <c>GLBX.MDP3</c>.</param>
    /// <param name="symbols">The symbols (<c>GC.c.0</c>, <c>ES.FUT</c>, <c>ESZ4</c>).</param>
    /// <param name="schema">The schema.</param>
    /// <param name="start">The inclusive start.</param>
    /// <param name="end">The exclusive end.</param>
    /// <param name="stypeIn">The symbology of <paramref name="symbols"/>.</param>
    /// <param name="limit">The most records to return, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request (and, through the decoder, the reading of the body).</param>
    /// <returns>The decoder, with <see cref="DbnDecoder.Metadata"/> read.</returns>
    /// <exception cref="DatabentoHttpException">Databento answered with an error status, or not within the timeouts (status 0).</exception>
    /// <exception cref="DbnFormatException">The body is not DBN.</exception>
    public async Task<DbnDecoder> GetRangeAsync(string dataset, IEnumerable<string> symbols, DbnSchema schema, DateTimeOffset start, DateTimeOffset end, DbnSType stypeIn = DbnSType.RawSymbol, long? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataset);
        ArgumentNullException.ThrowIfNull(symbols);
        var symbolList = string.Join(',', symbols);
        ArgumentException.ThrowIfNullOrWhiteSpace(symbolList, nameof(symbols));
        if (end <= start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"end must be after start ({start:o}).");
        }

        // POST with a form body, as Databento's official clients have sent it since 2023 (a long symbol list
        // fits in a body, not always in a URL).
        var form = new List<KeyValuePair<string, string>>(10)
        {
            new("dataset", dataset),
            new("symbols", symbolList),
            new("schema", schema.ToName()),
            new("start", Nanos(start)),
            new("end", Nanos(end)),
            new("stype_in", stypeIn.ToName()),
            new("stype_out", "instrument_id"),
            new("encoding", "dbn"),
            new("compression", "zstd"),
        };
        if (limit is { } l)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l, nameof(limit));
            form.Add(new("limit", l.ToString(CultureInfo.InvariantCulture)));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseAddress, "v0/timeseries.get_range"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = _auth;
        request.Headers.Accept.ParseAdd("application/octet-stream");
        var schemaName = schema.ToName();
        var masked = ApiKeyMask.Mask(_key);
        Log.HistoricalRequest(_logger, schemaName, symbolList, start, end, masked);
        var response = await SendAsync(request, "timeseries.get_range", cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await CreateErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await DbnDecoder.OpenAsync(new ResponseStream(body, response), leaveOpen: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>
    /// An own <see cref="HttpClient"/> behind the standard resilience handler (Microsoft.Extensions.Http.Resilience):
    /// the same timeouts and retries as the one <c>AddDatabentoMarketData</c> registers.
    /// </summary>
    private static HttpClient CreateResilientClient(DatabentoHistoricalOptions options)
    {
        var resilience = new HttpStandardResilienceOptions();
        options.ApplyTo(resilience);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(resilience.TotalRequestTimeout)
            .AddRetry(resilience.Retry)
            .AddTimeout(resilience.AttemptTimeout)
            .Build();
        return new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new SocketsHttpHandler() }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,   // the pipeline's timeouts govern
        };
    }

    private static string Nanos(DateTimeOffset time) =>
        ((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100L).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Requests <c>metadata.get_dataset_range</c>: the range of a dataset the key may query. Historical data ends
    /// some minutes before now, and <c>timeseries.get_range</c> answers 422 for an <c>end</c> after it.
    /// </summary>
    /// <param name="dataset">The dataset, such as <c>GLBX.MDP3</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The inclusive start and exclusive end of the available range.</returns>
    /// <exception cref="DatabentoHttpException">Databento answered with an error status, not within the timeouts (status 0), or with a body that is not a range.</exception>
    public async Task<(DateTimeOffset Start, DateTimeOffset End)> GetDatasetRangeAsync(string dataset, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataset);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.BaseAddress, "v0/metadata.get_dataset_range?dataset=" + Uri.EscapeDataString(dataset)));
        request.Headers.Authorization = _auth;
        using var response = await SendAsync(request, "metadata.get_dataset_range", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await CreateErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var body = await ReadCappedAsync(response, MaxErrorBody, cancellationToken).ConfigureAwait(false);   // a range is ~100 bytes
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return (
                DateTimeOffset.Parse(root.GetProperty("start").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                DateTimeOffset.Parse(root.GetProperty("end").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new DatabentoHttpException($"Databento answered metadata.get_dataset_range for {dataset} with something that is not a range: {(body.Length > 200 ? body[..200] + "…" : body)}")
            {
                StatusCode = (int)response.StatusCode,
                Detail = e.Message,
            };
        }
    }

    private async Task<DatabentoHttpException> CreateErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string text;
        try
        {
            text = await ReadCappedAsync(response, MaxErrorBody, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            text = "(the error body could not be read: " + e.Message + ")";
        }

        var detail = ApiKeyMask.Scrub(ExtractDetail(text), _key);
        return new DatabentoHttpException(string.Create(CultureInfo.InvariantCulture, $"Databento Historical API error {status} ({response.ReasonPhrase}): {detail}"))
        {
            StatusCode = status,
            Detail = detail,
        };
    }

    /// <summary>At most <paramref name="max"/> bytes of a body as UTF-8 text: an answer never decides how much is buffered.</summary>
    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[max];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            return Encoding.UTF8.GetString(buffer, 0, read);
        }
    }

    /// <summary>
    /// Sends through the resilience pipeline, up to the answer's headers; a timeout or an open circuit becomes a
    /// <see cref="DatabentoHttpException"/> with status 0.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string endpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutionRejectedException e)
        {
            var reason = e is Polly.Timeout.TimeoutRejectedException
                ? string.Create(CultureInfo.InvariantCulture, $"no answer within the timeout (attempt {_options.AttemptTimeout}, total {_options.TotalRequestTimeout})")
                : "the circuit is open after repeated failures";
            throw new DatabentoHttpException($"Databento Historical API {endpoint}: {reason}.", e) { Detail = reason };
        }
    }

    /// <summary>Databento's errors are JSON: <c>{"detail": "…"}</c>, or <c>{"detail": {"message": "…", …}}</c>.</summary>
    private static string ExtractDetail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail))
            {
                return detail.ValueKind switch
                {
                    JsonValueKind.String => detail.GetString() ?? string.Empty,
                    JsonValueKind.Object when detail.TryGetProperty("message", out var message) => message.ToString(),
                    _ => detail.GetRawText(),
                };
            }
        }
        catch (JsonException)
        {
            // not JSON: use the text
        }

        return body.Length > 500 ? body[..500] + "…" : body;
    }

    /// <summary>The response body that also disposes its response.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
