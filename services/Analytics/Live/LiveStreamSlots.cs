using Microsoft.Extensions.Options;

namespace SentryFlow.Analytics.Live;

/// <summary>
/// Counts the live streams open on this instance per user (the token's subject) and per project, so that one token
/// or one project cannot hold an unbounded number of connections and Redis subscriptions; a stream beyond
/// <see cref="LiveOptions.MaxStreamsPerUser"/> or <see cref="LiveOptions.MaxStreamsPerProject"/> is refused. A slot is
/// held from <see cref="TryAcquire"/> until the stream ends and the slot is disposed. The counts are per instance: a
/// load balancer spreading one user's streams over N instances lets N times as many through.
/// </summary>
public sealed class LiveStreamSlots(IOptions<LiveOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _byProject = [];

    /// <summary>A slot for one more stream of <paramref name="user"/> in <paramref name="projectId"/>, or null and which cap refused it.</summary>
    public IDisposable? TryAcquire(string user, Guid projectId, out LiveStreamCap refusedBy)
    {
        var limits = options.Value;
        lock (_lock)
        {
            refusedBy = _byUser.GetValueOrDefault(user) >= limits.MaxStreamsPerUser ? LiveStreamCap.User
                : _byProject.GetValueOrDefault(projectId) >= limits.MaxStreamsPerProject ? LiveStreamCap.Project
                : LiveStreamCap.None;
            if (refusedBy != LiveStreamCap.None)
            {
                return null;
            }

            _byUser[user] = _byUser.GetValueOrDefault(user) + 1;
            _byProject[projectId] = _byProject.GetValueOrDefault(projectId) + 1;
            return new Slot(this, user, projectId);
        }
    }

    private void Release(string user, Guid projectId)
    {
        lock (_lock)
        {
            Decrement(_byUser, user);
            Decrement(_byProject, projectId);
        }
    }

    // An entry at zero is removed, so the maps hold only users and projects with open streams.
    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        if (counts.GetValueOrDefault(key) <= 1)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key]--;
        }
    }

    private sealed class Slot(LiveStreamSlots owner, string user, Guid projectId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(user, projectId);
            }
        }
    }
}

/// <summary>Which cap refused a stream.</summary>
public enum LiveStreamCap
{
    None,
    User,
    Project,
}
