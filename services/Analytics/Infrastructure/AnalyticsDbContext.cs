using Microsoft.EntityFrameworkCore;
using SentryFlow.Analytics.Retention;
using SentryFlow.Analytics.Rollups;
using SentryFlow.Analytics.Signals;
using SentryFlow.Analytics.Storage;

namespace SentryFlow.Analytics.Infrastructure;

/// <summary>
/// The analytics service's database; its tables live in the <c>analytics</c> schema. The raw records table
/// (<c>"RequestRecords"</c>, partitioned by day) is created by the migrations' SQL and kept out of the model: it is
/// written by binary COPY and read with SQL.
/// </summary>
public class AnalyticsDbContext(DbContextOptions<AnalyticsDbContext> options) : DbContext(options)
{
    /// <summary>The schema that holds this service's tables.</summary>
    public const string Schema = "analytics";

    public DbSet<MinuteRollup> MinuteRollups => Set<MinuteRollup>();

    public DbSet<RecordKey> RecordKeys => Set<RecordKey>();

    public DbSet<StoredEvent> Events => Set<StoredEvent>();

    public DbSet<SignalMinute> SignalMinutes => Set<SignalMinute>();

    public DbSet<LagMinute> LagMinutes => Set<LagMinute>();

    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    public DbSet<ProjectSettings> ProjectSettings => Set<ProjectSettings>();

    public DbSet<RetentionRun> RetentionRuns => Set<RetentionRun>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        base.OnModelCreating(modelBuilder);

        modelBuilder.Entity<MinuteRollup>(rollup =>
        {
            rollup.HasKey(r => new { r.ProjectId, r.Minute, r.Route, r.Method, r.Consumer, r.StatusClass });
            rollup.Property(r => r.Histogram).HasColumnType("bigint[]");
        });

        modelBuilder.Entity<RecordKey>(key => key.HasKey(k => new { k.ProjectId, k.Key }));

        modelBuilder.Entity<StoredEvent>(stored =>
        {
            stored.HasKey(e => new { e.ProjectId, e.EventId });
            stored.Property(e => e.Payload).HasColumnType("jsonb");
            stored.HasIndex(e => new { e.ProjectId, e.Type, e.Timestamp });
        });

        modelBuilder.Entity<SignalMinute>(signal => signal.HasKey(s => new { s.ProjectId, s.Minute, s.Signal }));

        modelBuilder.Entity<LagMinute>(lag =>
        {
            lag.HasKey(l => new { l.ProjectId, l.Minute });
            lag.Property(l => l.Histogram).HasColumnType("bigint[]");
        });

        modelBuilder.Entity<ProcessedMessage>(processed =>
        {
            processed.HasKey(m => m.MessageId);
            processed.HasIndex(m => m.ProcessedAt);
        });

        modelBuilder.Entity<ProjectSettings>(settings => settings.HasKey(s => s.ProjectId));

        modelBuilder.Entity<RetentionRun>(run => run.HasIndex(r => r.StartedAt));
    }
}
