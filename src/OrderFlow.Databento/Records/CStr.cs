using System.Text;

namespace OrderFlow.Databento;

/// <summary>Fixed-length, NUL-terminated text fields (C strings) as DBN stores symbols and messages.</summary>
internal static class CStr
{
    /// <summary>The bytes before the first NUL of a fixed field.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    /// <summary>Decodes a fixed field as UTF-8 up to its first NUL; invalid bytes become U+FFFD, never an exception.</summary>
    public static string Decode(ReadOnlySpan<byte> field)
    {
        var text = Trim(field);
        return text.IsEmpty ? string.Empty : Encoding.UTF8.GetString(text);
    }

    /// <summary>Writes text into a fixed field, NUL-padded; the text must leave room for the terminating NUL.</summary>
    public static void Encode(string? value, Span<byte> field, string paramName)
    {
        field.Clear();
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (Encoding.UTF8.GetByteCount(value) >= field.Length)
        {
            ThrowHelper.ThrowArgument(paramName, $"'{value}' is too long for a {field.Length}-byte DBN text field (at most {field.Length - 1} bytes of UTF-8).");
        }

        Encoding.UTF8.GetBytes(value, field);
    }
}
