extern alias keys;

using System.Net;
using System.Net.Http.Json;
using SentryFlow.Contracts;
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
    public async Task A_broker_cut_mid_stream_gets_503_with_retry_after_and_every_202_arrives_once_it_is_back()
    {
        var project = Guid.NewGuid();
        var key = await fixture.IssueKeyAsync(project, "ingest:write");
        var broker = new Uri(fixture.Ingest.ConnectionString(SentryFlowResources.Messaging));
        await using var proxy = new CuttableTcpProxy(broker);
        // A second ingest on the fixture's virtual host (so the fixture's consumer sees what it publishes), through the proxy.
        await using var ingest = ServiceFactory<Program>.SiblingOf(fixture.Ingest);
        ingest.Settings[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = proxy.AmqpUriVia(broker).ToString();
        ingest.ConfigureTestServices = fixture.Ingest.ConfigureTestServices;
        using var client = ingest.CreateClient();
        await client.WaitForHealthyAsync();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var refusals = 0;
        var refusalsWithoutRetryAfter = 0;
        var phase = 0; // 0: broker there, 1: cut, 2: back
        var acceptedAfterRestore = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        async Task SendAsync()
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref acceptedAfterRestore) < 20)
            {
                var records = Enumerable.Range(0, 10).Select(_ => new
                {
                    clientId = Guid.NewGuid().ToString("n"), timestamp = DateTimeOffset.UtcNow, method = "GET", host = "h", path = "/", status = 200, durationMs = 1,
                }).ToList();
                var sentIn = Volatile.Read(ref phase);
                using var response = await client.PostAsJsonAsync("/v1/requests/batch", records);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    records.ForEach(r => acknowledged.Add(r.clientId));
                    if (sentIn == 2)
                    {
                        Interlocked.Increment(ref acceptedAfterRestore);
                    }
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Interlocked.Increment(ref refusals);
                    if (response.Headers.RetryAfter is null)
                    {
                        Interlocked.Increment(ref refusalsWithoutRetryAfter);
                    }

                    await Task.Delay(100);
                }
            }
        }

        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(SendAsync)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Volatile.Write(ref phase, 1);
        proxy.Cut();
        await Task.Delay(TimeSpan.FromSeconds(3));
        proxy.Restore();
        Volatile.Write(ref phase, 2);
        await Task.WhenAll(senders);

        Assert.True(refusals > 0, "the cut was never noticed");
        Assert.Equal(0, refusalsWithoutRetryAfter);
        Assert.True(acceptedAfterRestore >= 20, "ingest did not accept again once the broker was back");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HashSet<string?> published;
        do
        {
            await Task.Delay(200);
            published = [.. fixture.PublishedRecords(project).Select(r => r.ClientId)];
        }
        while (!acknowledged.All(published.Contains) && DateTime.UtcNow < deadline);

        var missing = acknowledged.Where(id => !published.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} records answered 202 never arrived");
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
