using Microsoft.EntityFrameworkCore;

namespace SentryFlow.Identity.Infrastructure;

/// <summary>The identity service's database; its tables live in the <c>identity</c> schema.</summary>
public class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "identity";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}
