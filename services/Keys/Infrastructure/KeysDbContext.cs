using Microsoft.EntityFrameworkCore;
using SentryFlow.Keys.Audit;
using SentryFlow.Keys.Keys;

namespace SentryFlow.Keys.Infrastructure;

/// <summary>The keys service's database; its tables live in the <c>keys</c> schema.</summary>
public class KeysDbContext(DbContextOptions<KeysDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "keys";

    public DbSet<ApiKey> Keys => Set<ApiKey>();

    public DbSet<ApiKeySecret> Secrets => Set<ApiKeySecret>();

    public DbSet<KeyAuditEntry> Audit => Set<KeyAuditEntry>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddOutbox();

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.OwnerId).HasMaxLength(256);
            key.Property(k => k.Meta).HasColumnType("jsonb");
            key.Property(k => k.Refill).HasConversion<string>().HasMaxLength(16);
            key.OwnsMany(k => k.RateLimits, limit => limit.ToJson());
            key.HasMany(k => k.Secrets).WithOne().HasForeignKey(s => s.KeyId).OnDelete(DeleteBehavior.Cascade);
            key.HasIndex(k => new { k.ProjectId, k.Id });
            key.HasIndex(k => new { k.ProjectId, k.OwnerId });
        });

        modelBuilder.Entity<ApiKeySecret>(secret =>
        {
            secret.HasKey(s => s.Hash);
            secret.Property(s => s.Start).HasMaxLength(40);
            secret.HasIndex(s => s.KeyId);
        });

        modelBuilder.Entity<KeyAuditEntry>(entry =>
        {
            entry.HasIndex(e => new { e.KeyId, e.Id });
            entry.Property(e => e.Actor).HasMaxLength(256);
            entry.Property(e => e.Action).HasMaxLength(32);
            entry.Property(e => e.Detail).HasMaxLength(1000);
        });
    }
}
