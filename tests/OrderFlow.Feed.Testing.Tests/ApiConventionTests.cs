using System.Reflection;
using System.Runtime.CompilerServices;

namespace OrderFlow.Feed.Testing.Tests;

/// <summary>Reflects over the public surface, as the Candles conventions test does.</summary>
public class ApiConventionTests
{
    private static readonly Type[] PublicTypes = typeof(FeedServer).Assembly.GetExportedTypes();

    [Fact]
    public void PublicStructs_AreReadonlyAndEquatable()
    {
        foreach (var type in PublicTypes.Where(t => t.IsValueType && !t.IsEnum))
        {
            Assert.True(type.IsDefined(typeof(IsReadOnlyAttribute)), $"{type} should be a readonly struct");
            Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), $"{type} should be IEquatable");
        }
    }

    [Fact]
    public void PublicClasses_AreSealedOrStatic()
    {
        foreach (var type in PublicTypes.Where(t => t.IsClass))
        {
            Assert.True(type.IsSealed, $"{type} should be sealed or static");
        }
    }

    [Fact]
    public void PublicAsyncMethods_EndWithACancellationToken()
    {
        var methods = PublicTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal) && m.Name != "DisposeAsync");
        foreach (var method in methods)
        {
            var parameters = method.GetParameters();
            Assert.True(parameters.Length > 0 && parameters[^1].ParameterType == typeof(CancellationToken), $"{method.DeclaringType}.{method.Name} should end with a CancellationToken");
        }
    }

    [Fact]
    public void Namespace_IsOrderFlowFeedTesting() =>
        Assert.All(PublicTypes, t => Assert.Equal("OrderFlow.Feed.Testing", t.Namespace));
}
