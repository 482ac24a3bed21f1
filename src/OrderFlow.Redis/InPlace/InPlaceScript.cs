using System.Globalization;
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
    // KEYS[1]: the key. ARGV[1]: the length it must have; ARGV[2]: the stamp it must end with; ARGV[3]: the TTL in
    // milliseconds; then pairs of (offset, bytes) to write. Answers 1 when written, 0 when the key is not as expected.
    private const string Text = """
        local length = tonumber(ARGV[1])
        if redis.call('STRLEN', KEYS[1]) ~= length then return 0 end
        if redis.call('GETRANGE', KEYS[1], length - #ARGV[2], length - 1) ~= ARGV[2] then return 0 end
        for i = 4, #ARGV, 2 do redis.call('SETRANGE', KEYS[1], tonumber(ARGV[i]), ARGV[i + 1]) end
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    /// <summary>Queues the edit on <paramref name="db"/> (a database or a batch); true when it was applied.</summary>
    public static Task<bool> RunAsync(IDatabaseAsync db, RedisKey key, ArrayEdit edit, TimeSpan ttl)
    {
        var arguments = Arguments(edit.ExpectedLength, edit.ExpectedStamp, ttl);
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
        EvaluateAsync(db, key, Arguments(layout.Length, WriteStamp.ToArray(layout.Stamp), ttl));

    private static List<RedisValue> Arguments(int length, byte[] stamp, TimeSpan ttl) =>
        new(7) { length, stamp, ((long)ttl.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) };

    private static async Task<bool> EvaluateAsync(IDatabaseAsync db, RedisKey key, List<RedisValue> arguments)
    {
        var result = await db.ScriptEvaluateAsync(Text, [key], [.. arguments]).ConfigureAwait(false);
        return (long)result == 1;
    }
}
