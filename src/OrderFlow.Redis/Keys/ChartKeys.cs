using System.Collections.Concurrent;
using OrderFlow.Candles;
using StackExchange.Redis;

namespace OrderFlow.Redis.Keys;

/// <summary>
/// The one place where the seed's keys are built: <c>{prefix}chart:{symbol}:{tf}:1year</c>,
/// <c>{prefix}live:{symbol}:{tf}:current</c>, <c>{prefix}live:{symbol}:{tf}:buffer</c> and the update channel
/// <c>{prefix}live:{symbol}:{tf}:updates</c>. Built from validated <see cref="Symbol"/> and <see cref="Timeframe"/>
/// values only, once per pair, and cached.
/// </summary>
internal sealed class ChartKeys
{
    private readonly ConcurrentDictionary<(Symbol, Timeframe), ChartKeySet> _cache = new();
    private readonly Func<(Symbol, Timeframe), ChartKeySet> _create;

    public ChartKeys(string? prefix)
    {
        Prefix = prefix ?? string.Empty;
        _create = pair => Build(Prefix, pair.Item1, pair.Item2);
    }

    public string Prefix { get; }

    public ChartKeySet Get(Symbol symbol, Timeframe timeframe)
    {
        if (symbol.IsEmpty)
        {
            throw new ArgumentException("The symbol is empty (default(Symbol)); parse or use Symbol.GC etc.", nameof(symbol));
        }

        return _cache.GetOrAdd((symbol, timeframe), _create);
    }

    private static ChartKeySet Build(string prefix, Symbol symbol, Timeframe timeframe)
    {
        var s = symbol.Value;
        var tf = timeframe.Name;
        var chart = $"{prefix}chart:{s}:{tf}:1year";
        var current = $"{prefix}live:{s}:{tf}:current";
        var buffer = $"{prefix}live:{s}:{tf}:buffer";
        var channel = $"{prefix}live:{s}:{tf}:updates";
        return new ChartKeySet(symbol, timeframe, chart, current, buffer, channel);
    }
}

/// <summary>The keys and channel of one symbol and timeframe, as strings and as cached Redis values.</summary>
internal sealed class ChartKeySet
{
    public ChartKeySet(Symbol symbol, Timeframe timeframe, string chart, string current, string buffer, string channel)
    {
        Symbol = symbol;
        Timeframe = timeframe;
        Chart = chart;
        Current = current;
        Buffer = buffer;
        Channel = channel;
        ChartKey = chart;
        CurrentKey = current;
        BufferKey = buffer;
        RedisChannel = RedisChannel.Literal(channel);
    }

    public Symbol Symbol { get; }

    public Timeframe Timeframe { get; }

    public string Chart { get; }

    public string Current { get; }

    public string Buffer { get; }

    public string Channel { get; }

    public RedisKey ChartKey { get; }

    public RedisKey CurrentKey { get; }

    public RedisKey BufferKey { get; }

    public RedisChannel RedisChannel { get; }
}
