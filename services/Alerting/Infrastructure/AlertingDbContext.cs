using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SentryFlow.Alerting.Alerts;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;
using SentryFlow.Alerting.Silences;

namespace SentryFlow.Alerting.Infrastructure;

/// <summary>The alerting service's database; its tables live in the <c>alerting</c> schema.</summary>
public class AlertingDbContext(DbContextOptions<AlertingDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "alerting";

    private static readonly ValueComparer<Dictionary<string, string>> DictionaryComparer = new(
        (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
        d => d.Aggregate(0, (hash, pair) => hash ^ HashCode.Combine(pair.Key, pair.Value)),
        d => new Dictionary<string, string>(d));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public DbSet<AlertRule> Rules => Set<AlertRule>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<AlertTransition> Transitions => Set<AlertTransition>();

    public DbSet<Silence> Silences => Set<Silence>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<NotificationGroup> NotificationGroups => Set<NotificationGroup>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddOutbox();

        modelBuilder.Entity<AlertRule>(rule =>
        {
            rule.Property(r => r.Name).HasMaxLength(200);
            rule.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
            rule.Property(r => r.Metric).HasMaxLength(32);
            rule.Property(r => r.Condition).HasConversion<string>().HasMaxLength(16);
            rule.Property(r => r.ObjectiveKind).HasConversion<string>().HasMaxLength(16);
            rule.Property(r => r.GroupBy).HasMaxLength(16);
            rule.Property(r => r.Severity).HasMaxLength(32);
            Json(rule.Property(r => r.Labels));
            Json(rule.Property(r => r.Annotations));
            rule.OwnsOne(r => r.Filters, filters => filters.ToJson());
            rule.OwnsMany(r => r.Channels, channel =>
            {
                channel.ToJson();
                channel.Property(c => c.Type).HasConversion<string>();
            });
            rule.HasIndex(r => new { r.ProjectId, r.Id });
            rule.HasIndex(r => r.NextEvaluationAt).HasFilter("\"Enabled\"");
        });

        modelBuilder.Entity<Alert>(alert =>
        {
            alert.Property(a => a.GroupKey).HasMaxLength(500);
            alert.Property(a => a.State).HasConversion<string>().HasMaxLength(16);
            alert.Property(a => a.AcknowledgedBy).HasMaxLength(256);
            alert.Property(a => a.ResolvedBy).HasMaxLength(256);
            alert.Property(a => a.Version).IsRowVersion();
            alert.HasIndex(a => new { a.RuleId, a.GroupKey }).IsUnique();
            alert.HasIndex(a => new { a.ProjectId, a.State });
            alert.HasOne<AlertRule>().WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AlertTransition>(transition =>
        {
            transition.Property(t => t.From).HasConversion<string>().HasMaxLength(16);
            transition.Property(t => t.To).HasConversion<string>().HasMaxLength(16);
            transition.Property(t => t.Actor).HasMaxLength(256);
            transition.Property(t => t.Reason).HasMaxLength(500);
            transition.HasIndex(t => new { t.AlertId, t.Id });
            transition.HasOne<Alert>().WithMany().HasForeignKey(t => t.AlertId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Silence>(silence =>
        {
            silence.Property(s => s.CreatedBy).HasMaxLength(256);
            silence.Property(s => s.Comment).HasMaxLength(1000);
            silence.OwnsMany(s => s.Matchers, matcher => matcher.ToJson());
            silence.HasIndex(s => new { s.ProjectId, s.EndsAt });
        });

        modelBuilder.Entity<Delivery>(delivery =>
        {
            delivery.Property(d => d.Event).HasMaxLength(16);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            delivery.Property(d => d.LastError).HasMaxLength(1000);
            // Snapshots, written once and read whole.
            Json(delivery.Property(d => d.Channel));
            Json(delivery.Property(d => d.Notification));
            delivery.HasIndex(d => d.NextAttemptAt).HasFilter("\"Status\" = 'Pending'");
            delivery.HasIndex(d => new { d.ProjectId, d.CreatedAt });
            delivery.HasIndex(d => d.AlertIds).HasMethod("gin");
        });

        modelBuilder.Entity<NotificationGroup>(group =>
        {
            group.Property(g => g.Key).HasMaxLength(2000);
            Json(group.Property(g => g.Labels));
            Json(group.Property(g => g.Notified));
            group.HasIndex(g => new { g.RuleId, g.Key }).IsUnique();
            group.HasIndex(g => g.NextFlushAt).HasFilter("\"NextFlushAt\" IS NOT NULL");
            group.HasOne<AlertRule>().WithMany().HasForeignKey(g => g.RuleId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private static void Json(PropertyBuilder<Dictionary<string, string>> property) =>
        property.HasConversion(
                d => JsonSerializer.Serialize(d, JsonOptions),
                s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, JsonOptions) ?? new Dictionary<string, string>(),
                DictionaryComparer)
            .HasColumnType("jsonb");

    private static void Json<T>(PropertyBuilder<T> property) where T : class, new() =>
        property.HasConversion(
                value => JsonSerializer.Serialize(value, JsonOptions),
                json => JsonSerializer.Deserialize<T>(json, JsonOptions) ?? new T())
            .HasColumnType("jsonb");
}
