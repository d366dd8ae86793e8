using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>The live tail: each newly stored record once, filtered as the request log filters, per project.</summary>
public sealed class LiveTailTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Stored_records_appear_once_and_a_filtered_tail_shows_only_matching_ones()
    {
        await using var publisher = await RecordPublisher.StartAsync(factory);
        var (project, other) = (Guid.NewGuid(), Guid.NewGuid());
        using var all = await OpenAsync(project, "");
        using var errors = await OpenAsync(project, "?status=5xx&method=get");
        using var others = await OpenAsync(other, "");

        var records = SyntheticRecords.Make(31, 60, DateTimeOffset.UtcNow.AddMinutes(-10), 10)
            .Select((r, i) => r with { ClientId = $"tail-{i}" }).ToList();
        var batch = new RequestRecordsAccepted(Guid.NewGuid(), project, Guid.NewGuid(), DateTimeOffset.UtcNow, records);
        await publisher.PublishAsync(batch);

        var seen = await RecordsAsync(all, records.Count);
        Assert.Equal(records.Select(r => r.RecordId).Order(), seen.Select(e => e.GetProperty("id").GetGuid()).Order());
        var sample = records[7];
        var shown = seen.Single(e => e.GetProperty("id").GetGuid() == sample.RecordId);
        Assert.Equal(sample.Path, shown.GetProperty("path").GetString());
        Assert.Equal(sample.Status, shown.GetProperty("status").GetInt32());
        Assert.Equal(sample.DurationMs, shown.GetProperty("durationMs").GetDouble());
        Assert.Equal(sample.ClientId, shown.GetProperty("clientId").GetString());

        var matching = records.Where(r => r.Status >= 500 && r.Method == "GET").Select(r => r.RecordId).Order().ToList();
        Assert.NotEmpty(matching);
        Assert.Equal(matching, (await RecordsAsync(errors, matching.Count)).Select(e => e.GetProperty("id").GetGuid()).Order());

        // The same message again (a redelivery), then the records resent under new ingest ids with one new record:
        // only the new one was stored, so only it appears; and it is the next record on the filtered tail too.
        await publisher.PublishAsync(batch);
        var fresh = SyntheticRecords.Make(32, 1, DateTimeOffset.UtcNow, 1)[0] with { ClientId = "tail-new", Status = 503, Method = "GET" };
        await publisher.PublishAsync(new RequestRecordsAccepted(
            Guid.NewGuid(), project, Guid.NewGuid(), DateTimeOffset.UtcNow, [.. records.Select(r => r with { RecordId = Guid.NewGuid() }), fresh]));
        Assert.Equal(fresh.RecordId, (await all.NextAsync("record", Wait)).GetProperty("id").GetGuid());
        Assert.Equal(fresh.RecordId, (await errors.NextAsync("record", Wait)).GetProperty("id").GetGuid());

        // The other project's tail saw none of it: its first record is its own.
        var own = SyntheticRecords.Make(33, 1, DateTimeOffset.UtcNow, 1);
        await publisher.PublishAsync(new RequestRecordsAccepted(Guid.NewGuid(), other, Guid.NewGuid(), DateTimeOffset.UtcNow, own));
        Assert.Equal(own[0].RecordId, (await others.NextAsync("record", Wait)).GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("status=6xx", "status")]
    [InlineData("status=abc", "status")]
    [InlineData("clientIp=not-an-address", "clientIp")]
    public async Task Bad_filters_are_400_problem_details_before_the_stream_starts(string query, string field)
    {
        var project = Guid.NewGuid();
        using var http = AnalyticsClient.Authorized(factory, project);

        using var response = await http.GetAsync($"/api/projects/{project}/analytics/requests/tail?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {problem}");
    }

    private Task<SseClient> OpenAsync(Guid project, string query) =>
        SseClient.OpenAsync(AnalyticsClient.Authorized(factory, project), $"/api/projects/{project}/analytics/requests/tail{query}");

    private static async Task<List<JsonElement>> RecordsAsync(SseClient tail, int count)
    {
        var records = new List<JsonElement>();
        while (records.Count < count)
        {
            records.Add(await tail.NextAsync("record", Wait));
        }

        return records;
    }
}
