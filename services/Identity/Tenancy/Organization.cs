namespace SentryFlow.Identity.Tenancy;

/// <summary>A tenant: it owns projects and has members.</summary>
public sealed class Organization
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public List<Project> Projects { get; init; } = [];

    public List<Membership> Members { get; init; } = [];
}
