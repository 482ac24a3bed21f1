using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OrderFlow.Candles;

/// <summary>
/// Builds and throws the exceptions of this package, so that hot methods keep no throw sites and stay small
/// enough to inline.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, object? actualValue, string message) =>
        throw CreateArgumentOutOfRange(paramName, actualValue, message);

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message) =>
        throw CreateArgument(paramName, message);

    [DoesNotReturn]
    public static void ThrowFormat(string message) => throw CreateFormat(message);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw CreateInvalidOperation(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentOutOfRangeException CreateArgumentOutOfRange(string paramName, object? actualValue, string message) =>
        new(paramName, actualValue, message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException CreateArgument(string paramName, string message) => new(message, paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FormatException CreateFormat(string message) => new(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static InvalidOperationException CreateInvalidOperation(string message) => new(message);
}
