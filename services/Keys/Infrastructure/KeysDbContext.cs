using Microsoft.EntityFrameworkCore;

namespace SentryFlow.Keys.Infrastructure;

/// <summary>The keys service's database; its tables live in the <c>keys</c> schema.</summary>
public class KeysDbContext(DbContextOptions<KeysDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "keys";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}
