using System.Diagnostics.CodeAnalysis;

namespace OrderFlow.Candles;

/// <summary>
/// A validated instrument symbol, such as the CME futures roots <c>GC</c>, <c>SI</c>, <c>CL</c>, <c>ES</c> and
/// <c>NQ</c>, or a contract such as <c>GCZ6</c>.
/// </summary>
/// <remarks>
/// <para>
/// A symbol is 1 to <see cref="MaxLength"/> ASCII characters from <c>A–Z</c>, <c>0–9</c>, <c>.</c>, <c>_</c>
/// and <c>-</c>, starting with a letter or digit. It is checked once, here, so that Redis keys, metric tags and
/// URLs can be built from it without escaping (it can never contain <c>:</c>, <c>*</c>, spaces or control
/// characters). Parsing is case-sensitive: <c>gc</c> is not a symbol; callers that want to accept it upper-case
/// it first.
/// </para>
/// <para>
/// The default value is the empty symbol (<see cref="IsEmpty"/>), which no parse ever returns. Instances are
/// immutable and thread-safe; ordering is ordinal.
/// </para>
/// </remarks>
public readonly struct Symbol : IEquatable<Symbol>, IComparable<Symbol>, ISpanParsable<Symbol>
{
    /// <summary>The longest symbol accepted: 20 characters.</summary>
    public const int MaxLength = 20;

    private readonly string? _value;

    private Symbol(string value) => _value = value;

    /// <summary>Gold futures (COMEX), 100 troy ounces, tick 0.10.</summary>
    public static Symbol GC { get; } = new("GC");

    /// <summary>Silver futures (COMEX), 5,000 troy ounces, tick 0.005.</summary>
    public static Symbol SI { get; } = new("SI");

    /// <summary>WTI crude oil futures (NYMEX), 1,000 barrels, tick 0.01.</summary>
    public static Symbol CL { get; } = new("CL");

    /// <summary>E-mini S&amp;P 500 futures (CME), tick 0.25.</summary>
    public static Symbol ES { get; } = new("ES");

    /// <summary>E-mini Nasdaq-100 futures (CME), tick 0.25.</summary>
    public static Symbol NQ { get; } = new("NQ");

    /// <summary>The five symbols the seed system trades: GC, SI, CL, ES, NQ.</summary>
    public static IReadOnlyList<Symbol> Defaults { get; } = [GC, SI, CL, ES, NQ];

    /// <summary>The symbol text; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether this is the default, empty value rather than a parsed symbol.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Parses a symbol.</summary>
    /// <param name="s">The text to parse.</param>
    /// <returns>The symbol.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid symbol; the message names it and the bad character.</exception>
    public static Symbol Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!TryParse(s, out var result))
        {
            ThrowHelper.ThrowFormat(CreateParseMessage(s));
        }

        return result;
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static Symbol Parse(ReadOnlySpan<char> s)
    {
        if (!TryParse(s, out var result))
        {
            ThrowHelper.ThrowFormat(CreateParseMessage(s));
        }

        return result;
    }

    /// <summary>Parses a symbol without throwing.</summary>
    /// <param name="s">The text to parse; <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="result">The symbol, or the empty symbol when parsing failed.</param>
    /// <returns><see langword="true"/> when the text is a valid symbol.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out Symbol result)
    {
        if (s is not null && IsValid(s.AsSpan()))
        {
            result = Intern(s.AsSpan()) ?? new Symbol(s);
            return true;
        }

        result = default;
        return false;
    }

    /// <inheritdoc cref="TryParse(string?, out Symbol)"/>
    public static bool TryParse(ReadOnlySpan<char> s, out Symbol result)
    {
        if (IsValid(s))
        {
            result = Intern(s) ?? new Symbol(s.ToString());
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Parses a symbol from UTF-8 bytes without throwing; the five default symbols allocate nothing.</summary>
    /// <param name="utf8Text">The UTF-8 text to parse.</param>
    /// <param name="result">The symbol, or the empty symbol when parsing failed.</param>
    /// <returns><see langword="true"/> when the text is a valid symbol.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out Symbol result)
    {
        // The five default symbols arrive in every feed message: recognise them without the general path.
        if (utf8Text.Length == 2)
        {
            Symbol? known = (utf8Text[0], utf8Text[1]) switch
            {
                ((byte)'G', (byte)'C') => GC,
                ((byte)'S', (byte)'I') => SI,
                ((byte)'C', (byte)'L') => CL,
                ((byte)'E', (byte)'S') => ES,
                ((byte)'N', (byte)'Q') => NQ,
                _ => null,
            };
            if (known is { } symbol)
            {
                result = symbol;
                return true;
            }
        }

        if (utf8Text.Length is 0 or > MaxLength)
        {
            result = default;
            return false;
        }

        Span<char> chars = stackalloc char[MaxLength];
        for (var i = 0; i < utf8Text.Length; i++)
        {
            // Non-ASCII bytes become a character IsValid rejects.
            chars[i] = utf8Text[i] < 0x80 ? (char)utf8Text[i] : '\0';
        }

        return TryParse(chars[..utf8Text.Length], out result);
    }

    static Symbol IParsable<Symbol>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<Symbol>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Symbol result) =>
        TryParse(s, out result);

    static Symbol ISpanParsable<Symbol>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<Symbol>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Symbol result) =>
        TryParse(s, out result);

    /// <summary>Returns the symbol text (empty for the default value).</summary>
    /// <returns>The symbol text.</returns>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(Symbol other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Symbol other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc/>
    public int CompareTo(Symbol other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Equality.</summary>
    /// <param name="left">The first symbol.</param>
    /// <param name="right">The second symbol.</param>
    /// <returns><see langword="true"/> when both hold the same text.</returns>
    public static bool operator ==(Symbol left, Symbol right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">The first symbol.</param>
    /// <param name="right">The second symbol.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(Symbol left, Symbol right) => !left.Equals(right);

    /// <summary>Ordinal ordering.</summary>
    /// <param name="left">The first symbol.</param>
    /// <param name="right">The second symbol.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(Symbol left, Symbol right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal ordering.</summary>
    /// <param name="left">The first symbol.</param>
    /// <param name="right">The second symbol.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(Symbol left, Symbol right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal ordering.</summary>
    /// <param name="left">The first symbol.</param>
    /// <param name="right">The second symbol.</param>
    /// <returns><see langword="true"/> unless <paramref name="left"/> sorts last.</returns>
    public static bool operator <=(Symbol left, Symbol right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal ordering.</summary>
    /// <param name="left">The first symbol.</param>
    /// <param name="right">The second symbol.</param>
    /// <returns><see langword="true"/> unless <paramref name="left"/> sorts first.</returns>
    public static bool operator >=(Symbol left, Symbol right) => left.CompareTo(right) >= 0;

    private static bool IsValid(ReadOnlySpan<char> s) => s.Length is > 0 and <= MaxLength && IndexOfInvalid(s) < 0;

    private static int IndexOfInvalid(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var ok = char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || (i > 0 && c is '.' or '_' or '-');
            if (!ok)
            {
                return i;
            }
        }

        return -1;
    }

    private static Symbol? Intern(ReadOnlySpan<char> s) => s switch
    {
        "GC" => GC,
        "SI" => SI,
        "CL" => CL,
        "ES" => ES,
        "NQ" => NQ,
        _ => null,
    };

    private static string CreateParseMessage(ReadOnlySpan<char> s)
    {
        const string Expected = "expected 1 to 20 characters A-Z, 0-9, '.', '_' or '-', starting with a letter or digit";
        if (s.IsEmpty)
        {
            return $"The symbol is empty: {Expected}.";
        }

        if (s.Length > MaxLength)
        {
            return $"The symbol '{s[..MaxLength]}…' is longer than {MaxLength} characters: {Expected}.";
        }

        var bad = IndexOfInvalid(s);
        return $"'{s}' is not a symbol: character '{s[bad]}' (U+{(int)s[bad]:X4}) at position {bad} is not allowed; {Expected}.";
    }
}
