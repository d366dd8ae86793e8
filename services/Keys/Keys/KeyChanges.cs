using System.Security.Claims;
using SentryFlow.Keys.Audit;
using SentryFlow.Keys.Infrastructure;
using SentryFlow.Keys.Verification;

namespace SentryFlow.Keys.Keys;

/// <summary>
/// Commits a change to a key with its audit entry and integration event in one transaction, then makes every
/// instance forget the key's cached state, so the change holds for verification within a second.
/// </summary>
public sealed class KeyChanges(KeysDbContext db, KeyStateCache cache, IHttpContextAccessor http)
{
    public async Task CommitAsync(ApiKey key, string action, string? detail, object integrationEvent, CancellationToken cancellationToken)
    {
        // One SaveChanges is one transaction: the change, its audit entry and its event commit together.
        db.Audit.Add(new KeyAuditEntry { KeyId = key.Id, ProjectId = key.ProjectId, Actor = Actor, Action = action, Detail = detail });
        db.AddIntegrationEvent(integrationEvent);
        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync([.. key.Secrets.Select(s => s.Hash)]);
    }

    private string Actor => http.HttpContext?.User.FindFirstValue("sub") ?? "system";
}
