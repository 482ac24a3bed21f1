namespace OrderFlow.Databento;

/// <summary>Receives what a <see cref="DatabentoLiveClient"/> reads: records, state changes, gateway errors.</summary>
/// <remarks>
/// Every method is called on the client's receive loop, one at a time, so it must return quickly and must not
/// block; a handler that throws ends <see cref="DatabentoLiveClient.RunAsync"/> with its exception.
/// </remarks>
public abstract class DatabentoLiveHandler
{
    /// <summary>
    /// A record, after the client has applied it to <see cref="DatabentoLiveClient.Symbols"/> (symbol mappings) and
    /// dropped replayed duplicates. Heartbeats, system and error records are passed on too.
    /// </summary>
    /// <param name="record">The record: a view valid only during the call.</param>
    public abstract void OnRecord(in DbnRecordRef record);

    /// <summary>The client changed state.</summary>
    /// <param name="state">The new state.</param>
    /// <param name="attempt">The reconnect attempt number (for <see cref="DatabentoLiveState.Reconnecting"/>), else 0.</param>
    /// <param name="reason">Why (disconnections, authentication failures), or <see langword="null"/>.</param>
    public virtual void OnStateChanged(DatabentoLiveState state, int attempt, string? reason)
    {
    }

    /// <summary>The gateway sent an error record (already logged).</summary>
    /// <param name="message">The gateway's text.</param>
    public virtual void OnGatewayError(string message)
    {
    }

    /// <summary>A session's DBN metadata arrived (once per connection).</summary>
    /// <param name="metadata">The metadata.</param>
    public virtual void OnMetadata(DbnMetadata metadata)
    {
    }
}
