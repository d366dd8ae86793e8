using System.Net;
using System.Text.Json;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The request log's search (words and substrings of path, error message and user agent), client IP filter and record by id.</summary>
public sealed class SearchTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddHours(-6);

    private static readonly string Range = $"from={AnalyticsClient.Time(Start)}&to={AnalyticsClient.Time(Start.AddMinutes(60))}";

    [Theory]
    [InlineData("payment")] // a word of the error message
    [InlineData("Gateway TIMEOUT")] // two words, any case, in either order
    [InlineData("okhttp")] // a word of the user agent
    [InlineData("INV-2026-00")] // a substring of the path across word boundaries
    [InlineData("ateway tim")] // substrings inside words
    [InlineData("invoices")] // a path segment
    public async Task Search_finds_exactly_the_records_a_brute_force_scan_finds_newest_first(string q)
    {
        var (client, records) = await LoadAsync(seed: 31);

        var found = await AllPagesAsync(client, $"requests?{Range}&q={Uri.EscapeDataString(q)}&limit=40");

        var expected = records.Where(r => BruteForce.Matches(r, q)).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(r => r.RecordId).Order(), found.Select(e => e.GetProperty("id").GetGuid()).Order());
        var times = found.Select(e => e.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task A_search_over_several_days_pages_newest_first_across_them()
    {
        // Three days and a bit (over three UTC midnights), read a day at a time: small pages straddle the days.
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var start = Start.AddDays(-3).AddHours(-5);
        var records = SyntheticRecords.Make(seed: 33, count: 1200, start, minutes: (3 * 24 * 60) + 600);
        await publisher.PublishAsync(client.ProjectId, records);
        var range = $"from={AnalyticsClient.Time(start)}&to={AnalyticsClient.Time(start.AddDays(4))}";
        await Database.WaitUntilAsync(
            async () => (await client.GetJsonAsync($"summary?{range}")).GetProperty("requests").GetInt64() == records.Count,
            "the records to be stored");

        foreach (var path in new[] { $"requests?{range}&q=upstream&limit=9", $"requests?{range}&status=404&limit=13" })
        {
            var found = await AllPagesAsync(client, path);

            var expected = records.Where(r => path.Contains("q=", StringComparison.Ordinal) ? BruteForce.Matches(r, "upstream") : r.Status == 404)
                .OrderByDescending(r => r.Timestamp).ToList();
            Assert.True(expected.Select(r => r.Timestamp.UtcDateTime.Date).Distinct().Count() >= 3, "matches on several days");
            Assert.Equal(expected.Select(r => r.RecordId).Order(), found.Select(e => e.GetProperty("id").GetGuid()).Order());
            var times = found.Select(e => e.GetProperty("timestamp").GetDateTimeOffset()).ToList();
            Assert.Equal(times.OrderDescending(), times);
        }
    }

    [Fact]
    public async Task Search_combines_with_the_status_and_client_ip_filters_and_never_shows_another_projects_records()
    {
        var (a, records) = await LoadAsync(seed: 32);
        var (b, _) = await LoadAsync(seed: 32); // the same traffic in another project

        var found = await AllPagesAsync(a, $"requests?{Range}&q=okhttp&status=5xx&clientIp=198.51.100.9&limit=500");

        var expected = records.Where(r => BruteForce.Matches(r, "okhttp") && r.Status >= 500 && r.ClientIp == "198.51.100.9").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(r => r.RecordId).Order(), found.Select(e => e.GetProperty("id").GetGuid()).Order());

        var fromB = await AllPagesAsync(b, $"requests?{Range}&q=gateway&limit=500");
        Assert.Empty(fromB.Select(e => e.GetProperty("id").GetGuid()).Intersect(records.Select(r => r.RecordId)));
        Assert.Equal(records.Count(r => BruteForce.Matches(r, "gateway")), fromB.Count);
    }

    [Fact]
    public async Task One_record_by_id_has_its_headers_and_bodies_and_only_in_its_project()
    {
        var (a, records) = await LoadAsync(seed: 33);
        var record = records.First(r => r.RequestHeaders is not null);

        var detail = await a.GetJsonAsync($"requests/{record.RecordId}");

        Assert.Equal(record.RecordId, detail.GetProperty("record").GetProperty("id").GetGuid());
        Assert.Equal(record.Path, detail.GetProperty("record").GetProperty("path").GetString());
        Assert.Equal(record.RequestHeaders!["accept"], detail.GetProperty("requestHeaders").GetProperty("accept").GetString());
        Assert.Equal(record.RequestBody, detail.GetProperty("requestBody").GetString());

        var b = new AnalyticsClient(factory, Guid.NewGuid());
        using var fromB = await b.GetAsync($"requests/{record.RecordId}");
        Assert.Equal(HttpStatusCode.NotFound, fromB.StatusCode);
        using var unknown = await a.GetAsync($"requests/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<(AnalyticsClient Client, List<RequestRecord> Records)> LoadAsync(int seed)
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var random = new Random(seed);
        var records = SyntheticRecords.Make(seed, 1500, Start, 60).Select((r, i) => (i % 5) switch
        {
            0 => r with { ErrorMessage = random.Next(2) == 0 ? "payment gateway timeout" : "timeout from the gateway", Status = 504 },
            1 => r with { UserAgent = $"okhttp/4.{random.Next(10)}.3", ClientIp = random.Next(2) == 0 ? "198.51.100.9" : "2001:db8::9" },
            2 => r with { Path = $"/invoices/INV-2026-{random.Next(200):0000}", RequestHeaders = new Dictionary<string, string> { ["accept"] = "application/json" }, RequestBody = "{\"n\":1}" },
            _ => r,
        }).ToList();
        await publisher.PublishAsync(client.ProjectId, records);
        await Database.WaitUntilAsync(
            async () => (await client.GetJsonAsync($"summary?{Range}")).GetProperty("requests").GetInt64() == records.Count,
            "the records to be stored");
        return (client, records);
    }

    private static async Task<List<JsonElement>> AllPagesAsync(AnalyticsClient client, string path)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync(path + (cursor is null ? "" : $"&cursor={cursor}"));
            all.AddRange(page.GetProperty("requests").EnumerateArray());
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        return all;
    }
}
