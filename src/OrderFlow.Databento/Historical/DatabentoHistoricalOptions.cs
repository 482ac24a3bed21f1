namespace OrderFlow.Databento;

/// <summary>Settings of a <see cref="DatabentoHistoricalClient"/>.</summary>
/// <remarks>The key comes from configuration or the <c>DATABENTO_API_KEY</c> environment variable and is never logged (<c>db-…XXXXX</c>).</remarks>
public sealed class DatabentoHistoricalOptions
{
    /// <summary>The configuration section the options are usually bound from: <c>OrderFlow:Databento:Historical</c>.</summary>
    public const string SectionName = "OrderFlow:Databento:Historical";

    /// <summary>The API key; empty to use the <c>DATABENTO_API_KEY</c> environment variable.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The Historical API's base address. Default <c>https://hist.databento.com</c>.</summary>
    public Uri BaseAddress { get; set; } = new("https://hist.databento.com");

    /// <summary>The API key: <see cref="ApiKey"/>, or the <c>DATABENTO_API_KEY</c> environment variable.</summary>
    /// <returns>The key, or <see langword="null"/>.</returns>
    public string? ResolveApiKey() =>
        string.IsNullOrWhiteSpace(ApiKey) ? Environment.GetEnvironmentVariable(DatabentoLiveOptions.ApiKeyEnvironmentVariable) : ApiKey;

    /// <summary>Describes the options with the key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"base={BaseAddress} key={ApiKeyMask.Mask(ResolveApiKey())}";
}
