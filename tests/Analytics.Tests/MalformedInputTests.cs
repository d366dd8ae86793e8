using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>Bad or extreme query values are a 400 naming the parameter with a code; never a 500.</summary>
public sealed class MalformedInputTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    public static TheoryData<string, string, string> ExtremeRanges()
    {
        var data = new TheoryData<string, string, string>();
        string[] endpoints = ["summary", "routes", "timeseries", "requests", "consumers", "events", "lag"];
        (string Query, string Field)[] ranges =
        [
            ("from=0001-01-01&to=9999-12-31", "from"),
            ("to=0001-01-01", "to"),
            ("to=9999-12-31T23:59:59Z", "to"),
            ("from=9999-12-31T23:59:30Z", "from"),
            ("from=1999-12-31T23:00:00Z&to=2000-01-01T00:30:00Z", "from"),
            ("from=yesterday", "from"),
        ];
        foreach (var endpoint in endpoints)
        {
            foreach (var (query, field) in ranges)
            {
                data.Add(endpoint, query, field);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExtremeRanges))]
    public async Task Extreme_or_bad_times_are_a_400_naming_the_field(string endpoint, string query, string field)
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());

        using var response = await client.GetAsync($"{endpoint}?{query}");

        await ProblemAssert.ValidationAsync(response, field, "analytics.range_invalid");
    }

    [Theory]
    [InlineData("requests?route=<512+>", "route", "request.invalid")]
    [InlineData("requests?consumer=<256+>", "consumer", "request.invalid")]
    [InlineData("requests?method=<16+>", "method", "request.invalid")]
    [InlineData("requests?q=<200+>", "q", "request.invalid")]
    [InlineData("requests?cursor=<512+>", "cursor", "analytics.cursor_invalid")]
    [InlineData("requests?cursor=not-a-cursor", "cursor", "analytics.cursor_invalid")]
    [InlineData("requests?limit=-1", "limit", "request.invalid")]
    [InlineData("requests?limit=501", "limit", "request.invalid")]
    [InlineData("requests?limit=99999999999999", "limit", "request.invalid")]
    [InlineData("requests?status=200x", "status", "request.invalid")]
    [InlineData("requests?clientIp=999.1.1.1", "clientIp", "request.invalid")]
    [InlineData("routes?by=bytes", "by", "request.invalid")]
    [InlineData("routes?limit=0", "limit", "request.invalid")]
    [InlineData("timeseries?metrics=<512+>", "metrics", "request.invalid")]
    [InlineData("timeseries?interval=1s", "interval", "request.invalid")]
    [InlineData("timeseries?interval=1m&from=2024-01-01&to=2024-02-01", "interval", "analytics.too_many_points")]
    [InlineData("consumers?limit=100000", "limit", "request.invalid")]
    public async Task Bad_query_parameters_are_a_400_naming_the_parameter(string path, string field, string code)
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());

        using var response = await client.GetAsync(Expand(path));

        await ProblemAssert.ValidationAsync(response, field, code);
    }

    [Theory]
    [InlineData("route=<512+>", "route")]
    [InlineData("consumer=<256+>", "consumer")]
    [InlineData("method=<16+>", "method")]
    [InlineData("status=6xx", "status")]
    public async Task Bad_tail_filters_are_a_400_naming_the_parameter(string query, string field)
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());

        using var response = await client.GetAsync($"requests/tail?{Expand(query)}");

        await ProblemAssert.ValidationAsync(response, field, "request.invalid");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(3155378975999999999L)]
    public async Task A_well_formed_cursor_at_the_ends_of_time_is_refused(long ticks)
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var cursor = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{ticks}.{Guid.NewGuid():n}"));

        using var response = await client.GetAsync($"requests?cursor={cursor}");

        await ProblemAssert.ValidationAsync(response, "cursor", "analytics.cursor_invalid");
    }

    [Fact]
    public async Task A_cursor_within_the_years_held_is_taken()
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());
        var cursor = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{DateTime.UtcNow.Ticks}.{Guid.NewGuid():n}"));

        using var response = await client.GetAsync($"requests?cursor={cursor}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_record_that_is_not_there_is_analytics_record_not_found()
    {
        var client = new AnalyticsClient(factory, Guid.NewGuid());

        using var missing = await client.GetAsync($"requests/{Guid.NewGuid()}");
        using var badId = await client.GetAsync("requests/12345678-not-a-guid");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("analytics.record_not_found", JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
    }

    [Theory]
    [InlineData("""{"rawRetentionDays":0,"rollupRetentionDays":30,"apdexThresholdMs":500}""", "rawRetentionDays", "analytics.settings_invalid")]
    [InlineData("""{"rawRetentionDays":1e10,"rollupRetentionDays":30,"apdexThresholdMs":500}""", "rawRetentionDays", "request.invalid")]
    [InlineData("""{"rawRetentionDays":"NaN","rollupRetentionDays":30,"apdexThresholdMs":500}""", "rawRetentionDays", "request.invalid")]
    [InlineData("""{"rawRetentionDays":7,"rollupRetentionDays":30,"apdexThresholdMs":1e308}""", "apdexThresholdMs", "analytics.settings_invalid")]
    [InlineData("[]", "$", "request.invalid")]
    public async Task Bad_settings_are_a_400_naming_the_field(string json, string field, string code)
    {
        var project = Guid.NewGuid();
        using var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForProjects(OrganizationRole.Admin, project));

        using var response = await admin.PutAsync($"/api/projects/{project}/analytics/settings", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.ValidationAsync(response, field, code);
    }

    [Theory]
    [InlineData("""{"metric":"requestCount","from":"0001-01-01T00:00:00Z","to":"9999-12-31T23:59:59Z"}""", "to")]
    [InlineData("""{"metric":"requestCount","from":"9999-12-31T23:59:30Z","to":"9999-12-31T23:59:59Z"}""", "from")]
    [InlineData("""{"metric":"requestCount","windowSeconds":2147483647}""", "windowSeconds")]
    [InlineData("""{"metric":"requestCount","windowSeconds":60,"filters":{"route":"<512+>"}}""", "filters.route")]
    [InlineData("""{"metric":"requestCount","windowSeconds":60,"filters":{"consumer":"<256+>"}}""", "filters.consumer")]
    [InlineData("""{"metric":"requestCount","windowSeconds":60,"filters":{"method":"<16+>"}}""", "filters.method")]
    [InlineData("""{"metric":"<512+>","windowSeconds":60}""", "metric")]
    public async Task Bad_rule_queries_are_a_400_naming_the_field(string json, string field)
    {
        using var alerting = factory.CreateClient();
        alerting.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForService("alerting"));

        using var response = await alerting.PostAsync(
            $"/internal/v1/projects/{Guid.NewGuid()}/rule-query", new StringContent(Expand(json), Encoding.UTF8, "application/json"));

        await ProblemAssert.ValidationAsync(response, field, code: null);
    }

    [Fact]
    public async Task The_problem_catalogue_lists_the_analytics_codes()
    {
        using var client = factory.CreateClient();

        var problems = await client.GetFromJsonAsync<JsonElement[]>("/problems");

        var codes = problems!.Select(p => p.GetProperty("code").GetString()).ToHashSet();
        Assert.Subset(codes, new HashSet<string?>
        {
            "analytics.range_invalid", "analytics.cursor_invalid", "analytics.too_many_points", "analytics.record_not_found",
            "analytics.settings_invalid", "analytics.rule_query_invalid", "analytics.live_unavailable", "analytics.too_many_streams",
        });
    }

    /// <summary>"&lt;N+&gt;" becomes N + 1 characters: one more than the cap.</summary>
    private static string Expand(string text)
    {
        var start = text.IndexOf('<', StringComparison.Ordinal);
        var end = text.IndexOf("+>", StringComparison.Ordinal);
        return start < 0 || end < 0 || end < start || !int.TryParse(text[(start + 1)..end], out var cap)
            ? text
            : text[..start] + new string('a', cap + 1) + text[(end + 2)..];
    }
}
