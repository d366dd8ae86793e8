using Microsoft.EntityFrameworkCore;

namespace SentryFlow.Analytics.Infrastructure;

/// <summary>The analytics service's database; its tables live in the <c>analytics</c> schema.</summary>
public class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "analytics";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}
