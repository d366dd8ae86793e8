extern alias keys;

using System.Net;
using System.Net.Http.Json;
using SentryFlow.Contracts;
using SentryFlow.Hosting.Orchestration;
using SentryFlow.Ingest.Authentication;
using SentryFlow.Testing;
using Microsoft.Extensions.DependencyInjection;
using KeysProgram = keys::Program;

namespace SentryFlow.Ingest.Tests;

/// <summary>With no broker, ingest refuses with 503 and Retry-After rather than accept what it cannot hand on.</summary>
public sealed class BrokerDownTests(IngestFixture fixture) : IClassFixture<IngestFixture>
{
    [Fact]
    public async Task Without_a_broker_a_post_gets_503_with_retry_after_never_202()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        await using var ingest = new ServiceFactory<Program>();
        ingest.ConfigureTestServices = services =>
            services.AddHttpClient<IngestKeyVerifier>().ConfigurePrimaryHttpMessageHandler(() => fixture.Keys.Server.CreateHandler());
        await ((Xunit.IAsyncLifetime)ingest).InitializeAsync();
        ingest.Settings[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/";
        using var client = ingest.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);

        using var response = await client.PostAsJsonAsync("/v1/requests", new
        {
            timestamp = DateTimeOffset.UtcNow, method = "GET", host = "h", path = "/", status = 200, durationMs = 1,
        });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task Without_the_keys_service_a_post_gets_503_quickly()
    {
        await using var ingest = new ServiceFactory<Program>();
        await ((Xunit.IAsyncLifetime)ingest).InitializeAsync();
        // Nothing listens there.
        ingest.Settings["services:keys:http:0"] = $"http://127.0.0.1:{FreePort.Next()}";
        using var client = ingest.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "sf_live_" + new string('k', 30));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await client.PostAsJsonAsync("/v1/requests", new { });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}"); // the default handler retries for 7 s or more
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
