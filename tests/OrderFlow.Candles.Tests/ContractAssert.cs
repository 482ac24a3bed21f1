namespace OrderFlow.Candles.Tests;

/// <summary>Checks a whole equality/ordering contract in one call (NodaTime's TestHelper, in small).</summary>
internal static class ContractAssert
{
    public static void EqualityAndOrdering<T>(T value, T equalValue, T greaterValue)
        where T : struct, IEquatable<T>, IComparable<T>
    {
        Assert.True(value.Equals(equalValue));
        Assert.True(value.Equals((object)equalValue));
        Assert.False(value.Equals(greaterValue));
        Assert.False(value.Equals((object?)null));
        Assert.Equal(value.GetHashCode(), equalValue.GetHashCode());
        Assert.Equal(0, value.CompareTo(equalValue));
        Assert.True(value.CompareTo(greaterValue) < 0);
        Assert.True(greaterValue.CompareTo(value) > 0);

        var type = typeof(T);
        var eq = type.GetMethod("op_Equality", [type, type]);
        var ne = type.GetMethod("op_Inequality", [type, type]);
        Assert.NotNull(eq);
        Assert.NotNull(ne);
        Assert.True((bool)eq.Invoke(null, [value, equalValue])!);
        Assert.False((bool)eq.Invoke(null, [value, greaterValue])!);
        Assert.True((bool)ne.Invoke(null, [value, greaterValue])!);
        var lt = type.GetMethod("op_LessThan", [type, type]);
        if (lt is not null)
        {
            Assert.True((bool)lt.Invoke(null, [value, greaterValue])!);
            Assert.False((bool)lt.Invoke(null, [value, equalValue])!);
        }
    }
}
