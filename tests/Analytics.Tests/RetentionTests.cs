using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using SentryFlow.Analytics.Storage;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The retention job (every second here, raw records kept 10 days by default) and the per-project settings.</summary>
public sealed class RetentionTests : IClassFixture<RetentionTests.Factory>
{
    private readonly Factory _factory;

    public RetentionTests(Factory factory) => _factory = factory;

    public sealed class Factory : ServiceFactory<Program>
    {
        public Factory()
        {
            Settings["Analytics:Retention:Interval"] = "00:00:01";
            Settings["Analytics:Retention:DefaultRawRetentionDays"] = "10";
            Settings["Analytics:Retention:DefaultRollupRetentionDays"] = "90";
        }
    }

    [Fact]
    public async Task The_job_drops_the_partitions_past_the_horizon_keeps_the_rest_and_its_last_run_is_visible()
    {
        _ = _factory.Server;
        var today = RecordPartitions.DayOf(DateTimeOffset.UtcNow);
        DateOnly[] expired = [today.AddDays(-40), today.AddDays(-11)];
        DateOnly[] kept = [today.AddDays(-9), today.AddDays(-4), today];
        // Roll-up rows: one past the 90 days, one within them.
        var project = Guid.NewGuid();
        const string InsertRollup = """
            INSERT INTO analytics."MinuteRollups" ("ProjectId", "Minute", "Route", "Method", "Consumer", "StatusClass", "Count",
                "Errors4xx", "Errors5xx", "BytesIn", "BytesOut", "DurationSumMs", "Histogram")
            VALUES ($1, $2, '/r', 'GET', '', 2, 1, 0, 0, 0, 0, 1, '{0,1}')
            """;
        await Database.ExecuteAsync(_factory, InsertRollup, project, DateTimeOffset.UtcNow.AddDays(-91));
        await Database.ExecuteAsync(_factory, InsertRollup, project, DateTimeOffset.UtcNow.AddDays(-89));

        // Made after the roll-up rows, so the run that drops these partitions also sees those rows.
        foreach (var day in expired.Concat(kept))
        {
            await Database.ExecuteAsync(_factory, "SELECT analytics.ensure_request_records_partition($1)", day);
        }

        using var admin = _factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TestTokens.Mint("platform-admin", new Claim("role", SentryFlowClaims.PlatformAdmin)));
        JsonElement latest = default;
        await Database.WaitUntilAsync(async () =>
        {
            var runs = JsonDocument.Parse(await admin.GetStringAsync("/api/analytics/retention?limit=100")).RootElement.Clone();
            latest = runs[0];
            var dropped = runs.EnumerateArray().SelectMany(r => r.GetProperty("droppedPartitions").EnumerateArray()).Select(p => p.GetString()).ToHashSet();
            return expired.All(d => dropped.Contains($"RequestRecords_{d:yyyyMMdd}"));
        }, "runs that dropped the expired partitions");

        Assert.Equal(today.AddDays(-10), DateOnly.Parse(latest.GetProperty("rawHorizon").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(latest.GetProperty("error").ValueKind == JsonValueKind.Null, latest.ToString());
        var partitions = await PartitionsAsync();
        Assert.DoesNotContain(partitions, p => expired.Any(d => p == $"RequestRecords_{d:yyyyMMdd}"));
        Assert.All(kept, d => Assert.Contains($"RequestRecords_{d:yyyyMMdd}", partitions));

        var rollups = await Database.ScalarAsync<long>(_factory, """SELECT count(*) FROM analytics."MinuteRollups" WHERE "ProjectId" = $1""", project);
        Assert.Equal(1, rollups);

        using var viewer = AnalyticsClient.Authorized(_factory, project);
        using var forbidden = await viewer.GetAsync("/api/analytics/retention");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_projects_shorter_raw_retention_hides_its_older_records_at_once()
    {
        _ = _factory.Server;
        await using var publisher = await RecordPublisher.StartAsync(_factory);
        var client = new AnalyticsClient(_factory, Guid.NewGuid());
        var fourDaysAgo = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(-4);
        var old = SyntheticRecords.Make(41, 30, fourDaysAgo, 10);
        var recent = SyntheticRecords.Make(42, 20, DateTimeOffset.UtcNow.AddHours(-2), 10);
        await publisher.PublishAsync(client.ProjectId, [.. old, .. recent]);
        var range = $"from={AnalyticsClient.Time(fourDaysAgo)}&to={AnalyticsClient.Time(DateTimeOffset.UtcNow)}";
        await Database.WaitUntilAsync(
            async () => (await client.GetJsonAsync($"requests?{range}&limit=500")).GetProperty("requests").GetArrayLength() == 50, "50 records");

        using var admin = _factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TestTokens.ForProjects(OrganizationRole.Admin, client.ProjectId));
        using var put = await admin.PutAsJsonAsync(
            $"/api/projects/{client.ProjectId}/analytics/settings", new { rawRetentionDays = 3, rollupRetentionDays = 30, apdexThresholdMs = 250 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var settings = await client.GetJsonAsync("settings");
        Assert.Equal(3, settings.GetProperty("rawRetentionDays").GetInt32());
        Assert.Equal(250, settings.GetProperty("apdexThresholdMs").GetDouble());
        var log = await client.GetJsonAsync($"requests?{range}&limit=500");
        Assert.Equal(recent.Select(r => r.RecordId).Order(), log.GetProperty("requests").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).Order());
        using var oldOne = await client.GetAsync($"requests/{old[0].RecordId}");
        Assert.Equal(HttpStatusCode.NotFound, oldOne.StatusCode);

        // Viewers may read the settings but not change them; nonsense is a 400 naming the field.
        using var viewer = AnalyticsClient.Authorized(_factory, client.ProjectId);
        using var denied = await viewer.PutAsJsonAsync(
            $"/api/projects/{client.ProjectId}/analytics/settings", new { rawRetentionDays = 3, rollupRetentionDays = 30, apdexThresholdMs = 250 });
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        using var bad = await admin.PutAsJsonAsync(
            $"/api/projects/{client.ProjectId}/analytics/settings", new { rawRetentionDays = 30, rollupRetentionDays = 7, apdexThresholdMs = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(problem.TryGetProperty("rollupRetentionDays", out _), problem.ToString());
        Assert.True(problem.TryGetProperty("apdexThresholdMs", out _), problem.ToString());
    }

    private async Task<List<string>> PartitionsAsync()
    {
        var names = await Database.ScalarAsync<string[]>(_factory, """
            SELECT array_agg(c.relname::text) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'analytics."RequestRecords"'::regclass
            """);
        return [.. names ?? []];
    }
}
