using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OrderFlow;

/// <summary>
/// Builds and throws the exceptions of a package, so that hot methods keep no throw sites and stay small enough to
/// inline. One source, compiled into each package that throws (an internal type: nothing is shared at run time);
/// a package adds its own exceptions in a partial of this class.
/// </summary>
internal static partial class ThrowHelper
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
