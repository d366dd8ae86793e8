using System.Net;
using System.Net.Http.Json;
using SentryFlow.Contracts.IntegrationEvents;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

/// <summary>A project's ingest limit, decided by the real rate-limit service from the project's "ingest" policy.</summary>
public sealed class IngestLimitTests(IngestFixture fixture) : IClassFixture<IngestFixture>
{
    [Fact]
    public async Task Posts_over_the_projects_ingest_limit_get_429_with_ratelimit_headers_and_publish_nothing()
    {
        var project = Guid.NewGuid();
        await fixture.CreateIngestPolicyAsync(project, limit: 10, windowSeconds: 3600);

        using var client = fixture.IngestClient(await fixture.IssueKeyAsync(project, "ingest:write"));

        using var first = await client.PostAsJsonAsync("/v1/requests/batch", Records(8, "first"));
        using var second = await client.PostAsJsonAsync("/v1/requests/batch", Records(5, "second"));
        using var third = await client.PostAsJsonAsync("/v1/requests/batch", Records(2, "third"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("\"records\";q=10;w=3600", first.Headers.GetValues("RateLimit-Policy").Single());
        Assert.StartsWith("\"records\";r=2;", first.Headers.GetValues("RateLimit").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode); // costs 5, 2 are left: all or nothing
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.True(long.Parse(second.Headers.GetValues("Retry-After").Single()) > 0);
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);

        var published = await PublishedAsync(project, expected: 10);
        Assert.Equal(10, published.Count);
        Assert.DoesNotContain(published, r => r.ClientId!.StartsWith("second", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_ingest_policy_or_with_the_rate_limit_service_down_posts_are_let_in()
    {
        var project = Guid.NewGuid();
        using var client = fixture.IngestClient(await fixture.IssueKeyAsync(project, "ingest:write"));
        using var unlimited = await client.PostAsJsonAsync("/v1/requests/batch", Records(50, "unlimited"));
        Assert.Equal(HttpStatusCode.Accepted, unlimited.StatusCode);
        Assert.False(unlimited.Headers.Contains("RateLimit"));

        await using var ingest = ServiceFactory<Program>.SiblingOf(fixture.Ingest);
        ingest.Settings["services:ratelimit:http:0"] = $"http://127.0.0.1:{FreePort.Next()}"; // nothing listens there
        ingest.ConfigureTestServices = services =>
            services.AddHttpClient<IngestKeyVerifier>().ConfigurePrimaryHttpMessageHandler(() => fixture.Keys.Server.CreateHandler());
        using var ingestWithoutRateLimit = ingest.CreateClient();
        var otherProject = Guid.NewGuid();
        ingestWithoutRateLimit.DefaultRequestHeaders.Authorization = new("Bearer", await fixture.IssueKeyAsync(otherProject, "ingest:write"));

        using var failedOpen = await ingestWithoutRateLimit.PostAsJsonAsync("/v1/requests/batch", Records(3, "open"));

        Assert.Equal(HttpStatusCode.Accepted, failedOpen.StatusCode);
        Assert.Equal(3, (await PublishedAsync(otherProject, expected: 3)).Count);
    }

    private static object[] Records(int count, string prefix) => [.. Enumerable.Range(0, count).Select(i => new
    {
        clientId = $"{prefix}-{Guid.NewGuid():n}",
        timestamp = DateTimeOffset.UtcNow.AddSeconds(-1),
        method = "GET",
        host = "api.example.test",
        path = "/orders",
        status = 200,
        durationMs = 3,
    })];

    private async Task<List<RequestRecord>> PublishedAsync(Guid project, int expected)
    {
        await fixture.PublishedRecordsAsync(project, records => records.Count >= expected);
        await Task.Delay(300); // and nothing more arrives
        return fixture.PublishedRecords(project);
    }
}
