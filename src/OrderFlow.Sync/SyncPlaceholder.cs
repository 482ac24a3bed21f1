namespace OrderFlow.Sync;

internal static class SyncPlaceholder
{
}
