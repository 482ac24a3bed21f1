namespace OrderFlow.Databento.Tests.Live;

public class ApiKeyMaskTests
{
    [Theory]
    [InlineData(null, "(none)")]
    [InlineData("", "(none)")]
    [InlineData("db-x y", "db-…")]
    [InlineData("db-shortTypoKey12345", "db-…")]
    [InlineData("db-TESTKEYabcdefghijklmnopqrsXYZ12", "db-…XYZ12")]
    public void Mask_ShowsOnlyTheBucketIdOfAFullLengthKey(string? key, string expected) =>
        Assert.Equal(expected, ApiKeyMask.Mask(key));

    [Fact]
    public void Scrub_ReplacesTheKeyInServerTexts() =>
        Assert.Equal("auth failed for db-…XYZ12", ApiKeyMask.Scrub("auth failed for db-TESTKEYabcdefghijklmnopqrsXYZ12", "db-TESTKEYabcdefghijklmnopqrsXYZ12"));
}
