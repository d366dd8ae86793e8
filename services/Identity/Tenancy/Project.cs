namespace SentryFlow.Identity.Tenancy;

/// <summary>An API being monitored; keys, limits, records and alerts belong to a project.</summary>
public sealed class Project
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; init; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
