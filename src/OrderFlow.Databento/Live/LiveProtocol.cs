using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Databento;

/// <summary>
/// The text part of Databento's Raw Live protocol: newline-terminated <c>key=value|key=value</c> lines before the
/// DBN stream.
/// </summary>
/// <seealso href="https://databento.com/docs/api-reference-live?live=raw"/>
internal static class LiveProtocol
{
    /// <summary>The most symbols per subscription line; longer lists are split, <c>is_last=1</c> on the final line.</summary>
    public const int MaxSymbolsPerLine = 500;

    public const string StartSession = "start_session\n";

    /// <summary>
    /// The CRAM response: the lower-case hex SHA-256 of <c>{cram}|{key}</c>, a <c>-</c> and the key's last five
    /// characters (its bucket id). The key itself never goes on the wire.
    /// </summary>
    public static string ComputeAuth(string cram, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(cram + "|" + key));
        return Convert.ToHexStringLower(hash) + "-" + key[^5..];
    }

    public static string AuthLine(string auth, DatabentoLiveOptions options)
    {
        var line = $"auth={auth}|dataset={options.Dataset}|encoding=dbn|ts_out=0|client={options.ClientName}";
        if (options.HeartbeatInterval is { } hb)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"|heartbeat_interval_s={(long)hb.TotalSeconds}");
        }

        return line + "\n";
    }

    /// <summary>The subscription lines; <paramref name="starts"/>[i] is subscription i's start in ns, or null.</summary>
    public static List<string> SubscriptionLines(IList<DatabentoLiveSubscription> subscriptions, ulong?[] starts)
    {
        var lines = new List<string>();
        for (var i = 0; i < subscriptions.Count; i++)
        {
            var s = subscriptions[i];
            for (var from = 0; from < s.Symbols.Count; from += MaxSymbolsPerLine)
            {
                var count = Math.Min(MaxSymbolsPerLine, s.Symbols.Count - from);
                var isLast = from + count >= s.Symbols.Count;
                var sb = new StringBuilder(128);
                sb.Append("schema=").Append(s.Schema.ToName())
                    .Append("|stype_in=").Append(s.STypeIn.ToName())
                    .Append("|symbols=").AppendJoin(',', s.Symbols.Skip(from).Take(count));
                if (starts[i] is { } start)
                {
                    sb.Append("|start=").Append(start.ToString(CultureInfo.InvariantCulture));
                }

                sb.Append("|snapshot=0|id=").Append((i + 1).ToString(CultureInfo.InvariantCulture))
                    .Append("|is_last=").Append(isLast ? '1' : '0').Append('\n');
                lines.Add(sb.ToString());
            }
        }

        return lines;
    }

    /// <summary>Parses <c>k=v|k=v</c> (the first <c>=</c> splits; later duplicates win).</summary>
    public static Dictionary<string, string> Parse(string line)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in line.Split('|'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[part[..eq]] = part[(eq + 1)..];
            }
        }

        return result;
    }

    /// <summary>The rtypes a schema's records carry, for tracking the last <c>ts_event</c> per subscription.</summary>
    public static bool RTypeBelongsTo(byte rtype, DbnSchema schema) => schema switch
    {
        DbnSchema.Trades => rtype == DbnRType.Mbp0,
        DbnSchema.Mbp1 or DbnSchema.Tbbo => rtype == DbnRType.Mbp1,
        DbnSchema.Ohlcv1S => rtype == DbnRType.Ohlcv1S,
        DbnSchema.Ohlcv1M => rtype == DbnRType.Ohlcv1M,
        DbnSchema.Ohlcv1H => rtype == DbnRType.Ohlcv1H,
        DbnSchema.Ohlcv1D => rtype == DbnRType.Ohlcv1D,
        DbnSchema.OhlcvEod => rtype == DbnRType.OhlcvEod,
        DbnSchema.Definition => rtype == DbnRType.InstrumentDef,
        DbnSchema.Mbo => rtype == DbnRType.Mbo,
        DbnSchema.Mbp10 => rtype == DbnRType.Mbp10,
        DbnSchema.Statistics => rtype == DbnRType.Statistics,
        DbnSchema.Status => rtype == DbnRType.Status,
        DbnSchema.Imbalance => rtype == DbnRType.Imbalance,
        _ => false,
    };
}
