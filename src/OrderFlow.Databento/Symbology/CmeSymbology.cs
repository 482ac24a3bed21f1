using OrderFlow.Candles;

namespace OrderFlow.Databento;

/// <summary>
/// Derives the root symbol OrderFlow keys candles by (<c>ES</c>, <c>GC</c>) from a Databento symbol.
/// </summary>
/// <remarks>
/// <para>The rule, applied in order:</para>
/// <list type="number">
/// <item>A parent or continuous symbol (<c>ES.FUT</c>, <c>GC.c.0</c>, <c>CL.v.1</c>): the text before the first <c>.</c>.</item>
/// <item>A symbol with a space, <c>-</c> or <c>:</c> (options such as <c>ESH1 C4000</c>, spreads such as
/// <c>ESH1-ESM1</c>) has no root: spreads and options must not feed the outright's candles.</item>
/// <item>A CME outright future, <c>ROOT</c> + month code (<c>F G H J K M N Q U V X Z</c> for January … December)
/// + a one- or two-digit year (<c>ESH1</c>, <c>GCZ4</c>, <c>NQM25</c>): <c>ROOT</c>.</item>
/// <item>Anything else (a stock such as <c>MSFT</c>, or a bare root): the symbol itself.</item>
/// </list>
/// <para>The result must also be a valid <see cref="Symbol"/> (upper-case ASCII letters and digits, at most 20).</para>
/// </remarks>
public static class CmeSymbology
{
    private const string MonthCodes = "FGHJKMNQUVXZ";

    /// <summary>Derives the root symbol of a Databento symbol.</summary>
    /// <param name="symbol">A raw, parent or continuous symbol.</param>
    /// <param name="root">The root, such as <see cref="Symbol.ES"/>.</param>
    /// <returns><see langword="false"/> for spreads, options, empty text and anything that is not a valid <see cref="Symbol"/>.</returns>
    public static bool TryGetRoot(string? symbol, out Symbol root)
    {
        root = default;
        if (string.IsNullOrEmpty(symbol))
        {
            return false;
        }

        var text = symbol.AsSpan();
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            text = text[..dot];
        }
        else if (text.IndexOfAny(" -:") >= 0)
        {
            return false;
        }
        else
        {
            var digits = 0;
            while (digits < text.Length && digits < 3 && char.IsAsciiDigit(text[text.Length - 1 - digits]))
            {
                digits++;
            }

            var monthAt = text.Length - 1 - digits;
            if (digits is 1 or 2 && monthAt >= 1 && MonthCodes.Contains(text[monthAt], StringComparison.Ordinal))
            {
                text = text[..monthAt];
            }
        }

        return Symbol.TryParse(text, out root);
    }

    /// <summary>The month (1–12) of a CME month code letter, or 0 when the letter is not one.</summary>
    /// <param name="code">The letter, such as <c>'H'</c> (March).</param>
    /// <returns>The month, or 0.</returns>
    public static int MonthOf(char code) => MonthCodes.IndexOf(code, StringComparison.Ordinal) + 1;
}
