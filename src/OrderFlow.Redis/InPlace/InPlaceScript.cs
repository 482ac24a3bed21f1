using StackExchange.Redis;

namespace OrderFlow.Redis.InPlace;

/// <summary>
/// The one Lua script of the store: applies an <see cref="ArrayEdit"/> to one key atomically, only when the key still
/// holds the value the edit was planned on. One key per call, so it runs unchanged on Redis Cluster.
/// </summary>
/// <remarks>
/// StackExchange.Redis sends the script's text once per server and <c>EVALSHA</c> after that (and again the text
/// when a restarted server answers <c>NOSCRIPT</c>).
/// </remarks>
internal static class InPlaceScript
{
    // KEYS[1]: the key. ARGV[1]: the stamp it must end with; ARGV[2]: the TTL in milliseconds; then pairs of
    // (offset, bytes) to write. Answers 1 when written, 0 when the key does not end with the stamp. A stamp is drawn
    // anew for every write, so a value ending with it is byte for byte the one it was drawn for: no length check.
    private const string Text = """
        if redis.call('GETRANGE', KEYS[1], -#ARGV[1], -1) ~= ARGV[1] then return 0 end
        for i = 3, #ARGV, 2 do redis.call('SETRANGE', KEYS[1], tonumber(ARGV[i]), ARGV[i + 1]) end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>Queues the edit on <paramref name="db"/> (a database or a batch); true when it was applied.</summary>
    public static Task<bool> RunAsync(IDatabaseAsync db, RedisKey key, ArrayEdit edit, TimeSpan ttl)
    {
        var arguments = Arguments(edit.ExpectedStamp, ttl);
        foreach (var range in (ReadOnlySpan<EditRange>)[edit.Front, edit.Tail])
        {
            if (!range.IsEmpty)
            {
                arguments.Add(range.Offset);
                arguments.Add(edit.Bytes(range));
            }
        }

        return EvaluateAsync(db, key, arguments);
    }

    /// <summary>Refreshes the TTL of a value only when it is still the one <paramref name="layout"/> describes; true when it was.</summary>
    public static Task<bool> TouchAsync(IDatabaseAsync db, RedisKey key, StoredArray layout, TimeSpan ttl) =>
        EvaluateAsync(db, key, Arguments(WriteStamp.ToArray(layout.Stamp), ttl));

    private static List<RedisValue> Arguments(byte[] stamp, TimeSpan ttl) =>
        new(6) { stamp, (long)ttl.TotalMilliseconds };

    private static async Task<bool> EvaluateAsync(IDatabaseAsync db, RedisKey key, List<RedisValue> arguments)
    {
        var result = await db.ScriptEvaluateAsync(Text, [key], [.. arguments]).ConfigureAwait(false);
        return (long)result == 1;
    }
}
