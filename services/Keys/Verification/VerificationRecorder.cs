using System.Collections.Concurrent;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Contracts.Keys;

namespace SentryFlow.Keys.Verification;

/// <summary>
/// Notes each verification in memory, off the hot path: which keys were used (and when) and how many
/// verifications of each key had each outcome. <see cref="VerificationFlusher"/> persists and publishes them.
/// </summary>
public sealed class VerificationRecorder(TimeProvider time)
{
    private ConcurrentDictionary<Guid, DateTimeOffset> _used = new();
    private ConcurrentDictionary<(Guid KeyId, Guid ProjectId, string Outcome), StrongBox> _counts = new();
    private long _sinceTicks = time.GetUtcNow().UtcTicks;

    public void Record(KeyState key, string outcome)
    {
        var now = time.GetUtcNow();
        if (outcome == VerifyCodes.Valid)
        {
            _used[key.KeyId] = now;
        }

        Interlocked.Increment(ref _counts.GetOrAdd((key.KeyId, key.ProjectId, outcome), _ => new StrongBox()).Value);
    }

    /// <summary>Takes the keys used since the last call.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> TakeUsed() => Interlocked.Exchange(ref _used, new());

    /// <summary>Takes the outcome counts since the last call, as one summary (null when there were none).</summary>
    public ApiKeysVerified? TakeSummary()
    {
        var counts = Interlocked.Exchange(ref _counts, new());
        var from = new DateTimeOffset(Interlocked.Exchange(ref _sinceTicks, time.GetUtcNow().UtcTicks), TimeSpan.Zero);
        return counts.IsEmpty
            ? null
            : new ApiKeysVerified(from, time.GetUtcNow(), [.. counts.Select(c => new ApiKeyVerificationCount(c.Key.KeyId, c.Key.ProjectId, c.Key.Outcome, c.Value.Value))]);
    }

    /// <summary>Puts back last-used times that could not be written.</summary>
    public void RestoreUsed(IReadOnlyDictionary<Guid, DateTimeOffset> used)
    {
        foreach (var (keyId, at) in used)
        {
            _used.AddOrUpdate(keyId, at, (_, current) => current > at ? current : at);
        }
    }

    /// <summary>Puts back counts that could not be published, so none are lost.</summary>
    public void Restore(ApiKeysVerified summary)
    {
        foreach (var count in summary.Counts)
        {
            Interlocked.Add(ref _counts.GetOrAdd((count.KeyId, count.ProjectId, count.Outcome), _ => new StrongBox()).Value, count.Count);
        }
    }

    public sealed class StrongBox
    {
        public long Value;
    }
}
