using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Analytics.Live;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The live view: per-second frames fed by the consumer through Redis, per project, for the project's viewers.</summary>
public sealed class LiveViewTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_watcher_receives_the_seconds_counts_and_another_projects_watcher_nothing_of_them()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        using var watcherA = await OpenAsync(a);
        using var watcherB = await OpenAsync(b);

        // One message: the consumer stores it in one transaction and publishes it as one piece, so one frame holds it.
        var records = SyntheticRecords.Make(21, 40, DateTimeOffset.UtcNow.AddMinutes(-5), 5);
        await publisher.PublishAsync(new RequestRecordsAccepted(Guid.NewGuid(), a, Guid.NewGuid(), DateTimeOffset.UtcNow, records));

        var frame = await NextBusySecondAsync(watcherA);
        Assert.Equal(records.Count, frame.GetProperty("requests").GetInt64());
        Assert.Equal(records.Count(r => r.Status is >= 400 and < 500), frame.GetProperty("errors4xx").GetInt64());
        Assert.Equal(records.Count(r => r.Status >= 500), frame.GetProperty("errors5xx").GetInt64());
        Assert.Equal(BruteForce.Errors(records), frame.GetProperty("errors").GetInt64());
        BruteForce.WithinTwoPercent(BruteForce.Percentile(records, 0.95), frame.GetProperty("p95").GetDouble(), "p95");

        // B's frames up to and including that second are all empty (and come every second all the same).
        var second = frame.GetProperty("time").GetDateTimeOffset();
        DateTimeOffset time;
        do
        {
            var other = await watcherB.NextAsync("second", Wait);
            time = other.GetProperty("time").GetDateTimeOffset();
            Assert.Equal(0, other.GetProperty("requests").GetInt64());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, other.GetProperty("p95").ValueKind);
        }
        while (time < second);
    }

    [Fact]
    public async Task A_viewer_of_another_project_is_forbidden_and_an_anonymous_caller_unauthorized()
    {
        var project = Guid.NewGuid();
        using var otherViewer = AnalyticsClient.Authorized(factory, Guid.NewGuid());
        foreach (var path in new[] { "live", "requests/tail" })
        {
            using var forbidden = await otherViewer.GetAsync($"/api/projects/{project}/analytics/{path}");
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            using var anonymous = factory.CreateClient();
            using var unauthorized = await anonymous.GetAsync($"/api/projects/{project}/analytics/{path}");
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }
    }

    [Fact]
    public async Task A_closed_stream_leaves_no_subscription_behind()
    {
        var project = Guid.NewGuid();
        var subscriptions = factory.Services.GetRequiredService<LiveSubscriptions>();
        var live = await OpenAsync(project);
        var tail = await SseClient.OpenAsync(AnalyticsClient.Authorized(factory, project), $"/api/projects/{project}/analytics/requests/tail");
        Assert.Equal(1, await LiveRedis.SubscribersAsync(LiveChannels.Stats(project)));
        Assert.Equal(1, await LiveRedis.SubscribersAsync(LiveChannels.Tail(project)));
        Assert.Equal(2, subscriptions.Active);

        live.Dispose();
        tail.Dispose();

        var deadline = DateTime.UtcNow + Wait;
        while (subscriptions.Active > 0
            || await LiveRedis.SubscribersAsync(LiveChannels.Stats(project)) > 0
            || await LiveRedis.SubscribersAsync(LiveChannels.Tail(project)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{subscriptions.Active} streams still subscribed after the clients left");
            await Task.Delay(50);
        }
    }

    private Task<SseClient> OpenAsync(Guid project) =>
        SseClient.OpenAsync(AnalyticsClient.Authorized(factory, project), $"/api/projects/{project}/analytics/live");

    private static async Task<System.Text.Json.JsonElement> NextBusySecondAsync(SseClient watcher)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var frame = await watcher.NextAsync("second", deadline - DateTime.UtcNow);
            if (frame.GetProperty("requests").GetInt64() > 0)
            {
                return frame;
            }
        }
    }
}
