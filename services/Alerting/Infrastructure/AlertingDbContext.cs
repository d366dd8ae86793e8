using Microsoft.EntityFrameworkCore;

namespace SentryFlow.Alerting.Infrastructure;

/// <summary>The alerting service's database; its tables live in the <c>alerting</c> schema.</summary>
public class AlertingDbContext(DbContextOptions<AlertingDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "alerting";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}
