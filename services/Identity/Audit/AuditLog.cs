using System.Security.Claims;
using SentryFlow.Identity.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Audit;

/// <summary>Records audit entries with the caller and their address taken from the current request.</summary>
public sealed class AuditLog(IdentityDbContext db, IHttpContextAccessor http)
{
    /// <summary>Adds an entry to the unit of work; it is saved with the change it records.</summary>
    public void Add(string action, bool succeeded, Guid? organizationId = null, Guid? subjectUserId = null, string? target = null, string? actor = null)
    {
        var context = http.HttpContext;
        db.AuditEntries.Add(new AuditEntry
        {
            Action = action,
            Succeeded = succeeded,
            OrganizationId = organizationId,
            SubjectUserId = subjectUserId,
            Target = Truncate(target, 512),
            Actor = Truncate(actor ?? context?.User.FindFirstValue(Claims.Subject), 256),
            IpAddress = context?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(context?.Request.Headers.UserAgent.ToString(), 512),
        });
    }

    /// <summary>Adds an entry and saves it at once (for actions with no other change to save, such as a failed sign-in).</summary>
    public async Task RecordAsync(string action, bool succeeded, Guid? organizationId = null, Guid? subjectUserId = null, string? target = null, string? actor = null)
    {
        Add(action, succeeded, organizationId, subjectUserId, target, actor);
        await db.SaveChangesAsync();
    }

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
