using SentryFlow.ServiceDefaults;
using StackExchange.Redis;

namespace SentryFlow.Ingest.Records;

/// <summary>
/// Ids accepted per project and kind in the last 24 hours, in Redis. A post first looks its ids up (a read: nothing is
/// claimed), and only once the broker has confirmed its items marks them as accepted; so a mark only ever stands for an
/// accepted post, even when Redis applies it late (a paused server runs what it had received when it resumes), and the
/// retry of a post that failed is never taken for a duplicate. Two posts of one id at the same moment may both be
/// accepted; analytics keeps one (it deduplicates by project and id when it stores), as it does whenever Redis cannot
/// answer: then every item counts as new. Records (<c>clientId</c>) and events (<c>eventId</c>) are kept apart, so an
/// event is never taken for a retry of a record that happened to carry the same id.
/// </summary>
public sealed class IdempotencyWindow(RedisCircuit redis)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    // One round trip however many ids: SET EX for each key. A mark landing late is still true (the items were accepted).
    private static readonly LuaScript Mark = LuaScript.Prepare("""
        for i, key in ipairs(KEYS) do
          redis.call('SET', key, 1, 'EX', ARGV[1])
        end
        return #KEYS
        """);

    /// <summary>
    /// Per item, whether it is new (null id: always new); <c>Checked</c> is false when Redis could not answer, and then
    /// every item is new (analytics' store-time dedupe keeps a resent one out).
    /// </summary>
    public async Task<(bool[] Fresh, bool Checked)> LookUpAsync(IngestKind kind, Guid projectId, IReadOnlyList<string?> clientIds)
    {
        var fresh = new bool[clientIds.Count];
        var keys = new List<RedisKey>(clientIds.Count);
        var slots = new int[clientIds.Count]; // the index of each item's key in keys, or -1: a repeat within this post
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

        if (keys.Count == 0)
        {
            return (fresh, true);
        }

        var found = await redis.TryAsync(database => database.StringGetAsync([.. keys]));
        for (var i = 0; i < fresh.Length; i++)
        {
            if (slots[i] >= 0)
            {
                fresh[i] = found.Result is not { } values || values[slots[i]].IsNull;
            }
        }

        return (fresh, found.Exception is null);
    }

    /// <summary>Marks these ids accepted; call only once the broker has confirmed them. False when Redis could not answer.</summary>
    public async Task<bool> MarkAcceptedAsync(IngestKind kind, Guid projectId, IEnumerable<string> clientIds)
    {
        RedisKey[] keys = [.. clientIds.Distinct().Select(id => (RedisKey)Key(kind, projectId, id))];
        if (keys.Length == 0)
        {
            return true;
        }

        var marked = await redis.TryAsync(database => database.ScriptEvaluateAsync(Mark.ExecutableScript, keys, [(long)Window.TotalSeconds]));
        return marked.Exception is null;
    }

    /// <summary>
    /// The Redis key of one id. Records keep the key they always had (<c>sf:idem:</c>), so the marks already in Redis
    /// still catch their retries; events have their own prefix, which no record's key can begin with whatever its id.
    /// Marks events made under the shared key before the kinds were parted are not consulted for events, so an event
    /// retried across the upgrade may be accepted twice, once.
    /// </summary>
    public static string Key(IngestKind kind, Guid projectId, string id) => kind switch
    {
        IngestKind.Record => $"sf:idem:{projectId}:{id}",
        _ => $"sf:idem-event:{projectId}:{id}",
    };
}
