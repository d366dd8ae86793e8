using StackExchange.Redis;

namespace SentryFlow.Ingest.Records;

/// <summary>
/// Ids seen per project and kind in the last 24 hours, in Redis: the first post of an id claims it, a retry finds it
/// claimed and is counted as a duplicate. Records (<c>clientId</c>) and events (<c>eventId</c>) are kept apart, so an
/// event is never taken for a retry of a record that happened to carry the same id. Claims are released if the batch
/// could not be handed to the bus, so the sender's retry is accepted.
/// </summary>
public sealed class IdempotencyWindow(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    // One round trip per post, however many ids: SET NX EX for each key, answering 1 where the key was claimed now.
    private static readonly LuaScript Claim = LuaScript.Prepare("""
        local fresh = {}
        for i, key in ipairs(KEYS) do
          fresh[i] = redis.call('SET', key, 1, 'NX', 'EX', ARGV[1]) and 1 or 0
        end
        return fresh
        """);

    /// <summary>Claims each id (null: no id, always new); returns, per item, whether it is new.</summary>
    public async Task<bool[]> ClaimAsync(IngestKind kind, Guid projectId, IReadOnlyList<string?> clientIds)
    {
        var fresh = new bool[clientIds.Count];
        var keys = new List<RedisKey>(clientIds.Count);
        var slots = new int[clientIds.Count]; // the index of each item's key in keys, or -1
        var inThisPost = new HashSet<string>();
        for (var i = 0; i < clientIds.Count; i++)
        {
            slots[i] = -1;
            if (clientIds[i] is not { } id)
            {
                fresh[i] = true;
            }
            else if (inThisPost.Add(id))
            {
                slots[i] = keys.Count;
                keys.Add(Key(kind, projectId, id));
            }
        }

        if (keys.Count > 0)
        {
            var claimed = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Claim.ExecutableScript, [.. keys], [(long)Window.TotalSeconds]))!;
            for (var i = 0; i < fresh.Length; i++)
            {
                if (slots[i] >= 0)
                {
                    fresh[i] = (long)claimed[slots[i]] == 1;
                }
            }
        }

        return fresh;
    }

    public Task ReleaseAsync(IngestKind kind, Guid projectId, IEnumerable<string> clientIds) =>
        redis.GetDatabase().KeyDeleteAsync([.. clientIds.Select(id => (RedisKey)Key(kind, projectId, id))]);

    /// <summary>
    /// The Redis key of one id. Records keep the key they always had (<c>sf:idem:</c>), so the claims already in Redis
    /// still catch their retries; events have their own prefix, which no record's key can begin with whatever its id.
    /// Claims events made under the shared key before the kinds were parted are not consulted for events, so an event
    /// retried across the upgrade may be accepted twice, once.
    /// </summary>
    public static string Key(IngestKind kind, Guid projectId, string id) => kind switch
    {
        IngestKind.Record => $"sf:idem:{projectId}:{id}",
        _ => $"sf:idem-event:{projectId}:{id}",
    };
}
