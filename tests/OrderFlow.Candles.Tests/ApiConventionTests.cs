using System.Reflection;
using System.Runtime.CompilerServices;
using OrderFlow.Candles;
using OrderFlow.Candles.Aggregation;

namespace OrderFlow.Candles.Tests;

/// <summary>Reflects over the public surface, as NodaTime's ConsistencyTest does.</summary>
public class ApiConventionTests
{
    private static readonly Type[] PublicTypes = typeof(Candle).Assembly.GetExportedTypes();

    [Fact]
    public void PublicStructs_AreReadonlyAndEquatable_ExceptTheDocumentedMutableBuilders()
    {
        foreach (var type in PublicTypes.Where(t => t.IsValueType && !t.IsEnum && t != typeof(CandleBuilder)))
        {
            Assert.True(type.IsDefined(typeof(IsReadOnlyAttribute)), $"{type} should be a readonly struct");
            Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{type} should be IEquatable");
            Assert.NotNull(type.GetMethod("op_Equality", [type, type]));
        }
    }

    [Fact]
    public void Candle_HasNoPublicConstructor() =>
        Assert.Empty(typeof(Candle).GetConstructors(BindingFlags.Public | BindingFlags.Instance));

    [Fact]
    public void Package_HasNoDependencies() =>
        Assert.All(typeof(Candle).Assembly.GetReferencedAssemblies(), a => Assert.True(a.Name is "System.Runtime" or "System.Collections" or "System.Linq" or "System.Memory" or "System.Runtime.InteropServices" or "System.Collections.Immutable" || a.Name!.StartsWith("System.", StringComparison.Ordinal), a.Name));

    [Fact]
    public void PublicClasses_AreSealedOrStatic()
    {
        foreach (var type in PublicTypes.Where(t => t.IsClass))
        {
            Assert.True(type.IsSealed, $"{type} should be sealed or static");
        }
    }
}
