using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

using OrderFlow.Databento;

namespace OrderFlow;

/// <content>The exceptions only this package throws: DBN format errors with their byte offset.</content>
internal static partial class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowFormat(string message, long offset) => throw CreateFormat(message, offset);

    [DoesNotReturn]
    public static T ThrowFormat<T>(string message, long offset) => throw CreateFormat(message, offset);

    [DoesNotReturn]
    public static void ThrowRecordTooShort(byte rtype, int needed, int length, long offset) =>
        throw CreateFormat($"Record of rtype 0x{rtype:X2} ({DbnRType.Describe(rtype)}) needs {needed} bytes but its header gives {length}", offset);

    [DoesNotReturn]
    public static void ThrowBadRecordLength(int lengthWords, long offset) =>
        throw CreateFormat(lengthWords == 0
            ? "Record length is 0: the stream is corrupt or not DBN"
            : $"Record length {lengthWords * 4} bytes is shorter than the 16-byte record header", offset);

    [DoesNotReturn]
    public static void ThrowTruncatedRecord(int length, long available, long offset) =>
        throw CreateFormat($"Truncated record: its header gives {length} bytes but the input ends after {available}", offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DbnFormatException CreateFormat(string message, long offset) => new(message, offset);
}
