using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

/// <summary>A consumer on the service's RabbitMQ virtual host that keeps every <see cref="RateLimitExceeded"/> it receives.</summary>
public sealed class ExceededCollector(ConcurrentQueue<RateLimitExceeded> received) : IConsumer<RateLimitExceeded>
{
    public static async Task<(IHost Host, ConcurrentQueue<RateLimitExceeded> Received)> StartAsync(RateLimitFactory factory)
    {
        var received = new ConcurrentQueue<RateLimitExceeded>();
        var host = await BusConsumerHost.StartAsync(factory.ConnectionString(SentryFlowResources.Messaging),
            services => services.AddSingleton(received), bus => bus.AddConsumer<ExceededCollector>());
        return (host, received);
    }

    public Task Consume(ConsumeContext<RateLimitExceeded> context)
    {
        received.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class ExceededEventsTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    [Fact]
    public async Task Rejections_are_published_as_RateLimitExceeded_summaries_per_policy_and_identifier()
    {
        var (host, received) = await ExceededCollector.StartAsync(factory);
        using var _ = host;
        var project = Guid.NewGuid();
        using var admin = factory.ClientFor(OrganizationRole.Admin, project);
        var policy = await admin.CreatePolicyAsync(project, PolicyClient.Policy("tight", "slidingLog", 1, 3600));
        var policyId = policy.GetProperty("id").GetGuid();
        using var member = factory.ClientFor(OrganizationRole.Member, project);

        // One admitted decision first, for an identifier of its own: this factory's first decision also pays for cold
        // code paths, and on a loaded test host that once outlasted the Redis timeout, so the fail-open fallback
        // admitted a request the count below expects rejected.
        var (warmStatus, _, warmResponse) = await member.CheckAsync(new { projectId = project, policy = "tight", keyId = "warm-up" });
        warmResponse.Dispose();
        Assert.Equal(HttpStatusCode.OK, warmStatus);

        // k1: 1 admitted, 4 rejected; k2: 1 admitted, 2 rejected; k3: admitted only.
        var statuses = new List<HttpStatusCode>();
        var sending = Stopwatch.StartNew();
        foreach (var (key, count) in new[] { ("k1", 5), ("k2", 3), ("k3", 1) })
        {
            for (var i = 0; i < count; i++)
            {
                var (status, _, response) = await member.CheckAsync(new { projectId = project, policy = "tight", keyId = key });
                response.Dispose();
                statuses.Add(status);
            }
        }

        sending.Stop();
        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // The factory reports every 0.5 s: wait until every rejection is accounted for (a flush may fall between two).
        var deadline = Stopwatch.StartNew();
        List<RateLimitExceeded> events;
        while ((events = [.. received.Where(e => e.ProjectId == project)]).Sum(e => e.Rejected) < 6)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"{events.Sum(e => e.Rejected)} of 6 rejections reported after 20 s");
            await Task.Delay(100);
        }

        await Task.Delay(1000); // one more interval: nothing further (no double reporting)
        events = [.. received.Where(e => e.ProjectId == project)];
        Assert.Equal(6, events.Sum(e => e.Rejected));
        Assert.Equal(["keyId=k1", "keyId=k2"], events.Select(e => e.Identifier).Distinct().Order());
        Assert.Equal(4, events.Where(e => e.Identifier == "keyId=k1").Sum(e => e.Rejected));
        Assert.Equal(2, events.Where(e => e.Identifier == "keyId=k2").Sum(e => e.Rejected));
        // Summaries, not one event per rejection: at most one per identifier per 0.5 s interval the requests spanned
        // (normally 2 events in all; the bound only grows if this machine was slow to send them).
        var intervals = 2 + (int)(sending.Elapsed / TimeSpan.FromMilliseconds(500));
        Assert.True(events.Count <= Math.Min(5, 2 * intervals), $"{events.Count} events for 6 rejections sent in {sending.ElapsedMilliseconds} ms");
        Assert.All(events, e =>
        {
            Assert.Equal(policyId, e.PolicyId);
            Assert.Equal("tight", e.PolicyName);
            Assert.Equal("main", e.LimitName);
            Assert.True(e.FirstRejectedAt <= e.LastRejectedAt);
            Assert.InRange(e.LastRejectedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        });
    }
}
