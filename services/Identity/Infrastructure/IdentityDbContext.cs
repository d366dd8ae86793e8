using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Identity.Accounts;
using SentryFlow.Identity.Audit;
using SentryFlow.Identity.Tenancy;
using SentryFlow.Identity.Tokens;

namespace SentryFlow.Identity.Infrastructure;

/// <summary>
/// The identity service's database: ASP.NET Core Identity's users, OpenIddict's applications and tokens, tenancy,
/// the audit trail, the token keys and the outbox, in the <c>identity</c> schema.
/// </summary>
public class IdentityDbContext(DbContextOptions<IdentityDbContext> options)
    : IdentityDbContext<ApplicationUser, IdentityRole<Guid>, Guid>(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "identity";

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseOpenIddict<Guid>();
        modelBuilder.AddOutbox();

        modelBuilder.Entity<ApplicationUser>(user => user.Property(u => u.DisplayName).HasMaxLength(Limits.DisplayName));

        modelBuilder.Entity<Organization>(organization =>
        {
            organization.Property(o => o.Name).HasMaxLength(Limits.Name);
            organization.HasMany(o => o.Projects).WithOne().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            organization.HasMany(o => o.Members).WithOne().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Project>(project =>
        {
            project.Property(p => p.Name).HasMaxLength(Limits.Name);
            project.HasIndex(p => new { p.OrganizationId, p.Name }).IsUnique();
        });

        modelBuilder.Entity<Membership>(membership =>
        {
            membership.HasKey(m => new { m.OrganizationId, m.UserId });
            membership.HasIndex(m => m.UserId);
            membership.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
            membership.HasOne<ApplicationUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.HasIndex(e => new { e.OrganizationId, e.At });
            entry.HasIndex(e => new { e.SubjectUserId, e.At });
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.Actor).HasMaxLength(256);
            entry.Property(e => e.Target).HasMaxLength(512);
            entry.Property(e => e.IpAddress).HasMaxLength(64);
            entry.Property(e => e.UserAgent).HasMaxLength(512);
        });

        modelBuilder.Entity<SigningKey>(key => key.HasKey(k => k.Use));
    }
}
