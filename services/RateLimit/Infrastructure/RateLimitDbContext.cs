using Microsoft.EntityFrameworkCore;

namespace SentryFlow.RateLimit.Infrastructure;

/// <summary>The ratelimit service's database; its tables live in the <c>ratelimit</c> schema.</summary>
public class RateLimitDbContext(DbContextOptions<RateLimitDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "ratelimit";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}
