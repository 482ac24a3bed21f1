using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OrderFlow.MarketData.Internal;

/// <summary>Builds and throws the exceptions of this package, keeping throw sites out of the callers.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, object? actualValue, string message) =>
        throw CreateArgumentOutOfRange(paramName, actualValue, message);

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) => throw CreateArgument(paramName, message);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw CreateInvalidOperation(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentOutOfRangeException CreateArgumentOutOfRange(string paramName, object? actualValue, string message) =>
        new(paramName, actualValue, message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException CreateArgument(string paramName, string message) => new(message, paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static InvalidOperationException CreateInvalidOperation(string message) => new(message);
}
