using System.Globalization;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>How numbers are shown in the console, latest.md and the README (invariant culture).</summary>
public static class Format
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    /// <summary>475.17 ns, 12.35 μs, 3.20 ms, 1.05 s.</summary>
    public static string Duration(double nanoseconds) => nanoseconds switch
    {
        < 1e3 => string.Create(s_invariant, $"{nanoseconds:0.00} ns"),
        < 1e6 => string.Create(s_invariant, $"{nanoseconds / 1e3:0.00} μs"),
        < 1e9 => string.Create(s_invariant, $"{nanoseconds / 1e6:0.00} ms"),
        _ => string.Create(s_invariant, $"{nanoseconds / 1e9:0.00} s"),
    };

    /// <summary>"0 B", "4,056 B"; "n/a" when not measured.</summary>
    public static string Bytes(long? bytes) => bytes is { } b ? string.Create(s_invariant, $"{b:N0} B") : "n/a";

    /// <summary>"1.23"; "-" when there is none.</summary>
    public static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", s_invariant) : "-";

    /// <summary>"+50.0 %" (with its sign) or "30 %".</summary>
    public static string Percent(double fraction, bool withSign = true) => withSign
        ? string.Create(s_invariant, $"{fraction * 100:+0.0;-0.0;0.0} %")
        : string.Create(s_invariant, $"{fraction * 100:0.##} %");

    /// <summary>Per-second rate with a k/M/G suffix: "2.10 M".</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e9 => string.Create(s_invariant, $"{perSecond / 1e9:0.00} G"),
        >= 1e6 => string.Create(s_invariant, $"{perSecond / 1e6:0.00} M"),
        >= 1e3 => string.Create(s_invariant, $"{perSecond / 1e3:0.00} k"),
        _ => string.Create(s_invariant, $"{perSecond:0.00}"),
    };

    /// <summary>Escapes text for a markdown table cell.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
