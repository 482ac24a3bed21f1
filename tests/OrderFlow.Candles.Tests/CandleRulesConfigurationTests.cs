using System.Text;
using Microsoft.Extensions.Configuration;
using OrderFlow.Candles;
using OrderFlow.Candles.Rules;

namespace OrderFlow.Candles.Tests;

/// <summary>Rules are plain init-only records, so standard .NET configuration binds them (appsettings.json, environment).</summary>
public class CandleRulesConfigurationTests
{
    [Fact]
    public void CandleRules_BindFromJsonConfiguration_OverridingOnlyWhatIsGiven()
    {
        const string json = """
            {
              "Rules": {
                "MaxPriceMove": 20,
                "ContinuityGap": "12:00:00",
                "History": "Continuity, WickClamp",
                "LiveBufferSize": 1000
              }
            }
            """;
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var rules = config.GetSection("Rules").Get<CandleRules>()!;
        rules.Validate();

        Assert.Equal(20, rules.MaxPriceMove);
        Assert.Equal(10, rules.MaxWick); // not given: the seed's default
        Assert.Equal(TimeSpan.FromHours(12), rules.ContinuityGap);
        Assert.Equal(RuleSet.Continuity | RuleSet.WickClamp, rules.History);
        Assert.Equal(1000, rules.LiveBufferSize);

        var book = CandleRuleBook.Default.With(Symbol.GC, Timeframe.OneMinute, rules);
        Assert.Equal(20, book.Get(Symbol.GC, Timeframe.OneMinute).MaxPriceMove);
    }

    [Fact]
    public void CandleRules_BoundFromBadConfiguration_FailValidationNamingTheKey()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([new("Rules:MaxWick", "-3")]).Build();
        var rules = config.GetSection("Rules").Get<CandleRules>()!;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(rules.Validate);
        Assert.Equal(nameof(CandleRules.MaxWick), ex.ParamName);
    }
}
