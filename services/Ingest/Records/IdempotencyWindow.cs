using StackExchange.Redis;

namespace SentryFlow.Ingest.Records;

/// <summary>
/// Client ids seen per project in the last 24 hours, in Redis: the first post of an id claims it, a retry finds it
/// claimed and is counted as a duplicate. Claims are released if the batch could not be handed to the bus, so the
/// sender's retry is accepted.
/// </summary>
public sealed class IdempotencyWindow(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>Claims each id (null: no id, always new); returns, per item, whether it is new.</summary>
    public async Task<bool[]> ClaimAsync(Guid projectId, IReadOnlyList<string?> clientIds)
    {
        var fresh = new bool[clientIds.Count];
        var batch = redis.GetDatabase().CreateBatch();
        var claims = new Task<bool>?[clientIds.Count];
        var inThisBatch = new HashSet<string>();
        for (var i = 0; i < clientIds.Count; i++)
        {
            if (clientIds[i] is not { } id)
            {
                fresh[i] = true;
            }
            else if (inThisBatch.Add(id))
            {
                claims[i] = batch.StringSetAsync(Key(projectId, id), 1, Window, When.NotExists);
            }
        }

        batch.Execute();
        for (var i = 0; i < claims.Length; i++)
        {
            if (claims[i] is { } claim)
            {
                fresh[i] = await claim;
            }
        }

        return fresh;
    }

    public Task ReleaseAsync(Guid projectId, IEnumerable<string> clientIds) =>
        redis.GetDatabase().KeyDeleteAsync([.. clientIds.Select(id => (RedisKey)Key(projectId, id))]);

    private static string Key(Guid projectId, string clientId) => $"sf:idem:{projectId}:{clientId}";
}
