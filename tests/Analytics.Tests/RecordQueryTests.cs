using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>Batches published as ingest publishes them, queried back and checked against a brute-force computation.</summary>
public sealed class RecordQueryTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const int Minutes = 60;

    private static readonly DateTimeOffset Start = HourFloor(DateTimeOffset.UtcNow).AddHours(-3);

    private static readonly DateTimeOffset End = Start.AddMinutes(Minutes);

    private static readonly string Range = $"from={AnalyticsClient.Time(Start)}&to={AnalyticsClient.Time(End)}";

    [Fact]
    public async Task Published_batches_are_queryable_within_two_seconds()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        await LoadAsync(publisher, seed: 1, count: 10); // warm up: the service is started, its queues bound

        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var records = SyntheticRecords.Make(2, 2000, Start, Minutes);
        var stopwatch = Stopwatch.StartNew();
        await publisher.PublishAsync(client.ProjectId, records);
        await WaitForCountAsync(client, records.Count, TimeSpan.FromSeconds(2));
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task The_summary_equals_a_brute_force_computation()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var (client, records) = await LoadAsync(publisher, seed: 3, count: 3000);

        var summary = await client.GetJsonAsync($"summary?{Range}");

        Assert.Equal(records.Count, summary.GetProperty("requests").GetInt64());
        Assert.Equal(records.Count(r => r.Status is >= 400 and < 500), summary.GetProperty("errors4xx").GetInt64());
        Assert.Equal(records.Count(r => r.Status >= 500), summary.GetProperty("errors5xx").GetInt64());
        Assert.Equal(BruteForce.ErrorRate(records), summary.GetProperty("errorRate").GetDouble());
        Assert.Equal(records.Sum(r => r.RequestSize ?? 0), summary.GetProperty("bytesIn").GetInt64());
        Assert.Equal(records.Sum(r => r.ResponseSize ?? 0), summary.GetProperty("bytesOut").GetInt64());
        Assert.Equal(records.Where(r => r.Consumer is not null).Select(r => r.Consumer).Distinct().Count(), summary.GetProperty("uniqueConsumers").GetInt64());
        Assert.Equal(records.Where(r => r.Route is not null).Select(r => r.Route).Distinct().Count(), summary.GetProperty("uniqueRoutes").GetInt64());
        Assert.Equal((double)records.Count / Minutes, summary.GetProperty("requestsPerMinute").GetDouble(), 9);
        foreach (var (name, quantile) in new[] { ("p50", 0.5), ("p95", 0.95), ("p99", 0.99) })
        {
            BruteForce.WithinTwoPercent(BruteForce.Percentile(records, quantile), summary.GetProperty(name).GetDouble(), name);
        }
    }

    [Fact]
    public async Task Top_routes_and_the_time_series_equal_a_brute_force_computation()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var (client, records) = await LoadAsync(publisher, seed: 4, count: 3000);

        var routes = (await client.GetJsonAsync($"routes?{Range}&by=traffic&limit=100")).GetProperty("routes").EnumerateArray().ToList();
        var expected = records.GroupBy(r => r.Route ?? "").OrderByDescending(g => g.Count()).ToList();
        Assert.Equal(expected.Count, routes.Count);
        Assert.Equal(expected.Select(g => (long)g.Count()), routes.Select(r => r.GetProperty("requests").GetInt64()));
        foreach (var route in routes)
        {
            var name = route.GetProperty("route").ValueKind == JsonValueKind.Null ? "" : route.GetProperty("route").GetString()!;
            var group = expected.Single(g => g.Key == name).ToList();
            Assert.Equal(group.Count, route.GetProperty("requests").GetInt64());
            Assert.Equal(BruteForce.ErrorRate(group), route.GetProperty("errorRate").GetDouble());
            BruteForce.WithinTwoPercent(BruteForce.Percentile(group, 0.95), route.GetProperty("p95").GetDouble(), $"p95 of {name}");
        }

        var byErrors = (await client.GetJsonAsync($"routes?{Range}&by=errorRate&limit=1")).GetProperty("routes").EnumerateArray().Single();
        Assert.Equal(expected.Max(g => BruteForce.ErrorRate(g.ToList())), byErrors.GetProperty("errorRate").GetDouble());

        var series = await client.GetJsonAsync($"timeseries?{Range}&interval=5m&metrics=requests,errors,errorRate,p95");
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(Minutes / 5, points.Count);
        foreach (var point in points)
        {
            var time = point.GetProperty("time").GetDateTimeOffset();
            var bucket = records.Where(r => r.Timestamp >= time && r.Timestamp < time.AddMinutes(5)).ToList();
            var values = point.GetProperty("values");
            Assert.Equal(bucket.Count, values.GetProperty("requests").GetDouble());
            Assert.Equal(BruteForce.Errors(bucket), values.GetProperty("errors").GetDouble());
            Assert.Equal(BruteForce.ErrorRate(bucket), values.GetProperty("errorRate").GetDouble());
            BruteForce.WithinTwoPercent(BruteForce.Percentile(bucket, 0.95), values.GetProperty("p95").GetDouble(), $"p95 at {time:O}");
        }

        var hourly = await client.GetJsonAsync($"timeseries?{Range}&interval=1h&metrics=requests");
        Assert.Equal(records.Count, hourly.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("values").GetProperty("requests").GetDouble()));
    }

    [Fact]
    public async Task The_request_log_filters_and_pages_newest_first()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var (client, records) = await LoadAsync(publisher, seed: 5, count: 2000);
        var expected = records.Where(r => r.Status >= 500 && r.Route == "/orders/{id}" && r.Method == "GET").ToList();

        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync($"requests?{Range}&status=5xx&route={Uri.EscapeDataString("/orders/{id}")}&method=get&limit=7"
                + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("requests").EnumerateArray());
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.Equal(expected.Select(r => r.RecordId).Order(), seen.Select(e => e.GetProperty("id").GetGuid()).Order());
        var times = seen.Select(e => e.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);

        var consumer = await client.GetJsonAsync($"requests?{Range}&consumer=customer-2&status=200&limit=500");
        Assert.Equal(
            records.Count(r => r.Consumer == "customer-2" && r.Status == 200),
            consumer.GetProperty("requests").GetArrayLength());
    }

    [Fact]
    public async Task A_redelivered_or_resent_batch_is_counted_once()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var records = SyntheticRecords.Make(6, 1000, Start, Minutes);
        var batches = await publisher.PublishAsync(client.ProjectId, records);
        await WaitForCountAsync(client, records.Count, TimeSpan.FromSeconds(15));

        // The same messages again (a redelivery), and the records resent under new ingest ids (same client ids).
        foreach (var batch in batches)
        {
            await publisher.PublishAsync(batch);
        }

        var resent = records.Where(r => r.ClientId is not null).Select(r => r with { RecordId = Guid.NewGuid() }).ToList();
        await publisher.PublishAsync(client.ProjectId, resent);
        var sentinel = SyntheticRecords.Make(7, 1, Start, 1);
        await publisher.PublishAsync(client.ProjectId, sentinel);
        await WaitForCountAsync(client, records.Count + 1, TimeSpan.FromSeconds(15));
        await Task.Delay(1000); // anything still in flight

        var summary = await client.GetJsonAsync($"summary?{Range}");
        Assert.Equal(records.Count + 1, summary.GetProperty("requests").GetInt64());
        var log = await client.GetJsonAsync($"requests?{Range}&limit=500&status=200");
        Assert.Equal(Math.Min(500, records.Concat(sentinel).Count(r => r.Status == 200)), log.GetProperty("requests").GetArrayLength());
    }

    [Fact]
    public async Task Project_B_never_sees_project_As_records()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var (a, _) = await LoadAsync(publisher, seed: 8, count: 200);
        var b = new AnalyticsClient(factory, Guid.NewGuid());

        Assert.Equal(0, (await b.GetJsonAsync($"summary?{Range}")).GetProperty("requests").GetInt64());
        Assert.Equal(0, (await b.GetJsonAsync($"requests?{Range}")).GetProperty("requests").GetArrayLength());
        Assert.Empty((await b.GetJsonAsync($"routes?{Range}")).GetProperty("routes").EnumerateArray());

        using var bsToken = AnalyticsClient.Authorized(factory, b.ProjectId);
        using var forbidden = await bsToken.GetAsync($"/api/projects/{a.ProjectId}/analytics/summary?{Range}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var anonymous = factory.CreateClient();
        using var unauthorized = await anonymous.GetAsync($"/api/projects/{a.ProjectId}/analytics/summary");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Theory]
    [InlineData("timeseries?metrics=requests,bogus", "metrics")]
    [InlineData("timeseries?interval=7m", "interval")]
    [InlineData("timeseries?from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z&interval=1m", "interval")]
    [InlineData("summary?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("summary?from=yesterday", "from")]
    [InlineData("routes?by=latency", "by")]
    [InlineData("routes?limit=0", "limit")]
    [InlineData("requests?cursor=not-a-cursor", "cursor")]
    [InlineData("requests?status=6xx", "status")]
    [InlineData("requests?clientIp=not-an-address", "clientIp")]
    public async Task Bad_parameters_are_400_problem_details_naming_the_field(string path, string field)
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {problem}");
    }

    private async Task<(AnalyticsClient Client, List<RequestRecord> Records)> LoadAsync(RecordPublisher publisher, int seed, int count)
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var records = SyntheticRecords.Make(seed, count, Start, Minutes);
        await publisher.PublishAsync(client.ProjectId, records);
        await WaitForCountAsync(client, records.Count, TimeSpan.FromSeconds(30));
        return (client, records);
    }

    private static async Task WaitForCountAsync(AnalyticsClient client, long count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var stored = (await client.GetJsonAsync($"summary?{Range}")).GetProperty("requests").GetInt64();
            if (stored == count)
            {
                return;
            }

            Assert.True(deadline.Elapsed < timeout, $"{stored} of {count} records stored after {timeout}");
            await Task.Delay(50);
        }
    }

    private static DateTimeOffset HourFloor(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
}
