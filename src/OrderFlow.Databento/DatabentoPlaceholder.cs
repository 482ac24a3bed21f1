namespace OrderFlow.Databento;

internal static class DatabentoPlaceholder
{
}
