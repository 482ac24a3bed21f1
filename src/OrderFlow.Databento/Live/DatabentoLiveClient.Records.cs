using System.Runtime.InteropServices;

namespace OrderFlow.Databento;

/// <content>Per-record handling: gateway messages, symbol mappings, and the resume watermarks that drop replayed duplicates.</content>
public sealed partial class DatabentoLiveClient
{
    private const byte SystemCodeReplayCompleted = 3;

    private readonly Dictionary<(byte RType, uint InstrumentId), Watermark> _watermarks = [];
    private readonly ulong[] _lastTsBySubscription;
    private int _pendingReplays;
    private long _duplicates;
    private long _duplicatesThisSession;

    private void OnRecord(in DbnRecordRef record, DatabentoLiveHandler handler)
    {
        switch (record.RType)
        {
            case DbnRType.System:
                OnSystem(in record, handler);
                break;
            case DbnRType.Error:
                record.TryGetGatewayText(out var error);
                var text = ApiKeyMask.Scrub(error.Text, _options.ResolveApiKey());
                Log.GatewayError(_logger, text);
                handler.OnGatewayError(text);
                break;
            case DbnRType.SymbolMapping:
                _symbols.Apply(in record);
                break;
            default:
                _backoff.OnData();   // market data, even a replayed duplicate: the gateway is delivering
                if (!Admit(record.RType, record.InstrumentId, record.TsEvent))
                {
                    Interlocked.Increment(ref _duplicates);
                    _duplicatesThisSession++;
                    return;
                }

                break;
        }

        handler.OnRecord(in record);
    }

    private void OnSystem(in DbnRecordRef record, DatabentoLiveHandler handler)
    {
        record.TryGetGatewayText(out var system);
        var text = system.TextUtf8;
        if (text.StartsWith("Heartbeat"u8))
        {
            return;   // its arrival already reset the heartbeat watchdog
        }

        var replayDone = system.Code == SystemCodeReplayCompleted
            || (system.Code is null or 0 && text.IndexOf("replay"u8) >= 0 && (text.StartsWith("Finished"u8) || text.IndexOf("omplete"u8) >= 0));
        Log.GatewaySystem(_logger, system.Text);
        if (replayDone && _pendingReplays > 0 && --_pendingReplays == 0)
        {
            SetState(handler, DatabentoLiveState.Streaming, 0, null);
        }
    }

    /// <summary>
    /// Whether a data record is new: outside a resume every record is; in a resume, a record before the instrument's
    /// last delivered <c>ts_event</c>, or one of the records at it already delivered, is a replayed duplicate.
    /// </summary>
    private bool Admit(byte rtype, uint instrumentId, ulong tsEvent)
    {
        if (tsEvent == DbnConstants.UndefTimestamp)
        {
            return true;
        }

        ref var w = ref CollectionsMarshal.GetValueRefOrAddDefault(_watermarks, (rtype, instrumentId), out _);
        if (w.Resuming)
        {
            if (tsEvent < w.TsEvent)
            {
                return false;
            }

            if (tsEvent == w.TsEvent && w.SkipAtTs > 0)
            {
                w.SkipAtTs--;
                return false;
            }

            w.Resuming = false;
        }

        if (tsEvent > w.TsEvent)
        {
            w.TsEvent = tsEvent;
            w.CountAtTs = 1;
        }
        else if (tsEvent == w.TsEvent)
        {
            w.CountAtTs++;
        }

        var subscriptions = _options.Subscriptions;
        for (var i = 0; i < _lastTsBySubscription.Length; i++)
        {
            if (tsEvent > _lastTsBySubscription[i] && LiveProtocol.RTypeBelongsTo(rtype, subscriptions[i].Schema))
            {
                _lastTsBySubscription[i] = tsEvent;
            }
        }

        return true;
    }

    /// <summary>
    /// The <c>start=</c> of each subscription: on a resume, the last <c>ts_event</c> delivered for its schema
    /// (inclusive), and every watermark switches to dropping the replay's duplicates; else the configured start. A
    /// subscription that delivered nothing before the drop resumes from its configured start or, without one, from
    /// when the first session started (at most 23 hours back: the gateway replays the last 24), so a record sent
    /// during the outage is never lost.
    /// </summary>
    private ulong?[] PrepareStarts(bool resumed)
    {
        var now = _time.GetUtcNow();
        if (!resumed)
        {
            _firstSessionStartNs = ToNanos(now);
        }

        var starts = new ulong?[_options.Subscriptions.Count];
        for (var i = 0; i < starts.Length; i++)
        {
            var configured = _options.Subscriptions[i].Start is { } start ? ToNanos(start) : (ulong?)null;
            starts[i] = !resumed ? configured
                : _lastTsBySubscription[i] > 0 ? _lastTsBySubscription[i]
                : Math.Max(configured ?? _firstSessionStartNs, ToNanos(now - TimeSpan.FromHours(23)));
        }

        if (resumed)
        {
            foreach (var key in _watermarks.Keys.ToArray())
            {
                ref var w = ref CollectionsMarshal.GetValueRefOrNullRef(_watermarks, key);
                w.Resuming = true;
                w.SkipAtTs = w.CountAtTs;
            }
        }

        return starts;
    }

    private static ulong ToNanos(DateTimeOffset time) =>
        (ulong)(time.ToUnixTimeMilliseconds() * 1_000_000L) + ((ulong)(time.Ticks % TimeSpan.TicksPerMillisecond) * 100UL);

    private struct Watermark
    {
        public ulong TsEvent;
        public int CountAtTs;
        public int SkipAtTs;
        public bool Resuming;
    }
}
