using Microsoft.EntityFrameworkCore;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Infrastructure;

/// <summary>The ratelimit service's database: policies, their overrides and the outbox, in the <c>ratelimit</c> schema.</summary>
public class RateLimitDbContext(DbContextOptions<RateLimitDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "ratelimit";

    public DbSet<RateLimitPolicy> Policies => Set<RateLimitPolicy>();

    public DbSet<PolicyOverride> Overrides => Set<PolicyOverride>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddOutbox();

        modelBuilder.Entity<RateLimitPolicy>(policy =>
        {
            policy.ToTable("policies");
            policy.Property(p => p.Name).HasMaxLength(Limits.Name);
            policy.HasIndex(p => new { p.ProjectId, p.Name }).IsUnique();
            policy.Property(p => p.Algorithm).HasConversion<string>().HasMaxLength(32);
            policy.Property(p => p.FailureMode).HasConversion<string>().HasMaxLength(16);
            policy.OwnsMany(p => p.Limits, limits => limits.ToJson());
            policy.HasMany(p => p.Overrides).WithOne().HasForeignKey(o => o.PolicyId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PolicyOverride>(@override =>
        {
            @override.ToTable("policy_overrides");
            @override.Property(o => o.Pattern).HasMaxLength(Limits.Identifier);
            @override.Property(o => o.Target).HasConversion<string>().HasMaxLength(16);
            @override.HasIndex(o => new { o.PolicyId, o.Target, o.Pattern }).IsUnique();
            @override.OwnsMany(o => o.Limits, limits => limits.ToJson());
        });
    }
}
