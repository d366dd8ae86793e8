using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Analytics.Rollups;
using SentryFlow.Contracts.Analytics;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The rule query alerting evaluates with, checked against a brute-force computation over the same records.</summary>
public sealed class RuleQueryTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Request_metrics_over_a_range_equal_a_brute_force_computation()
    {
        var (projectId, records, start, end) = await LoadAsync(seed: 11, count: 3000, minutesAgo: 120);
        var all = new RuleQueryRequest(RuleMetrics.RequestCount, From: start, To: end);

        var count = await QueryAsync(projectId, all);
        Assert.Equal(records.Count, count.Value);
        Assert.Equal(records.Count, count.Count);
        Assert.Empty(count.Groups);

        var errorRate = await QueryAsync(projectId, all with { Metric = RuleMetrics.ErrorRate });
        Assert.Equal(BruteForce.ErrorRate(records), errorRate.Value);

        var count5xx = await QueryAsync(projectId, all with { Metric = RuleMetrics.Count5xx });
        Assert.Equal(records.Count(r => r.Status >= 500), count5xx.Value);

        var p95 = await QueryAsync(projectId, all with { Metric = RuleMetrics.Latency, Quantile = 0.95 });
        BruteForce.WithinTwoPercent(BruteForce.Percentile(records, 0.95), p95.Value, "p95");
    }

    [Fact]
    public async Task Filters_and_groups_equal_a_brute_force_computation()
    {
        var (projectId, records, start, end) = await LoadAsync(seed: 12, count: 3000, minutesAgo: 120);

        var filtered = await QueryAsync(projectId, new RuleQueryRequest(
            RuleMetrics.RequestCount, From: start, To: end, Filters: new RuleQueryFilters("/orders/{id}", "get", StatusClass: 5)));
        Assert.Equal(records.Count(r => r.Route == "/orders/{id}" && r.Method == "GET" && r.Status / 100 == 5), filtered.Value);

        var byConsumer = await QueryAsync(projectId, new RuleQueryRequest(
            RuleMetrics.ErrorRate, From: start, To: end, Filters: new RuleQueryFilters(Method: "GET"), GroupBy: "consumer"));
        var expected = records.Where(r => r.Method == "GET").GroupBy(r => r.Consumer ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(g => g.Key), byConsumer.Groups.Select(g => g.Group));
        foreach (var (group, answer) in expected.Zip(byConsumer.Groups))
        {
            Assert.Equal(group.Count(), answer.Count);
            Assert.Equal(BruteForce.ErrorRate(group.ToList()), answer.Value);
        }

        var byRoute = await QueryAsync(projectId, new RuleQueryRequest(RuleMetrics.Latency, From: start, To: end, Quantile: 0.5, GroupBy: "route"));
        foreach (var answer in byRoute.Groups)
        {
            var group = records.Where(r => (r.Route ?? "") == answer.Group).ToList();
            BruteForce.WithinTwoPercent(BruteForce.Percentile(group, 0.5), answer.Value, $"p50 of '{answer.Group}'");
        }
    }

    [Fact]
    public async Task Slow_requests_over_folded_days_hours_and_minutes_equal_a_brute_force_count_at_a_bucket_boundary()
    {
        // 0.1 ms · 1.02^349 ≈ 100.9 ms is a bucket boundary: there, counting whole buckets is exact.
        var threshold = LatencyHistogram.MinimumMs * Math.Pow(LatencyHistogram.Growth, 349);
        // A whole closed UTC day two days back (days fold), with ragged hours and minutes either side.
        var day = RollupPlan.Floor(DateTimeOffset.UtcNow, TimeSpan.FromDays(1)).AddDays(-2);
        var start = day.AddHours(-2).AddMinutes(17);
        var end = day.AddDays(1).AddHours(3).AddMinutes(43);
        var projectId = Guid.NewGuid();
        var records = SyntheticRecords.Make(16, 4000, start, (int)(end - start).TotalMinutes - 1);
        // Durations a hair either side of the threshold: one bucket apart, so a boundary off by one bucket shows.
        for (var i = 0; i < 200; i++)
        {
            records[i * 20] = records[i * 20] with { DurationMs = threshold * (i % 2 == 0 ? 1.001 : 0.999) };
        }

        await StoreAsync(projectId, records, start, end);
        await factory.Services.GetRequiredService<RollupFolder>().FoldAsync(CancellationToken.None);
        Assert.True(await Database.ScalarAsync<long>(factory,
            """SELECT count(*) FROM analytics."DayRollups" WHERE "ProjectId" = $1 AND "Day" = $2""", projectId, day) > 0, "the day was folded");

        var slow = new RuleQueryRequest(RuleMetrics.SlowCount, From: start, To: end, ThresholdMs: threshold);
        var all = await QueryAsync(projectId, slow);
        Assert.Equal(records.Count(r => r.DurationMs >= threshold), all.Value);
        Assert.Equal(records.Count, all.Count);

        var filters = new RuleQueryFilters("/orders/{id}", "GET", StatusClass: 2);
        var filtered = await QueryAsync(projectId, slow with { Filters = filters });
        Assert.Equal(records.Count(r => r.Route == "/orders/{id}" && r.Method == "GET" && r.Status / 100 == 2 && r.DurationMs >= threshold), filtered.Value);

        // A consumer is only in the minutes.
        var byConsumer = await QueryAsync(projectId, slow with { GroupBy = "consumer" });
        var expected = records.GroupBy(r => r.Consumer ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(g => g.Key), byConsumer.Groups.Select(g => g.Group));
        Assert.Equal(expected.Select(g => (double?)g.Count(r => r.DurationMs >= threshold)), byConsumer.Groups.Select(g => g.Value));

        // Off a boundary the threshold is rounded up to the next one: requests under 2 % above it may count as fast.
        var at300 = await QueryAsync(projectId, slow with { ThresholdMs = 300 });
        Assert.InRange(at300.Value!.Value, records.Count(r => r.DurationMs >= 300 * LatencyHistogram.Growth), records.Count(r => r.DurationMs >= 300));

        // A late slow record makes its folded hour and day dirty: it counts at once, from the minutes.
        var late = records[1] with { RecordId = Guid.NewGuid(), ClientId = null, Timestamp = day.AddHours(5).AddMinutes(7), DurationMs = threshold * 3 };
        await StoreAsync(projectId, [.. records, late], start, end, [late]);
        Assert.Equal(records.Count(r => r.DurationMs >= threshold) + 1, (await QueryAsync(projectId, slow)).Value);
    }

    [Fact]
    public async Task A_window_counts_back_from_now_and_no_traffic_is_zero_requests_and_no_error_rate()
    {
        var (projectId, records, _, _) = await LoadAsync(seed: 13, count: 500, minutesAgo: 30);

        var lastHour = await QueryAsync(projectId, new RuleQueryRequest(RuleMetrics.RequestCount, WindowSeconds: 3600));
        Assert.Equal(records.Count, lastHour.Value);

        var silent = Guid.NewGuid();
        Assert.Equal(0, (await QueryAsync(silent, new RuleQueryRequest(RuleMetrics.RequestCount, WindowSeconds: 300))).Value);
        var noRate = await QueryAsync(silent, new RuleQueryRequest(RuleMetrics.ErrorRate, WindowSeconds: 300));
        Assert.Null(noRate.Value);
        Assert.Equal(0, noRate.Count);
    }

    [Fact]
    public async Task Signals_and_ingest_lag_are_answered_from_their_minute_tables()
    {
        var projectId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using var publisher = await RecordPublisher.StartAsync(factory);
        long[] rejected = [7, 5, 3];
        foreach (var (count, i) in rejected.Select((c, i) => (c, i)))
        {
            await publisher.PublishAsync(
                new RateLimitExceeded(projectId, Guid.NewGuid(), "api", "burst", $"keyId=k{i}", count, now.AddMinutes(-3), now.AddMinutes(-2 + i)), Guid.NewGuid());
        }

        await publisher.PublishAsync(new ApiKeysVerified(now.AddMinutes(-1).AddSeconds(-5), now.AddMinutes(-1),
        [
            new(Guid.NewGuid(), projectId, "VALID", 100),
            new(Guid.NewGuid(), projectId, "NOT_FOUND", 4),
            new(Guid.NewGuid(), projectId, "EXPIRED", 2),
            new(Guid.NewGuid(), Guid.NewGuid(), "NOT_FOUND", 50),
        ]), Guid.NewGuid());
        var records = SyntheticRecords.Make(14, 300, now.AddMinutes(-20), 10);
        await publisher.PublishAsync(projectId, records);

        var rejections = new RuleQueryRequest(RuleMetrics.RateLimitRejections, WindowSeconds: 600);
        await WaitForAsync(projectId, rejections, rejected.Sum());
        await WaitForAsync(projectId, rejections with { Metric = RuleMetrics.KeyVerificationFailures }, 6);

        var lag = new RuleQueryRequest(RuleMetrics.IngestLag, WindowSeconds: 600, Quantile: 0.99);
        var deadline = Stopwatch.StartNew();
        RuleQueryResponse answer;
        while ((answer = await QueryAsync(projectId, lag)).Count != records.Count)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"lag of {answer.Count} of {records.Count} records");
            await Task.Delay(50);
        }

        Assert.NotNull(answer.Value);
        Assert.InRange(answer.Value.Value, 0, 60_000);
        Assert.Null((await QueryAsync(Guid.NewGuid(), lag)).Value);
        Assert.Equal(0, (await QueryAsync(Guid.NewGuid(), rejections)).Value);
    }

    [Theory]
    [InlineData("""{"metric":"cpu","windowSeconds":60}""", "metric")]
    [InlineData("""{"windowSeconds":60}""", "metric")]
    [InlineData("""{"metric":"errorRate","windowSeconds":-5}""", "windowSeconds")]
    [InlineData("""{"metric":"errorRate"}""", "windowSeconds")]
    [InlineData("""{"metric":"latency","windowSeconds":60}""", "quantile")]
    [InlineData("""{"metric":"latency","windowSeconds":60,"quantile":1.5}""", "quantile")]
    [InlineData("""{"metric":"errorRate","windowSeconds":60,"groupBy":"host"}""", "groupBy")]
    [InlineData("""{"metric":"errorRate","windowSeconds":60,"filters":{"statusClass":9}}""", "filters.statusClass")]
    [InlineData("""{"metric":"errorRate","from":"2026-01-02T00:00:00Z","to":"2026-01-01T00:00:00Z"}""", "from")]
    [InlineData("""{"metric":"slowCount","windowSeconds":60}""", "thresholdMs")]
    [InlineData("""{"metric":"slowCount","windowSeconds":60,"thresholdMs":0}""", "thresholdMs")]
    [InlineData("""{"metric":"slowCount","windowSeconds":60,"thresholdMs":-300}""", "thresholdMs")]
    [InlineData("""{"metric":"errorRate","windowSeconds":60,"thresholdMs":300}""", "thresholdMs")]
    public async Task Bad_queries_get_400_naming_the_field(string body, string field)
    {
        var projectId = Guid.NewGuid();
        using var response = await ServiceClient().PostAsync(Path(projectId), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Fact]
    public async Task Only_services_may_call_it()
    {
        var projectId = Guid.NewGuid();
        var request = new RuleQueryRequest(RuleMetrics.RequestCount, WindowSeconds: 60);

        using var anonymous = await factory.CreateClient().PostAsJsonAsync(Path(projectId), request);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Not even the project's owner: the dashboards have their own API.
        using var owner = AnalyticsClient.Authorized(factory, projectId);
        owner.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForProjects(OrganizationRole.Owner, projectId));
        using var refused = await owner.PostAsJsonAsync(Path(projectId), request);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private async Task WaitForAsync(Guid projectId, RuleQueryRequest request, double expected)
    {
        var deadline = Stopwatch.StartNew();
        double? value;
        while ((value = (await QueryAsync(projectId, request)).Value) != expected)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"{request.Metric} is {value}, not {expected}");
            await Task.Delay(50);
        }
    }

    private static string Path(Guid projectId) => $"/internal/v1/projects/{projectId}/rule-query";

    private HttpClient ServiceClient()
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForService("alerting"));
        return http;
    }

    private async Task<RuleQueryResponse> QueryAsync(Guid projectId, RuleQueryRequest request)
    {
        using var response = await ServiceClient().PostAsJsonAsync(Path(projectId), request, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<RuleQueryResponse>(body, Json)!;
    }

    /// <summary>Records over the 30 minutes starting <paramref name="minutesAgo"/> minutes ago, stored before it returns.</summary>
    private async Task<(Guid ProjectId, List<RequestRecord> Records, DateTimeOffset Start, DateTimeOffset End)> LoadAsync(int seed, int count, int minutesAgo)
    {
        var projectId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(-minutesAgo);
        var records = SyntheticRecords.Make(seed, count, start, 29);
        await StoreAsync(projectId, records, start, start.AddMinutes(30));
        return (projectId, records, start, start.AddMinutes(30));
    }

    /// <summary>Publishes <paramref name="publish"/> (default all of <paramref name="records"/>) and waits until the project has <paramref name="records"/> in [start, end).</summary>
    private async Task StoreAsync(
        Guid projectId, IReadOnlyCollection<RequestRecord> records, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<RequestRecord>? publish = null)
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        await publisher.PublishAsync(projectId, publish ?? [.. records]);

        var all = new RuleQueryRequest(RuleMetrics.RequestCount, From: start, To: end);
        var deadline = Stopwatch.StartNew();
        while ((await QueryAsync(projectId, all)).Value != records.Count)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "records not stored within 30 s");
            await Task.Delay(50);
        }
    }
}
