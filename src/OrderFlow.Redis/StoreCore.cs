using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Candles;
using OrderFlow.Candles.Book;
using OrderFlow.Candles.Serialization;
using OrderFlow.Redis.Diagnostics;
using OrderFlow.Redis.InPlace;
using OrderFlow.Redis.Keys;
using OrderFlow.Redis.Serialization;

namespace OrderFlow.Redis;

/// <summary>What both stores share: keys, serialisation, the unchanged-chart check, diagnostics.</summary>
internal sealed class StoreCore : IDisposable
{
    // Last hash written whole per chart key: an unchanged chart (the hourly full sync) is not sent again.
    private readonly ConcurrentDictionary<string, UInt128> _chartHashes = new(StringComparer.Ordinal);

    // What this store last wrote to each array key, for writing only what changed. Taken out for the duration of a
    // write, so an overlapping write of the same key finds none and writes the value whole.
    private readonly ConcurrentDictionary<string, StoredArray> _layouts = new(StringComparer.Ordinal);

    public StoreCore(ChartStoreOptions options, bool requireConfiguration, ILogger? logger, IMeterFactory? meterFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ChartStoreOptionsValidator.ThrowIfInvalid(options, requireConfiguration);
        Options = options;
        Keys = new ChartKeys(options.KeyPrefix);
        Logger = logger ?? NullLogger.Instance;
        Metrics = new RedisMetrics(meterFactory);
        Time = timeProvider ?? TimeProvider.System;
    }

    public ChartStoreOptions Options { get; }

    public ChartKeys Keys { get; }

    public ILogger Logger { get; }

    public RedisMetrics Metrics { get; }

    public TimeProvider Time { get; }

    public static UInt128 Hash(ReadOnlySpan<byte> bytes) => XxHash128.HashToUInt128(bytes);

    public static PooledBufferWriter SerializeArray(ReadOnlySpan<Candle> candles)
    {
        var buffer = new PooledBufferWriter(Math.Max(256, candles.Length * 96 + 2));
        CandleJsonWriter.WriteArray(buffer, candles);
        return buffer;
    }

    /// <summary>An array value as stored: the candles' JSON array followed by <paramref name="stamp"/>.</summary>
    public static PooledBufferWriter SerializeValue(ReadOnlySpan<Candle> candles, ulong stamp)
    {
        var buffer = SerializeArray(candles);
        WriteStamp.Write(stamp, buffer.GetSpan(WriteStamp.Length));
        buffer.Advance(WriteStamp.Length);
        return buffer;
    }

    /// <summary>The hash of an array value's candles, without its stamp: equal for equal candles.</summary>
    public static UInt128 HashContent(ReadOnlySpan<byte> value) => Hash(value[..^WriteStamp.Length]);

    public static PooledBufferWriter SerializeObject(in Candle candle)
    {
        var buffer = new PooledBufferWriter(256);
        CandleJsonWriter.WriteObject(buffer, candle);
        return buffer;
    }

    public ReadOnlyMemory<Candle> CapBuffer(ReadOnlyMemory<Candle> buffer) =>
        buffer.Length > Options.BufferSize ? buffer[^Options.BufferSize..] : buffer;

    public bool IsUnchanged(string key, UInt128 hash) => _chartHashes.TryGetValue(key, out var last) && last == hash;

    public bool HasWritten(string key) => _chartHashes.ContainsKey(key) || _layouts.ContainsKey(key);

    /// <summary>The layout of what this store last wrote to a key, when it knows it.</summary>
    public bool TryGetLayout(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredArray? layout) => _layouts.TryGetValue(key, out layout);

    /// <summary>A value was written whole: its content hash and layout.</summary>
    public void RememberWhole(string key, UInt128 hash, ReadOnlySpan<byte> value, ulong stamp)
    {
        _chartHashes[key] = hash;
        _layouts[key] = StoredArray.Describe(value, stamp);
    }

    /// <summary>Forgets what was written to a key: its next write is whole.</summary>
    public void Forget(string key)
    {
        _chartHashes.TryRemove(key, out _);
        _layouts.TryRemove(key, out _);
    }

    /// <summary>
    /// Plans an in-place write of a chart's changes (see <see cref="StoredArray.Plan"/>), taking the key's layout out
    /// of the table; null (and the key forgotten) when it must be written whole.
    /// </summary>
    public ArrayEdit? PlanChart(string key, ChartChanges changes, ReadOnlySpan<Candle> tail)
    {
        if (changes.IsReset || !_layouts.TryRemove(key, out var layout))
        {
            Forget(key);
            return null;
        }

        return Plan(key, layout, changes, tail);
    }

    /// <summary>
    /// Plans the write of a live buffer from the candles last written to it: an in-place edit; nothing
    /// (<paramref name="skip"/>) when only its newest candle changed within <see cref="ChartStoreOptions.BufferRefreshInterval"/>;
    /// or null (and the key forgotten) when it must be written whole.
    /// </summary>
    public ArrayEdit? PlanBuffer(string key, ReadOnlySpan<Candle> buffer, out bool skip)
    {
        skip = false;
        if (!_layouts.TryRemove(key, out var layout) || layout.Candles.IsEmpty)
        {
            Forget(key);
            return null;
        }

        var changes = ChartChanges.Between(layout.Candles, buffer);
        if (changes.IsReset)
        {
            Forget(key);
            return null;
        }

        var onlyNewest = changes.Dropped == 0 && buffer.Length == layout.Candles.Length && changes.FirstChanged >= buffer.Length - 1;
        if (onlyNewest && Time.GetElapsedTime(layout.WrittenAt) < Options.BufferRefreshInterval)
        {
            _layouts[key] = layout;
            skip = true;
            return null;
        }

        return Plan(key, layout, changes, buffer[changes.FirstChanged..]);
    }

    /// <summary>
    /// The planned edit was applied: the layout describes the new value (for a live buffer, with the candles it now
    /// holds). A chart's content hash is unknown after an edit, so its next whole write is never skipped as unchanged.
    /// </summary>
    public void Applied(string key, ArrayEdit edit, ReadOnlySpan<Candle> buffer = default)
    {
        edit.Commit();
        edit.Layout.RememberCandles(buffer);
        edit.Layout.WrittenAt = Time.GetTimestamp();
        _chartHashes.TryRemove(key, out _);
        _layouts[key] = edit.Layout;
    }

    /// <summary>A live buffer was written whole: its layout and candles.</summary>
    public void RememberWholeBuffer(string key, ReadOnlySpan<byte> value, ulong stamp, ReadOnlySpan<Candle> buffer)
    {
        var layout = StoredArray.Describe(value, stamp);
        layout.RememberCandles(buffer);
        layout.WrittenAt = Time.GetTimestamp();
        _layouts[key] = layout;
    }

    private ArrayEdit? Plan(string key, StoredArray layout, ChartChanges changes, ReadOnlySpan<Candle> tail)
    {
        using var elements = SerializeArray(tail);
        var edit = layout.Plan(changes.Dropped, changes.FirstChanged, elements.WrittenSpan[1..^1], WriteStamp.Next());
        if (edit is null)
        {
            Forget(key);
        }

        return edit;
    }

    public Candle[]? DecodeArray(string key, ReadOnlySpan<byte> json)
    {
        var candles = CandleJsonReader.ReadArray(json, out var rejected);
        if (candles is null)
        {
            Metrics.Rejected.Add(1);
            Log.ValueMalformed(Logger, key);
            return null;
        }

        if (rejected > 0)
        {
            Metrics.Rejected.Add(rejected);
            Log.CandlesRejected(Logger, key, rejected);
        }

        return candles;
    }

    /// <summary>
    /// The stored chart passed on unread, after the cheap check of its brackets; null (logged and counted as
    /// malformed) when the value is not shaped like a JSON array.
    /// </summary>
    public StoredChart? CheckChart(string key, ReadOnlyMemory<byte> json, UInt128 version)
    {
        if (CandleJsonReader.TryGetArrayShape(json.Span, out _))
        {
            return new StoredChart(json, version);
        }

        Metrics.Rejected.Add(1);
        Log.ValueMalformed(Logger, key);
        return null;
    }

    public Candle? DecodeSingle(string key, ReadOnlySpan<byte> json)
    {
        if (CandleJsonReader.TryReadSingle(json, out var candle))
        {
            return candle;
        }

        Metrics.Rejected.Add(1);
        Log.ValueMalformed(Logger, key);
        return null;
    }

    /// <summary>Decodes a published update and calls the handler; nothing escapes into the publisher or the client.</summary>
    public void Dispatch(ChartKeySet keys, ReadOnlySpan<byte> payload, Action<LiveCandleUpdate> handler)
    {
        if (DecodeSingle(keys.Channel, payload) is not { } candle)
        {
            return;
        }

        try
        {
            handler(new LiveCandleUpdate(keys.Symbol, keys.Timeframe, candle));
        }
#pragma warning disable CA1031 // A subscriber's bug must not break the publisher or the Redis client's reader loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Metrics.Error("handler");
            Log.HandlerFailed(Logger, keys.Channel, ex);
        }
    }

    /// <summary>
    /// Checks a published update (one valid candle: a ~100-byte read, no allocation) and hands its bytes on verbatim;
    /// nothing escapes into the publisher or the client.
    /// </summary>
    public void DispatchJson(ChartKeySet keys, ReadOnlyMemory<byte> payload, Action<ReadOnlyMemory<byte>> handler)
    {
        if (DecodeSingle(keys.Channel, payload.Span) is null)
        {
            return;
        }

        try
        {
            handler(payload);
        }
#pragma warning disable CA1031 // A subscriber's bug must not break the publisher or the Redis client's reader loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Metrics.Error("handler");
            Log.HandlerFailed(Logger, keys.Channel, ex);
        }
    }

    public ChartStoreException Fail(string operation, string key, Exception exception)
    {
        Metrics.Error(operation);
        Log.OperationFailed(Logger, operation, key, exception);
        return new ChartStoreException($"Chart store {operation} failed for key '{key}': {exception.GetType().Name}. See the inner exception.", exception);
    }

    public void Dispose() => Metrics.Dispose();
}
