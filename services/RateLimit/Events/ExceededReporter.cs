using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Options;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.RateLimit.Decisions;

namespace SentryFlow.RateLimit.Events;

/// <summary>
/// Gathers rejections in memory and publishes one <see cref="RateLimitExceeded"/> per policy and identifier per
/// interval. Summaries are telemetry from the hot path, not state changes: they are published directly (best effort;
/// a crash loses at most one interval's summaries), never through the database.
/// </summary>
public sealed partial class ExceededReporter(IServiceScopeFactory scopes, TimeProvider time, IOptions<RateLimitOptions> options, ILogger<ExceededReporter> logger)
    : BackgroundService
{
    private const int MaxPending = 10_000;
    private ConcurrentDictionary<(Guid PolicyId, string Identifier), Summary> _pending = new();

    public void Record(Decision decision)
    {
        var pending = _pending;
        if (pending.Count >= MaxPending && !pending.ContainsKey((decision.Policy.Id, decision.Identifier)))
        {
            return; // bounded: a flood of distinct identifiers must not grow memory without end
        }

        var now = time.GetUtcNow();
        var limit = decision.Binding?.Name ?? "";
        var summary = pending.GetOrAdd((decision.Policy.Id, decision.Identifier),
            _ => new Summary(decision.Policy.ProjectId, decision.Policy.Name, now));
        lock (summary)
        {
            summary.Rejected++;
            summary.LastAt = now;
            summary.LimitName = limit;
        }
    }

    /// <summary>Publishes what has gathered since the last flush; returns how many summaries.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var batch = Interlocked.Exchange(ref _pending, new());
        if (batch.IsEmpty)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var events = batch.Select(pair =>
        {
            lock (pair.Value)
            {
                var s = pair.Value;
                return new RateLimitExceeded(s.ProjectId, pair.Key.PolicyId, s.PolicyName, s.LimitName, pair.Key.Identifier, s.Rejected, s.FirstAt, s.LastAt);
            }
        }).ToList();
        await publisher.PublishBatch(events, cancellationToken);
        return events.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExceededReportInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPublishFailed(logger, exception);
            }
        }
    }

    private sealed class Summary(Guid projectId, string policyName, DateTimeOffset firstAt)
    {
        public Guid ProjectId { get; } = projectId;

        public string PolicyName { get; } = policyName;

        public DateTimeOffset FirstAt { get; } = firstAt;

        public DateTimeOffset LastAt { get; set; } = firstAt;

        public string LimitName { get; set; } = "";

        public long Rejected { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing rate-limit exceeded summaries failed; they are dropped")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
