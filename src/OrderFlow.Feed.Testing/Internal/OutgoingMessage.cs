using System.Net.WebSockets;

namespace OrderFlow.Feed.Testing.Internal;

/// <summary>One message waiting in a connection's send queue; broadcast payloads are shared by every connection.</summary>
/// <param name="Payload">The bytes of the whole message.</param>
/// <param name="Type">Text, or binary for the binary-frame fault.</param>
internal readonly record struct OutgoingMessage(ReadOnlyMemory<byte> Payload, WebSocketMessageType Type = WebSocketMessageType.Text);
