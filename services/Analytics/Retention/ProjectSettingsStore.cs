using Microsoft.Extensions.Options;
using Npgsql;

namespace SentryFlow.Analytics.Retention;

/// <summary>Reads and writes <see cref="ProjectSettings"/>, filling in <see cref="RetentionOptions"/>' defaults.</summary>
public sealed class ProjectSettingsStore(NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, TimeProvider time)
{
    public AnalyticsSettings Defaults => new(
        options.Value.DefaultRawRetentionDays, options.Value.DefaultRollupRetentionDays, options.Value.DefaultApdexThresholdMs);

    public async Task<AnalyticsSettings> GetAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """SELECT "RawRetentionDays", "RollupRetentionDays", "ApdexThresholdMs" FROM analytics."ProjectSettings" WHERE "ProjectId" = $1""");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AnalyticsSettings(reader.GetInt32(0), reader.GetInt32(1), reader.GetDouble(2))
            : Defaults;
    }

    public async Task SetAsync(Guid projectId, AnalyticsSettings settings, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO analytics."ProjectSettings" ("ProjectId", "RawRetentionDays", "RollupRetentionDays", "ApdexThresholdMs", "UpdatedAt")
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT ("ProjectId") DO UPDATE SET "RawRetentionDays" = excluded."RawRetentionDays",
                "RollupRetentionDays" = excluded."RollupRetentionDays", "ApdexThresholdMs" = excluded."ApdexThresholdMs", "UpdatedAt" = excluded."UpdatedAt"
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.RawRetentionDays });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.RollupRetentionDays });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = settings.ApdexThresholdMs });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The earliest time a project's raw records are still shown (older ones await their partition's drop).</summary>
    public async Task<DateTimeOffset> RawHorizonAsync(Guid projectId, CancellationToken cancellationToken) =>
        time.GetUtcNow().AddDays(-(await GetAsync(projectId, cancellationToken)).RawRetentionDays);
}
