using Microsoft.Extensions.Options;
using OrderFlow.Candles;
using OrderFlow.ChartServer.Hosting;

namespace OrderFlow.ChartServer.Api;

/// <summary>
/// Turns the symbol and timeframe of a request (route values or query) into a <see cref="SeriesKey"/>, with the same
/// <c>TryParse</c> as the rest of OrderFlow plus the server's list of symbols. A raw string is never forwarded.
/// </summary>
internal sealed class SeriesParser
{
    /// <summary>The longest value echoed back in a problem message; longer input is cut.</summary>
    private const int MaxEcho = 32;

    private readonly IReadOnlySet<Symbol> _symbols;
    private readonly string _symbolList;

    public SeriesParser(IOptions<ChartServerOptions> options)
    {
        _symbols = options.Value.AllowedSymbols();
        _symbolList = string.Join(", ", _symbols.Order().Select(s => s.Value));
    }

    public IReadOnlySet<Symbol> Symbols => _symbols;

    /// <summary>Parses a symbol and timeframe; on failure returns a 400 problem naming the bad value.</summary>
    public bool TryParseSeries(string? symbolText, string? timeframeText, out SeriesKey key, out IResult? problem)
    {
        key = default;
        if (!Symbol.TryParse(symbolText, out var symbol) || !_symbols.Contains(symbol))
        {
            problem = BadRequest("Unknown symbol", $"Unknown symbol '{Echo(symbolText)}'. Expected one of: {_symbolList}.", "symbol", symbolText);
            return false;
        }

        if (!Timeframe.TryParse(timeframeText, out var timeframe))
        {
            problem = BadRequest("Unknown timeframe", $"Unknown timeframe '{Echo(timeframeText)}'. Expected one of: {string.Join(", ", Timeframe.All)}.", "timeframe", timeframeText);
            return false;
        }

        key = new SeriesKey(symbol, timeframe);
        problem = null;
        return true;
    }

    private static IResult BadRequest(string title, string detail, string parameter, string? value) =>
        Results.Problem(
            title: title,
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter, ["value"] = Echo(value) });

    /// <summary>The value as it may be shown back: missing values say so, long ones are cut, control characters dropped.</summary>
    internal static string Echo(string? value)
    {
        if (value is null)
        {
            return "(missing)";
        }

        var cut = value.Length > MaxEcho ? value[..MaxEcho] + "…" : value;
        return string.Create(cut.Length, cut, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }
}
