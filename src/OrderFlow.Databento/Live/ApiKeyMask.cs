namespace OrderFlow.Databento;

/// <summary>Masks a Databento API key for logs and messages: <c>db-…XXXXX</c> (the last five characters, the key's bucket id).</summary>
internal static class ApiKeyMask
{
    /// <remarks>Databento keys are 32 characters; a shorter value (a typo, a test key) is masked whole, so no more than a sixth of any key shows.</remarks>
    public static string Mask(string? key) =>
        string.IsNullOrEmpty(key) ? "(none)" : key.Length < 30 ? "db-…" : "db-…" + key[^5..];

    /// <summary>Replaces any occurrence of the key in <paramref name="text"/> by its mask (defence in depth for server texts).</summary>
    public static string Scrub(string text, string? key) =>
        string.IsNullOrEmpty(key) ? text : text.Replace(key, Mask(key), StringComparison.Ordinal);
}
