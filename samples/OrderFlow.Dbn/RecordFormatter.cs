using System.Globalization;
using OrderFlow.Databento;

namespace OrderFlow.Dbn;

/// <summary>The record kinds the tool formats; each has its own CSV header.</summary>
internal enum RecordKind
{
    Other,
    Ohlcv,
    Trade,
    Mbp1,
    SymbolMapping,
    Error,
    System,
    Definition,
}

/// <summary>
/// Formats records and metadata as Databento's <c>dbn</c> CLI does: JSON lines with the header under <c>hd</c>,
/// 64-bit integers and prices as strings, fields in the CLI's order; CSV with the header flattened.
/// </summary>
internal sealed class RecordFormatter(Utf8Output o, bool prettyPx, bool prettyTs, bool tsOut)
{
    public static RecordKind KindOf(byte rtype) => rtype switch
    {
        DbnRType.Mbp0 => RecordKind.Trade,
        DbnRType.Mbp1 => RecordKind.Mbp1,
        DbnRType.SymbolMapping => RecordKind.SymbolMapping,
        DbnRType.Error => RecordKind.Error,
        DbnRType.System => RecordKind.System,
        DbnRType.InstrumentDef => RecordKind.Definition,
        _ when DbnRType.IsOhlcv(rtype) => RecordKind.Ohlcv,
        _ => RecordKind.Other,
    };

    public void WriteJson(in DbnRecordRef r)
    {
        o.Write((byte)'{');
        switch (KindOf(r.RType))
        {
            case RecordKind.Ohlcv:
                var bar = r.As<OhlcvMsg>();
                Hd(r);
                Px(",\"open\":"u8, bar.Open);
                Px(",\"high\":"u8, bar.High);
                Px(",\"low\":"u8, bar.Low);
                Px(",\"close\":"u8, bar.Close);
                Quoted(",\"volume\":"u8, bar.Volume);
                break;
            case RecordKind.Trade:
                var t = r.As<TradeMsg>();
                Ts("\"ts_recv\":"u8, t.TsRecv);
                o.Write((byte)',');
                Hd(r);
                TradeFields(t.Action, t.Side, t.Depth, t.Price, t.Size, t.Flags, t.TsInDelta, t.Sequence);
                break;
            case RecordKind.Mbp1:
                var m = r.As<Mbp1Msg>();
                Ts("\"ts_recv\":"u8, m.TsRecv);
                o.Write((byte)',');
                Hd(r);
                TradeFields(m.Action, m.Side, m.Depth, m.Price, m.Size, m.Flags, m.TsInDelta, m.Sequence);
                var l = m.Level;
                o.Write(",\"levels\":[{"u8);
                Px("\"bid_px\":"u8, l.BidPx);
                Px(",\"ask_px\":"u8, l.AskPx);
                Num(",\"bid_sz\":"u8, l.BidSz);
                Num(",\"ask_sz\":"u8, l.AskSz);
                Num(",\"bid_ct\":"u8, l.BidCt);
                Num(",\"ask_ct\":"u8, l.AskCt);
                o.Write("}]"u8);
                break;
            case RecordKind.SymbolMapping:
                r.TryGetSymbolMapping(out var map);
                Hd(r);
                if (r.Version >= 2)
                {
                    Num(",\"stype_in\":"u8, r.Bytes[16]);
                }

                Str(",\"stype_in_symbol\":"u8, map.STypeInSymbolUtf8);
                if (r.Version >= 2)
                {
                    Num(",\"stype_out\":"u8, r.Bytes[88]);
                }

                Str(",\"stype_out_symbol\":"u8, map.STypeOutSymbolUtf8);
                Ts(",\"start_ts\":"u8, map.StartTs);
                Ts(",\"end_ts\":"u8, map.EndTs);
                break;
            case RecordKind.Error or RecordKind.System:
                r.TryGetGatewayText(out var text);
                Hd(r);
                Str(text.IsError ? ",\"err\":"u8 : ",\"msg\":"u8, text.TextUtf8);
                if (text.Code is { } code)
                {
                    Num(",\"code\":"u8, code);
                }

                if (text.IsLast is { } last)
                {
                    Num(",\"is_last\":"u8, last ? 1u : 0u);
                }

                break;
            case RecordKind.Definition:
                r.TryGetInstrumentDef(out var d);
                Ts("\"ts_recv\":"u8, d.TsRecv);
                o.Write((byte)',');
                Hd(r);
                Str(",\"raw_symbol\":"u8, d.RawSymbolUtf8);
                Char(",\"security_update_action\":"u8, d.SecurityUpdateAction);
                Char(",\"instrument_class\":"u8, d.InstrumentClass);
                Px(",\"min_price_increment\":"u8, d.MinPriceIncrement);
                Px(",\"display_factor\":"u8, d.DisplayFactor);
                Ts(",\"expiration\":"u8, d.Expiration);
                Ts(",\"activation\":"u8, d.Activation);
                Px(",\"strike_price\":"u8, d.StrikePrice);
                o.Write(",\"min_lot_size_round_lot\":"u8);
                o.Write(d.MinLotSizeRoundLot);
                Num(",\"maturity_year\":"u8, d.MaturityYear);
                Num(",\"maturity_month\":"u8, d.MaturityMonth);
                Str(",\"currency\":"u8, d.Currency);
                Str(",\"group\":"u8, d.Group);
                Str(",\"exchange\":"u8, d.Exchange);
                Str(",\"asset\":"u8, d.Asset);
                Str(",\"security_type\":"u8, d.SecurityType);
                break;
            default:
                Hd(r);
                break;
        }

        if (tsOut && r.TsOut is { } ts)
        {
            Ts(",\"ts_out\":"u8, ts);
        }

        o.Write("}\n"u8);
    }

    public void WriteCsvHeader(RecordKind kind)
    {
        o.Write(kind switch
        {
            RecordKind.Ohlcv => "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume"u8,
            RecordKind.Trade => "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence"u8,
            RecordKind.Mbp1 => "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,bid_ct_00,ask_ct_00"u8,
            RecordKind.SymbolMapping => "ts_event,rtype,publisher_id,instrument_id,stype_in,stype_in_symbol,stype_out,stype_out_symbol,start_ts,end_ts"u8,
            RecordKind.Error => "ts_event,rtype,publisher_id,instrument_id,err,code,is_last"u8,
            RecordKind.System => "ts_event,rtype,publisher_id,instrument_id,msg,code"u8,
            RecordKind.Definition => "ts_recv,ts_event,rtype,publisher_id,instrument_id,raw_symbol,security_update_action,instrument_class,min_price_increment,display_factor,expiration,activation,strike_price,min_lot_size_round_lot,maturity_year,maturity_month,currency,group,exchange,asset,security_type"u8,
            _ => "ts_event,rtype,publisher_id,instrument_id"u8,
        });
        if (tsOut)
        {
            o.Write(",ts_out"u8);
        }

        o.Write((byte)'\n');
    }

    public void WriteCsv(in DbnRecordRef r)
    {
        switch (KindOf(r.RType))
        {
            case RecordKind.Ohlcv:
                var bar = r.As<OhlcvMsg>();
                CsvHd(r);
                CsvPx(bar.Open);
                CsvPx(bar.High);
                CsvPx(bar.Low);
                CsvPx(bar.Close);
                CsvNum(bar.Volume);
                break;
            case RecordKind.Trade:
                var t = r.As<TradeMsg>();
                CsvTs(t.TsRecv, first: true);
                CsvHd(r, first: false);
                CsvTrade(t.Action, t.Side, t.Depth, t.Price, t.Size, t.Flags, t.TsInDelta, t.Sequence);
                break;
            case RecordKind.Mbp1:
                var m = r.As<Mbp1Msg>();
                CsvTs(m.TsRecv, first: true);
                CsvHd(r, first: false);
                CsvTrade(m.Action, m.Side, m.Depth, m.Price, m.Size, m.Flags, m.TsInDelta, m.Sequence);
                CsvPx(m.Level.BidPx);
                CsvPx(m.Level.AskPx);
                CsvNum(m.Level.BidSz);
                CsvNum(m.Level.AskSz);
                CsvNum(m.Level.BidCt);
                CsvNum(m.Level.AskCt);
                break;
            case RecordKind.SymbolMapping:
                r.TryGetSymbolMapping(out var map);
                CsvHd(r);
                o.Write((byte)',');
                if (r.Version >= 2)
                {
                    o.Write(r.Bytes[16]);
                }

                CsvStr(map.STypeInSymbolUtf8);
                o.Write((byte)',');
                if (r.Version >= 2)
                {
                    o.Write(r.Bytes[88]);
                }

                CsvStr(map.STypeOutSymbolUtf8);
                CsvTs(map.StartTs);
                CsvTs(map.EndTs);
                break;
            case RecordKind.Error or RecordKind.System:
                r.TryGetGatewayText(out var text);
                CsvHd(r);
                CsvStr(text.TextUtf8);
                o.Write((byte)',');
                if (text.Code is { } code)
                {
                    o.Write(code);
                }

                if (text.IsError)
                {
                    o.Write((byte)',');
                    if (text.IsLast is { } last)
                    {
                        o.Write(last ? 1UL : 0UL);
                    }
                }

                break;
            case RecordKind.Definition:
                r.TryGetInstrumentDef(out var d);
                CsvTs(d.TsRecv, first: true);
                CsvHd(r, first: false);
                CsvStr(d.RawSymbolUtf8);
                CsvChar(d.SecurityUpdateAction);
                CsvChar(d.InstrumentClass);
                CsvPx(d.MinPriceIncrement);
                CsvPx(d.DisplayFactor);
                CsvTs(d.Expiration);
                CsvTs(d.Activation);
                CsvPx(d.StrikePrice);
                o.Write((byte)',');
                o.Write(d.MinLotSizeRoundLot);
                CsvNum(d.MaturityYear);
                CsvNum(d.MaturityMonth);
                CsvStr(d.Currency);
                CsvStr(d.Group);
                CsvStr(d.Exchange);
                CsvStr(d.Asset);
                CsvStr(d.SecurityType);
                break;
            default:
                CsvHd(r);
                break;
        }

        if (tsOut && r.TsOut is { } ts)
        {
            CsvTs(ts);
        }

        o.Write((byte)'\n');
    }

    public void WriteMetadataJson(DbnMetadata m)
    {
        o.Write("{\"version\":"u8);
        o.Write((ulong)m.Version);
        o.Write(",\"dataset\":"u8);
        o.WriteJsonString(m.Dataset);
        o.Write(",\"schema\":"u8);
        if (m.Schema is { } schema)
        {
            o.WriteJsonString(schema.ToName());
        }
        else
        {
            o.Write("null"u8);
        }

        Ts(",\"start\":"u8, m.Start);
        if (m.End is { } end)
        {
            Ts(",\"end\":"u8, end);
        }
        else
        {
            o.Write(",\"end\":null"u8);
        }

        o.Write(",\"limit\":"u8);
        if (m.Limit is { } limit)
        {
            o.WriteJsonString(limit.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            o.Write("null"u8);
        }

        o.Write(",\"stype_in\":"u8);
        if (m.STypeIn is { } stypeIn)
        {
            o.WriteJsonString(stypeIn.ToName());
        }
        else
        {
            o.Write("null"u8);
        }

        o.Write(",\"stype_out\":"u8);
        o.WriteJsonString(m.STypeOut.ToName());
        o.Write(m.TsOut ? ",\"ts_out\":true"u8 : ",\"ts_out\":false"u8);
        o.Write(",\"symbol_cstr_len\":"u8);
        o.Write((ulong)m.SymbolCstrLen);
        List(",\"symbols\":["u8, m.Symbols);
        List(",\"partial\":["u8, m.Partial);
        List(",\"not_found\":["u8, m.NotFound);
        o.Write(",\"mappings\":["u8);
        for (var i = 0; i < m.Mappings.Count; i++)
        {
            var mapping = m.Mappings[i];
            o.Write(i == 0 ? "{\"raw_symbol\":"u8 : ",{\"raw_symbol\":"u8);
            o.WriteJsonString(mapping.RawSymbol);
            o.Write(",\"intervals\":["u8);
            for (var j = 0; j < mapping.Intervals.Count; j++)
            {
                var interval = mapping.Intervals[j];
                o.Write(j == 0 ? "{\"start_date\":"u8 : ",{\"start_date\":"u8);
                Date(interval.StartDate);
                o.Write(",\"end_date\":"u8);
                Date(interval.EndDate);
                o.Write(",\"symbol\":"u8);
                o.WriteJsonString(interval.Symbol);
                o.Write((byte)'}');
            }

            o.Write("]}"u8);
        }

        o.Write("]}\n"u8);
    }

    private void List(ReadOnlySpan<byte> name, IReadOnlyList<string> items)
    {
        o.Write(name);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                o.Write((byte)',');
            }

            o.WriteJsonString(items[i]);
        }

        o.Write((byte)']');
    }

    private void Date(DateOnly date)
    {
        if (prettyTs)
        {
            o.WriteJsonString(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            o.Write((ulong)((date.Year * 10_000) + (date.Month * 100) + date.Day));
        }
    }

    private void Hd(in DbnRecordRef r)
    {
        var h = r.Header;
        Ts("\"hd\":{\"ts_event\":"u8, h.TsEvent);
        Num(",\"rtype\":"u8, h.RType);
        Num(",\"publisher_id\":"u8, h.PublisherId);
        Num(",\"instrument_id\":"u8, h.InstrumentId);
        o.Write((byte)'}');
    }

    private void TradeFields(char action, char side, byte depth, DbnPrice price, uint size, byte flags, int tsInDelta, uint sequence)
    {
        Char(",\"action\":"u8, action);
        Char(",\"side\":"u8, side);
        Num(",\"depth\":"u8, depth);
        Px(",\"price\":"u8, price);
        Num(",\"size\":"u8, size);
        Num(",\"flags\":"u8, flags);
        o.Write(",\"ts_in_delta\":"u8);
        o.Write(tsInDelta);
        Num(",\"sequence\":"u8, sequence);
    }

    private void Num(ReadOnlySpan<byte> name, ulong value)
    {
        o.Write(name);
        o.Write(value);
    }

    private void Quoted(ReadOnlySpan<byte> name, ulong value)
    {
        o.Write(name);
        o.Write((byte)'"');
        o.Write(value);
        o.Write((byte)'"');
    }

    private void Str(ReadOnlySpan<byte> name, ReadOnlySpan<byte> utf8)
    {
        o.Write(name);
        o.WriteJsonString(utf8);
    }

    private void Str(ReadOnlySpan<byte> name, string text)
    {
        o.Write(name);
        o.WriteJsonString(text);
    }

    private void Char(ReadOnlySpan<byte> name, char c)
    {
        o.Write(name);
        if (c == '\0')
        {
            o.Write("null"u8);
        }
        else
        {
            o.WriteJsonString([(byte)c]);
        }
    }

    private void Px(ReadOnlySpan<byte> name, DbnPrice price)
    {
        o.Write(name);
        if (!prettyPx)
        {
            o.Write((byte)'"');
            o.Write(price.Raw);
            o.Write((byte)'"');
        }
        else if (price.IsUndefined)
        {
            o.Write("null"u8);
        }
        else
        {
            Span<char> text = stackalloc char[32];
            price.TryFormat(text, out var n);
            o.Write((byte)'"');
            o.WriteChars(text[..n]);
            o.Write((byte)'"');
        }
    }

    private void Ts(ReadOnlySpan<byte> name, ulong ts)
    {
        o.Write(name);
        if (!prettyTs)
        {
            o.Write((byte)'"');
            o.Write(ts);
            o.Write((byte)'"');
        }
        else if (ts is 0 or DbnConstants.UndefTimestamp)
        {
            o.Write("null"u8);
        }
        else
        {
            o.Write((byte)'"');
            PrettyTs(ts);
            o.Write((byte)'"');
        }
    }

    private void PrettyTs(ulong ts)
    {
        var time = DateTime.UnixEpoch.AddTicks((long)(ts / 100));
        Span<char> text = stackalloc char[40];
        time.TryFormat(text, out var n, "yyyy-MM-dd'T'HH:mm:ss.", CultureInfo.InvariantCulture);
        (ts % 1_000_000_000).TryFormat(text[n..], out var f, "D9", CultureInfo.InvariantCulture);
        text[n + f] = 'Z';
        o.WriteChars(text[..(n + f + 1)]);
    }

    private void CsvHd(in DbnRecordRef r, bool first = true)
    {
        var h = r.Header;
        CsvTs(h.TsEvent, first);
        CsvNum(h.RType);
        CsvNum(h.PublisherId);
        CsvNum(h.InstrumentId);
    }

    private void CsvTrade(char action, char side, byte depth, DbnPrice price, uint size, byte flags, int tsInDelta, uint sequence)
    {
        CsvChar(action);
        CsvChar(side);
        CsvNum(depth);
        CsvPx(price);
        CsvNum(size);
        CsvNum(flags);
        o.Write((byte)',');
        o.Write(tsInDelta);
        CsvNum(sequence);
    }

    private void CsvNum(ulong value)
    {
        o.Write((byte)',');
        o.Write(value);
    }

    private void CsvChar(char c)
    {
        o.Write((byte)',');
        if (c != '\0')
        {
            o.WriteCsvField([(byte)c]);
        }
    }

    private void CsvStr(ReadOnlySpan<byte> utf8)
    {
        o.Write((byte)',');
        o.WriteCsvField(utf8);
    }

    private void CsvStr(string text)
    {
        o.Write((byte)',');
        o.WriteCsvField(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private void CsvPx(DbnPrice price)
    {
        o.Write((byte)',');
        if (!prettyPx)
        {
            o.Write(price.Raw);
        }
        else if (!price.IsUndefined)
        {
            Span<char> text = stackalloc char[32];
            price.TryFormat(text, out var n);
            o.WriteChars(text[..n]);
        }
    }

    private void CsvTs(ulong ts, bool first = false)
    {
        if (!first)
        {
            o.Write((byte)',');
        }

        if (!prettyTs)
        {
            o.Write(ts);
        }
        else if (ts is not (0 or DbnConstants.UndefTimestamp))
        {
            PrettyTs(ts);
        }
    }
}
