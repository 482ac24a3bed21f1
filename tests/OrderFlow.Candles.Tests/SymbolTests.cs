using OrderFlow.Candles;

namespace OrderFlow.Candles.Tests;

public class SymbolTests
{
    [Theory]
    [InlineData("GC")]
    [InlineData("NQ")]
    [InlineData("GCZ6")]
    [InlineData("6E")]
    [InlineData("BRK.B")]
    [InlineData("ES-MINI_1")]
    [InlineData("ABCDEFGHIJKLMNOPQRST")]
    public void Parse_ValidSymbol_RoundTrips(string text)
    {
        var symbol = Symbol.Parse(text);
        Assert.Equal(text, symbol.ToString());
        Assert.True(Symbol.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var fromUtf8));
        Assert.Equal(symbol, fromUtf8);
    }

    [Theory]
    [InlineData("")]
    [InlineData("gc")]
    [InlineData("G C")]
    [InlineData("GC:1m")]
    [InlineData("GC*")]
    [InlineData(".GC")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU")]
    [InlineData("GÇ")]
    [InlineData("GC\n")]
    public void TryParse_InvalidSymbol_ReturnsFalse(string text)
    {
        Assert.False(Symbol.TryParse(text, out var symbol));
        Assert.True(symbol.IsEmpty);
        Assert.False(Symbol.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Parse_InvalidCharacter_MessageNamesCharacterAndPosition()
    {
        var ex = Assert.Throws<FormatException>(() => Symbol.Parse("GC:1m"));
        Assert.Contains("':'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("position 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheSeedSymbols() =>
        Assert.Equal(["GC", "SI", "CL", "ES", "NQ"], Symbol.Defaults.Select(s => s.Value));

    [Fact]
    public void Default_IsEmpty()
    {
        Assert.True(default(Symbol).IsEmpty);
        Assert.Equal(string.Empty, default(Symbol).Value);
        Assert.False(Symbol.GC.IsEmpty);
    }

    [Fact]
    public void EqualityContract() => ContractAssert.EqualityAndOrdering(Symbol.Parse("CL"), Symbol.CL, Symbol.Parse("GC"));

    [Fact]
    public void TryParse_KnownSymbolFromUtf8_ReturnsSameInstanceText()
    {
        Assert.True(Symbol.TryParse("GC"u8, out var gc));
        Assert.Same(Symbol.GC.Value, gc.Value);
    }
}
