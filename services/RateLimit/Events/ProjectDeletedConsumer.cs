using MassTransit;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Infrastructure;

namespace SentryFlow.RateLimit.Events;

/// <summary>A deleted project's policies go with it, and their counters; the change is announced like any other.</summary>
public sealed class ProjectDeletedConsumer(RateLimitDbContext db, RedisRateLimiter redis) : IConsumer<ProjectDeleted>
{
    public async Task Consume(ConsumeContext<ProjectDeleted> context)
    {
        var projectId = context.Message.ProjectId;
        var policies = await db.InTransactionAsync(async ct =>
        {
            var found = await db.Policies.Where(p => p.ProjectId == projectId).ToListAsync(ct);
            foreach (var policy in found)
            {
                db.Policies.Remove(policy);
                db.AddIntegrationEvent(new RateLimitPolicyChanged(projectId, policy.Id, "deleted", DateTimeOffset.UtcNow));
            }

            await db.SaveChangesAsync(ct);
            return found;
        }, context.CancellationToken);

        foreach (var policy in policies)
        {
            await redis.ResetAllAsync(RedisRateLimiter.KeyPrefix(policy.Id));
        }
    }
}
