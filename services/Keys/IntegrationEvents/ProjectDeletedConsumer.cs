using MassTransit;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Keys.Infrastructure;
using SentryFlow.Keys.Keys;

namespace SentryFlow.Keys.IntegrationEvents;

/// <summary>A deleted project's keys are revoked, so they stop verifying everywhere.</summary>
public sealed class ProjectDeletedConsumer(KeysDbContext db, KeyChanges changes) : IConsumer<ProjectDeleted>
{
    public async Task Consume(ConsumeContext<ProjectDeleted> context)
    {
        var keys = await db.Keys.Include(k => k.Secrets)
            .Where(k => k.ProjectId == context.Message.ProjectId && k.RevokedAt == null)
            .ToListAsync(context.CancellationToken);
        foreach (var key in keys)
        {
            key.RevokedAt = context.Message.DeletedAt;
            await changes.CommitAsync(key, "revoked", "project deleted", new ApiKeyRevoked(key.Id, key.ProjectId, context.Message.DeletedAt),
                context.CancellationToken);
        }
    }
}
