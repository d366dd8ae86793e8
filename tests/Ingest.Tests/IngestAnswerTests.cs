using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Ingest.Records;
using SentryFlow.Testing;
using StackExchange.Redis;

namespace SentryFlow.Ingest.Tests;

/// <summary>
/// What ingest answers and keeps apart: each error with its code from <c>IngestProblems</c>, a credential no key can be
/// refused as such (401, not 503), an undecompressable body as bad input, records and events deduplicated separately,
/// and metrics in Prometheus's conventions after real traffic.
/// </summary>
public sealed class IngestAnswerTests(IngestFixture fixture) : IClassFixture<IngestFixture>
{
    private static object Record(string clientId) => new
    {
        clientId,
        timestamp = DateTimeOffset.UtcNow.AddSeconds(-1),
        method = "GET",
        host = "api.example.test",
        path = "/orders",
        status = 200,
        durationMs = 3,
    };

    private static object Event(string eventId) => new { eventId, type = "deploy", timestamp = DateTimeOffset.UtcNow.AddSeconds(-1) };

    private static async Task<string> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

    [Fact]
    public async Task An_event_whose_id_a_record_used_is_accepted_not_dropped_as_a_duplicate()
    {
        var project = Guid.NewGuid();
        using var client = fixture.IngestClient(await fixture.IssueKeyAsync(project, "ingest:write"));
        var id = Guid.NewGuid().ToString("n");

        using var record = await client.PostAsJsonAsync("/v1/requests", Record(id));
        using var sameEvent = await client.PostAsJsonAsync("/v1/events", Event(id));
        using var eventAgain = await client.PostAsJsonAsync("/v1/events", Event(id));
        using var recordAgain = await client.PostAsJsonAsync("/v1/requests", Record(id));

        var accepted = await sameEvent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, accepted.GetProperty("accepted").GetInt32());
        Assert.Equal(0, accepted.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, (await eventAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        Assert.Equal(1, (await recordAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        await fixture.PublishedRecordsAsync(project, records => records.Any(r => r.ClientId == id));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!PublishedEvents(project).Any(e => e.EventId == id))
        {
            Assert.True(DateTime.UtcNow < deadline, "the event never reached the bus");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Record_claims_already_in_redis_still_catch_retries_and_do_not_block_events()
    {
        var project = Guid.NewGuid();
        using var client = fixture.IngestClient(await fixture.IssueKeyAsync(project, "ingest:write"));
        var id = Guid.NewGuid().ToString("n");
        // A claim as ingest wrote it before records and events were parted: sf:idem:{project}:{id}.
        var redis = fixture.Ingest.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await redis.StringSetAsync($"sf:idem:{project}:{id}", 1, IdempotencyWindow.Window);

        using var record = await client.PostAsJsonAsync("/v1/requests", Record(id));
        using var @event = await client.PostAsJsonAsync("/v1/events", Event(id));

        Assert.Equal(1, (await record.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        Assert.Equal(1, (await @event.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal($"sf:idem:{project}:{id}", IdempotencyWindow.Key(IngestKind.Record, project, id));
        Assert.NotEqual(IdempotencyWindow.Key(IngestKind.Record, project, "event:" + id), IdempotencyWindow.Key(IngestKind.Event, project, id));
    }

    [Fact]
    public async Task A_credential_longer_than_any_key_is_a_401_not_a_503()
    {
        using var client = fixture.IngestClient("sf_live_" + new string('x', 200));

        using var response = await client.PostAsJsonAsync("/v1/requests", Record(Guid.NewGuid().ToString("n")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode); // was 503: keys' 400 read as "key service down"
        Assert.Equal("ingest.key_invalid", await CodeAsync(response));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, "ingest.key_invalid")]
    [InlineData(HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, "ingest.key_invalid")]
    [InlineData(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, "ingest.key_service_unavailable")]
    public async Task Only_a_keys_service_answering_5xx_makes_ingest_answer_503(HttpStatusCode keysAnswer, HttpStatusCode expected, string code)
    {
        await using var ingest = ServiceFactory<Program>.SiblingOf(fixture.Ingest);
        ingest.ConfigureTestServices = services =>
            services.AddHttpClient<IngestKeyVerifier>().ConfigurePrimaryHttpMessageHandler(() => new FixedAnswer(keysAnswer));
        using var client = ingest.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sf_live_" + Guid.NewGuid().ToString("n"));

        using var response = await client.PostAsJsonAsync("/v1/requests", Record(Guid.NewGuid().ToString("n")));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(code, await CodeAsync(response));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task A_body_that_does_not_decompress_is_a_400_not_a_500(string encoding)
    {
        using var client = fixture.IngestClient(await fixture.IssueKeyAsync("ingest:write"));
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("this is not compressed data at all, just text"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(encoding);

        using var response = await client.PostAsync("/v1/requests/batch", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ingest.body_invalid", await CodeAsync(response));
    }

    [Fact]
    public async Task Every_error_answer_carries_an_ingest_code()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        using var keyed = fixture.IngestClient(key);
        using var scopeless = fixture.IngestClient(await fixture.IssueKeyAsync("read"));
        using var anonymous = fixture.IngestClient(null);

        using var missing = await anonymous.PostAsJsonAsync("/v1/requests", Record("a"));
        using var unknown = await fixture.IngestClient("sf_live_" + new string('x', 30)).PostAsJsonAsync("/v1/requests", Record("a"));
        using var forbidden = await scopeless.PostAsJsonAsync("/v1/requests", Record("a"));
        using var notJson = await keyed.PostAsync("/v1/requests", new StringContent("{", Encoding.UTF8, "application/json"));
        using var badItem = await keyed.PostAsJsonAsync("/v1/requests", new { method = "FETCH" });
        using var text = await keyed.PostAsync("/v1/requests", new StringContent("hello", Encoding.UTF8, "text/plain"));
        using var problems = await anonymous.GetAsync("/problems");

        Assert.Equal((HttpStatusCode.Unauthorized, "ingest.key_missing"), (missing.StatusCode, await CodeAsync(missing)));
        Assert.Equal((HttpStatusCode.Unauthorized, "ingest.key_invalid"), (unknown.StatusCode, await CodeAsync(unknown)));
        Assert.Equal((HttpStatusCode.Forbidden, "ingest.key_forbidden"), (forbidden.StatusCode, await CodeAsync(forbidden)));
        Assert.Equal((HttpStatusCode.BadRequest, "ingest.body_invalid"), (notJson.StatusCode, await CodeAsync(notJson)));
        Assert.Equal((HttpStatusCode.BadRequest, "ingest.payload_invalid"), (badItem.StatusCode, await CodeAsync(badItem)));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "ingest.media_type_unsupported"), (text.StatusCode, await CodeAsync(text)));
        var codes = (await problems.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains("ingest.broker_unavailable", codes);
        Assert.Contains("ingest.rate_limited", codes);
    }

    [Fact]
    public async Task After_real_traffic_ingest_keys_and_rate_limit_metrics_pass_promtool()
    {
        var project = Guid.NewGuid();
        await fixture.CreateIngestPolicyAsync(project, limit: 100, windowSeconds: 60);
        using var client = fixture.IngestClient(await fixture.IssueKeyAsync(project, "ingest:write"));
        var id = Guid.NewGuid().ToString("n");
        using var posted = await client.PostAsJsonAsync("/v1/requests/batch", new[] { Record(id), Record(id), new { method = "FETCH" } });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        foreach (var (service, http) in new[] { ("ingest", fixture.Ingest.CreateClient()), ("keys", fixture.Keys.CreateClient()), ("ratelimit", fixture.RateLimit.CreateClient()) })
        {
            using (http)
            {
                var exposition = await http.GetStringAsync("/metrics");
                var findings = await Promtool.CheckMetricsAsync(exposition);
                Assert.True(findings.Length == 0, $"{service}: {findings}");
                if (service == "ingest")
                {
                    Assert.Contains("sentryflow_ingest_publish_duration_seconds_bucket", exposition, StringComparison.Ordinal);
                    Assert.Contains("sentryflow_ingest_received_bytes_total", exposition, StringComparison.Ordinal);
                }
                else if (service == "ratelimit")
                {
                    Assert.Contains("ratelimit_redis_duration_seconds_bucket", exposition, StringComparison.Ordinal);
                }
            }
        }
    }

    private List<IngestedEvent> PublishedEvents(Guid projectId) =>
        [.. fixture.Published.OfType<EventsAccepted>().Where(b => b.ProjectId == projectId).SelectMany(b => b.Events)];

    /// <summary>A keys service that answers every call with one status (an outage, or a request it refuses).</summary>
    private sealed class FixedAnswer(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("{}", Encoding.UTF8, "application/problem+json") });
    }
}
