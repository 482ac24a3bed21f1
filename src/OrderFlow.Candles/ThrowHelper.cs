using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace OrderFlow;

/// <content>The exceptions only this package throws.</content>
internal static partial class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowFormat(string message) => throw CreateFormat(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static FormatException CreateFormat(string message) => new(message);
}
