using System.Diagnostics.Metrics;
using OrderFlow.ChartServer.Api;

namespace OrderFlow.ChartServer.Hosting;

/// <summary>
/// The chart server's meter, <c>OrderFlow.ChartServer</c>: <c>orderflow.chartserver.ws.clients</c> (connected
/// WebSocket clients), <c>orderflow.chartserver.ws.series</c> (active store subscriptions),
/// <c>orderflow.chartserver.ws.messages</c> (messages queued to clients) and <c>orderflow.chartserver.ws.dropped</c>
/// (slow clients dropped, tag <c>reason</c>), <c>orderflow.chartserver.limited</c> (requests refused by a limit, tag
/// <c>limit</c>) and <c>orderflow.chartserver.chart.corrupt</c> (chart requests answered 502 because the stored chart is corrupt, tag <c>reason</c>). Tags carry only validated symbols and timeframes.
/// </summary>
internal sealed class ChartServerMetrics
{
    public const string MeterName = "OrderFlow.ChartServer";

    private readonly UpDownCounter<int> _clients;
    private readonly UpDownCounter<int> _series;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _limited;
    private readonly Counter<long> _corrupt;

    public ChartServerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _clients = meter.CreateUpDownCounter<int>("orderflow.chartserver.ws.clients", "{client}", "WebSocket clients connected.");
        _series = meter.CreateUpDownCounter<int>("orderflow.chartserver.ws.series", "{series}", "Series with an active store subscription.");
        _messages = meter.CreateCounter<long>("orderflow.chartserver.ws.messages", "{message}", "Live messages queued to WebSocket clients.");
        _dropped = meter.CreateCounter<long>("orderflow.chartserver.ws.dropped", "{client}", "WebSocket clients dropped as slow.");
        _limited = meter.CreateCounter<long>("orderflow.chartserver.limited", "{request}", "Requests refused by a per-client or server-wide limit.");
        _corrupt = meter.CreateCounter<long>("orderflow.chartserver.chart.corrupt", "{response}", "Chart requests answered 502 because the stored chart is corrupt.");
    }

    public void ClientConnected(int delta) => _clients.Add(delta);

    public void SeriesSubscribed(int delta) => _series.Add(delta);

    public void Fanout(SeriesKey key, int clients)
    {
        if (clients > 0 && _messages.Enabled)
        {
            _messages.Add(clients, new KeyValuePair<string, object?>("symbol", key.Symbol.Value), new KeyValuePair<string, object?>("timeframe", key.Timeframe.Name));
        }
    }

    /// <summary>Counts a request refused by a limit: <c>api-rate</c>, <c>ws-per-address</c> or <c>ws-total</c>.</summary>
    public void Limited(string limit) => _limited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>Counts a chart request answered 502 as corrupt: <c>reason</c> is <c>shape</c>, <c>unsorted</c> or <c>invalid</c>.</summary>
    public void ChartCorrupt(SeriesKey key, string reason) =>
        _corrupt.Add(1, new KeyValuePair<string, object?>("symbol", key.Symbol.Value), new KeyValuePair<string, object?>("timeframe", key.Timeframe.Name), new KeyValuePair<string, object?>("reason", reason));

    public void ClientDropped(SeriesKey key, string reason) =>
        _dropped.Add(1, new KeyValuePair<string, object?>("symbol", key.Symbol.Value), new KeyValuePair<string, object?>("timeframe", key.Timeframe.Name), new KeyValuePair<string, object?>("reason", reason));
}
