using Microsoft.EntityFrameworkCore;

namespace SentryFlow.Ingest.Infrastructure;

/// <summary>The ingest service's database; its tables live in the <c>ingest</c> schema.</summary>
public class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "ingest";

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
    }
}
