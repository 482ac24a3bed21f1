using System.Buffers;

namespace OrderFlow.Feed.Protocol;

/// <summary>Splits the client's pipe contents into frames at <see cref="FeedProtocol.FrameSeparator"/>.</summary>
internal static class FeedFrames
{
    /// <summary>Takes the next whole frame off the front of <paramref name="buffer"/>, if there is one.</summary>
    /// <param name="buffer">The unread bytes; advanced past the frame and its separator.</param>
    /// <param name="frame">The frame, without its separator.</param>
    /// <returns><see langword="false"/> when no separator has arrived yet.</returns>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        var end = buffer.PositionOf(FeedProtocol.FrameSeparator);
        if (end is null)
        {
            frame = default;
            return false;
        }

        frame = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }
}
