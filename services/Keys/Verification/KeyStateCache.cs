using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Keys.Infrastructure;
using SentryFlow.ServiceDefaults;
using StackExchange.Redis;

namespace SentryFlow.Keys.Verification;

/// <summary>
/// Key state by secret hash, in two levels: this instance's memory (30 s) and Redis (shared, 5 min), in front of
/// PostgreSQL. A change to a key deletes its Redis entry and broadcasts the hash on a Redis channel that every
/// instance listens to, so each drops it from memory at once; the delete is repeated half a second later to beat
/// a reader that loaded the old state just before the change. Unknown hashes are cached briefly too, so a flood
/// of made-up (but well-formed) keys does not reach the database. Reads and fills of the shared level go through the
/// <see cref="RedisCircuit"/>: with Redis away, state comes from memory or PostgreSQL within its timeout (at once while
/// its breaker is open), and the shared level is skipped.
/// </summary>
public sealed class KeyStateCache(IConnectionMultiplexer redis, RedisCircuit circuit, IServiceScopeFactory scopes, TimeProvider time) : IHostedService
{
    private static readonly RedisChannel Invalidations = RedisChannel.Literal("sf:keys:invalidated");
    private static readonly TimeSpan LocalLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LocalMissingLifetime = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SharedLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SharedMissingLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SecondDeleteDelay = TimeSpan.FromMilliseconds(500);
    private const string MissingMarker = "-";

    private readonly ConcurrentDictionary<string, (KeyState? State, DateTimeOffset Until)> _local = new();

    public async Task StartAsync(CancellationToken cancellationToken) =>
        await redis.GetSubscriber().SubscribeAsync(Invalidations, (channel, message) =>
        {
            foreach (var hash in ((string)message!).Split(','))
            {
                _local.TryRemove(hash, out _);
            }
        });

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Invalidations);

    public async ValueTask<KeyState?> GetAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(hash);
        var now = time.GetUtcNow();
        if (_local.TryGetValue(id, out var entry) && entry.Until > now)
        {
            return entry.State;
        }

        var shared = await circuit.TryAsync(database => database.StringGetAsync(SharedKey(id)));
        KeyState? state;
        if (shared.Result.HasValue)
        {
            state = shared.Result == MissingMarker ? null : JsonSerializer.Deserialize<KeyState>(shared.Result.ToString());
        }
        else
        {
            state = await LoadAsync(hash, cancellationToken);
            if (shared.Exception is null)
            {
                // Not while Redis fails: a fill that landed late could outlive an invalidation sent meanwhile.
                await circuit.TryAsync(database => database.StringSetAsync(SharedKey(id), state is null ? MissingMarker : JsonSerializer.Serialize(state),
                    state is null ? SharedMissingLifetime : SharedLifetime));
            }
        }

        _local[id] = (state, now + (state is null ? LocalMissingLifetime : LocalLifetime));
        return state;
    }

    /// <summary>Makes every instance forget these secrets' state; call after the change is committed.</summary>
    public async Task InvalidateAsync(IReadOnlyCollection<byte[]> hashes)
    {
        if (hashes.Count == 0)
        {
            return;
        }

        var ids = hashes.Select(Convert.ToHexStringLower).ToArray();
        await ForgetAsync(ids);
        _ = Task.Delay(SecondDeleteDelay).ContinueWith(_ => ForgetAsync(ids), TaskScheduler.Default);
    }

    private async Task ForgetAsync(string[] ids)
    {
        foreach (var id in ids)
        {
            _local.TryRemove(id, out _);
        }

        var database = redis.GetDatabase();
        await database.KeyDeleteAsync([.. ids.Select(id => (RedisKey)SharedKey(id))]);
        await database.PublishAsync(Invalidations, string.Join(',', ids));
    }

    private async Task<KeyState?> LoadAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeysDbContext>();
        var found = await db.Secrets.AsNoTracking()
            .Where(s => s.Hash == hash)
            .Join(db.Keys.Where(k => k.RevokedAt == null), s => s.KeyId, k => k.Id, (s, k) => new { Secret = s, Key = k })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var key = found.Key;
        var expires = (key.ExpiresAt, found.Secret.ExpiresAt) switch
        {
            (null, var secret) => secret,
            (var own, null) => own,
            (var own, var secret) => own < secret ? own : secret,
        };
        return new KeyState(key.Id, key.ProjectId, key.OwnerId, key.Meta, [.. key.Permissions], key.Enabled, expires,
            key.Remaining, key.Refill, key.RefillAmount, key.Cost, [.. key.RateLimits]);
    }

    private static string SharedKey(string id) => $"sf:keystate:{id}";
}
