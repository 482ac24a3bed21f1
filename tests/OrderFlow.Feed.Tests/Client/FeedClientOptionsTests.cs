using Microsoft.Extensions.Options;
using OrderFlow.Feed.Client;

namespace OrderFlow.Feed.Tests.Client;

public class FeedClientOptionsTests
{
    private static FeedClientOptions Valid() => new() { Url = new Uri("ws://127.0.0.1:9000/") };

    [Fact]
    public void Defaults_AreTheSeedHeartbeat()
    {
        var o = new FeedClientOptions();
        Assert.Equal(TimeSpan.FromSeconds(60), o.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(120), o.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), o.MaxReconnectDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), o.StableConnectionTime);
    }

    [Fact]
    public void Validate_Valid_Succeeds() => Assert.True(new FeedClientOptionsValidator().Validate(null, Valid()).Succeeded);

    [Theory]
    [InlineData("Url")]
    [InlineData("Scheme")]
    [InlineData("PingInterval")]
    [InlineData("IdleTimeout")]
    [InlineData("MaxReconnectDelay")]
    [InlineData("StableConnectionTime")]
    [InlineData("MaxMessageBytes")]
    [InlineData("LiveQueueCapacity")]
    public void Validate_BadValue_FailsNamingTheOption(string which)
    {
        var o = Valid();
        var expected = which;
        switch (which)
        {
            case "Url": o.Url = null; break;
            case "Scheme": o.Url = new Uri("http://example.test/"); expected = "Url"; break;
            case "PingInterval": o.PingInterval = TimeSpan.Zero; break;
            case "IdleTimeout": o.IdleTimeout = TimeSpan.FromSeconds(30); break; // shorter than the ping interval
            case "MaxReconnectDelay": o.MaxReconnectDelay = TimeSpan.FromMilliseconds(10); break;
            case "StableConnectionTime": o.StableConnectionTime = TimeSpan.Zero; break;
            case "MaxMessageBytes": o.MaxMessageBytes = 10; break;
            default: o.LiveQueueCapacity = 0; break;
        }

        var result = new FeedClientOptionsValidator().Validate(null, o);
        Assert.True(result.Failed);
        Assert.Contains($"Feed:{expected}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_WithInvalidOptions_ThrowsAtConstruction()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new FeedClient(new FeedClientOptions()));
        Assert.Contains("Feed:Url is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_MasksCredentialsAndQuery()
    {
        var o = new FeedClientOptions { Url = new Uri("wss://user:secret@feed.example.test/ws?token=abc123") };
        var text = o.ToString();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", text, StringComparison.Ordinal);
        Assert.Contains("feed.example.test", text, StringComparison.Ordinal);
    }
}
