using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Policies;

/// <summary>
/// Policies in memory for the hot path, per project. A project is loaded on first use and dropped when a
/// <c>RateLimitPolicyChanged</c> event arrives (every instance receives it) or when this instance changes it; as a
/// safety net an entry is also reloaded after <see cref="MaxAge"/>, serving the old copy while it reloads.
/// </summary>
public sealed partial class PolicyCache(IServiceScopeFactory scopes, TimeProvider time, ILogger<PolicyCache> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<Guid, Entry> _projects = new();

    public ValueTask<ProjectPolicies> GetAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        if (_projects.TryGetValue(projectId, out var entry))
        {
            if (entry.Load.IsCompletedSuccessfully)
            {
                if (time.GetTimestamp() - entry.LoadedAt > MaxAge.TotalSeconds * time.TimestampFrequency)
                {
                    Refresh(projectId, entry);
                }

                return ValueTask.FromResult(entry.Load.Result);
            }

            if (!entry.Load.IsFaulted && !entry.Load.IsCanceled)
            {
                return new ValueTask<ProjectPolicies>(entry.Load.WaitAsync(cancellationToken));
            }

            _projects.TryRemove(KeyValuePair.Create(projectId, entry));
        }

        var created = _projects.GetOrAdd(projectId, id => new Entry(LoadAsync(id), time.GetTimestamp()));
        return new ValueTask<ProjectPolicies>(created.Load.WaitAsync(cancellationToken));
    }

    /// <summary>Forgets a project's policies; the next check loads them again.</summary>
    public void Invalidate(Guid projectId) => _projects.TryRemove(projectId, out _);

    private void Refresh(Guid projectId, Entry stale)
    {
        // Mark the entry as being refreshed so one caller reloads; the old copy serves meanwhile.
        var marked = stale with { LoadedAt = long.MaxValue / 2 };
        if (!_projects.TryUpdate(projectId, marked, stale))
        {
            return;
        }

        var fresh = new Entry(LoadAsync(projectId), time.GetTimestamp());
        fresh.Load.ContinueWith(
            task =>
            {
                // Unless the project was invalidated meanwhile: then the next caller loads it afresh.
                if (task.IsCompletedSuccessfully)
                {
                    _projects.TryUpdate(projectId, fresh, marked);
                }
                else
                {
                    _projects.TryRemove(KeyValuePair.Create(projectId, marked));
                }
            },
            TaskScheduler.Default);
    }

    private async Task<ProjectPolicies> LoadAsync(Guid projectId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RateLimitDbContext>();
            var policies = await db.Policies.AsNoTracking().AsSplitQuery()
                .Include(p => p.Overrides)
                .Where(p => p.ProjectId == projectId)
                .OrderBy(p => p.Name)
                .ToListAsync();
            return new ProjectPolicies([.. policies.Select(p => new CompiledPolicy(p))]);
        }
        catch (Exception exception)
        {
            LogLoadFailed(logger, exception, projectId);
            throw;
        }
    }

    private sealed record Entry(Task<ProjectPolicies> Load, long LoadedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the rate-limit policies of project {ProjectId} failed")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, Guid projectId);
}
