using System.Net;
using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>A service letting a user hold 2 live streams and a project 3.</summary>
public sealed class CappedStreamsFactory : ServiceFactory<Program>
{
    public CappedStreamsFactory()
    {
        Settings["Analytics:Live:MaxStreamsPerUser"] = "2";
        Settings["Analytics:Live:MaxStreamsPerProject"] = "3";
        Settings["Analytics:Live:StreamRetryAfter"] = "00:00:07";
    }
}

/// <summary>Live streams are capped per user and per project; a 429 beyond says when to retry; an ended stream frees its slot.</summary>
public sealed class LiveStreamCapTests(CappedStreamsFactory factory) : IClassFixture<CappedStreamsFactory>
{
    [Fact]
    public async Task One_token_gets_at_most_its_cap_of_streams_and_a_429_beyond()
    {
        var project = Guid.NewGuid();
        using var http = AnalyticsClient.Authorized(factory, project);
        using var live = await SseClient.OpenAsync(http, Live(project));
        using var tail = await SseClient.OpenAsync(http, $"/api/projects/{project}/analytics/requests/tail");

        using var third = await http.GetAsync(Live(project));
        using var otherUsers = await SseClient.OpenAsync(AnalyticsClient.Authorized(factory, project), Live(project));

        await AssertTooManyStreamsAsync(third);
        Assert.Contains("user", await DetailAsync(third), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_gets_at_most_its_cap_across_its_users()
    {
        var project = Guid.NewGuid();
        var streams = new List<SseClient>();
        try
        {
            for (var user = 0; user < 3; user++)
            {
                streams.Add(await SseClient.OpenAsync(AnalyticsClient.Authorized(factory, project), Live(project)));
            }

            using var fourthUser = await AnalyticsClient.Authorized(factory, project).GetAsync(Live(project));
            var other = Guid.NewGuid();
            using var otherProject = await SseClient.OpenAsync(AnalyticsClient.Authorized(factory, other), Live(other));

            await AssertTooManyStreamsAsync(fourthUser);
            Assert.Contains("project", await DetailAsync(fourthUser), StringComparison.Ordinal);
        }
        finally
        {
            streams.ForEach(stream => stream.Dispose());
        }
    }

    [Fact]
    public async Task A_stream_that_ends_frees_its_slot()
    {
        var project = Guid.NewGuid();
        using var http = AnalyticsClient.Authorized(factory, project);
        using var kept = await SseClient.OpenAsync(http, Live(project));
        var closed = await SseClient.OpenAsync(http, Live(project));
        using (var refused = await http.GetAsync(Live(project)))
        {
            await AssertTooManyStreamsAsync(refused);
        }

        closed.Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Live(project));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, "the closed stream's slot was not freed within 10 seconds");
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("MaxStreamsPerUser")]
    [InlineData("MaxStreamsPerProject")]
    [InlineData("TailBuffer")]
    public async Task A_cap_of_zero_stops_the_service_at_start(string setting)
    {
        await using var misconfigured = new ServiceFactory<Program>();
        misconfigured.Settings[$"Analytics:Live:{setting}"] = "0";
        await ((IAsyncLifetime)misconfigured).InitializeAsync();

        var failure = Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());

        Assert.Contains(setting, failure.ToString(), StringComparison.Ordinal);
    }

    private static string Live(Guid project) => $"/api/projects/{project}/analytics/live";

    private static async Task AssertTooManyStreamsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("analytics.too_many_streams", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
}
