using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SentryFlow.Contracts;
using SentryFlow.Testing;
using Xunit.Abstractions;

namespace SentryFlow.AppHost.Tests;

/// <summary>
/// A new user's first hour with SentryFlow, through the services' HTTP APIs only, against the real AppHost: sign up, make
/// an organization and a project, issue an ingest key, send traffic, see it counted, get alerted by webhook.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class UserJourneyTests(AppHostFixture fixture, ITestOutputHelper output)
{
    private const string Password = "Journey-Passw0rd";

    /// <summary>Ingest to the bus to analytics' store: seconds; generous for a loaded 2-core machine.</summary>
    private static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A rule created on data already stored fires on its next evaluation (every 2 s) and is sent at once.</summary>
    private static readonly TimeSpan AlertTimeout = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task A_new_user_signs_up_sends_traffic_with_a_key_sees_it_counted_and_is_alerted_by_webhook()
    {
        output.WriteLine($"AppHost started, every service healthy, in {fixture.StartDuration.TotalSeconds:0.0} s:");
        output.WriteLine(fixture.Timeline);
        try
        {
            await JourneyAsync();
        }
        catch
        {
            output.WriteLine(fixture.DescribeResources());
            output.WriteLine("AppHost log (last lines):");
            output.WriteLine(fixture.Log.Tail(400));
            throw;
        }
    }

    private async Task JourneyAsync()
    {
        // 1. Sign up at identity and sign in (the password grant, as the dashboard and CLI do).
        using var anonymous = fixture.CreateHttpClient(SentryFlowResources.Identity);
        var email = $"journey-{Guid.NewGuid():n}@example.test";
        using (var register = await anonymous.PostAsJsonAsync("/api/account/register", new { email, password = Password, displayName = "Journey" }))
        {
            await AssertStatusAsync(HttpStatusCode.Created, register);
        }

        using var identity = fixture.CreateHttpClient(SentryFlowResources.Identity);
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SignInAsync(anonymous, email));
        Step("registered and signed in");

        // 2. An organization and a project in it. The token taken before they existed has no role in them: take a new one.
        var organizationId = await CreatedIdAsync(identity, "/api/organizations", new { name = "Journey Inc" });
        var projectId = await CreatedIdAsync(identity, $"/api/organizations/{organizationId}/projects", new { name = "Orders API" });
        var token = await SignInAsync(anonymous, email);
        Step($"organization {organizationId} and project {projectId} created");

        // 3. An API key for the gateway, allowed to post to ingest. Its secret is shown once.
        using var keys = Authorized(SentryFlowResources.Keys, token);
        string secret;
        using (var created = await keys.PostAsJsonAsync($"/api/projects/{projectId}/keys", new { name = "orders-gateway", permissions = new[] { "ingest:write" } }))
        {
            var key = await AssertStatusAsync(HttpStatusCode.Created, created);
            secret = key.GetProperty("secret").GetString()!;
            Assert.StartsWith("sf_live_", secret, StringComparison.Ordinal);
            Assert.Equal(projectId, key.GetProperty("projectId").GetGuid());
            Assert.Equal(["ingest:write"], key.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        }

        Step("ingest key issued");

        // 4. A batch of what the API answered in the last moments: 25 OK, 5 not found, 10 server errors, on two routes,
        //    for two consumers. Timestamps are now, so the rule's window below sees them.
        var now = TimeProvider.System.GetUtcNow();
        var statuses = Enumerable.Repeat(200, 25).Concat(Enumerable.Repeat(404, 5)).Concat(Enumerable.Repeat(503, 10)).ToArray();
        var records = statuses.Select((status, i) => new
        {
            clientId = $"journey-{i}",
            timestamp = now.AddMilliseconds(-10 * (statuses.Length - i)),
            method = i % 2 == 0 ? "GET" : "POST",
            host = "api.journey.test",
            path = i % 2 == 0 ? $"/orders/{i}" : "/orders",
            route = i % 2 == 0 ? "/orders/{id}" : "/orders",
            status,
            durationMs = 10.0 + i,
            consumer = i % 3 == 0 ? "customer-1" : "customer-2",
        }).ToArray();
        using (var ingest = fixture.CreateHttpClient(SentryFlowResources.Ingest))
        {
            ingest.DefaultRequestHeaders.Add("X-Api-Key", secret);
            using var posted = await ingest.PostAsJsonAsync("/v1/requests/batch", records);
            var result = await AssertStatusAsync(HttpStatusCode.Accepted, posted);
            Assert.Equal(40, result.GetProperty("accepted").GetInt32());
            Assert.Equal(0, result.GetProperty("duplicates").GetInt32());
            Assert.Empty(result.GetProperty("rejected").EnumerateArray());
        }

        Step("40 records accepted by ingest");

        // 5. Analytics counts exactly what was sent (ingest -> RabbitMQ -> analytics' store and roll-ups).
        using var analytics = Authorized(SentryFlowResources.Analytics, token);
        var summary = await JourneyPoll.UntilAsync(
            async () => await GetJsonAsync(analytics, $"/api/projects/{projectId}/analytics/summary"),
            s => s.GetProperty("requests").GetInt64() >= records.Length,
            StorageTimeout,
            "analytics' summary counts the 40 records");
        Assert.Equal(40, summary.GetProperty("requests").GetInt64());
        Assert.Equal(5, summary.GetProperty("errors4xx").GetInt64());
        Assert.Equal(10, summary.GetProperty("errors5xx").GetInt64());
        Assert.Equal(15.0 / 40, summary.GetProperty("errorRate").GetDouble(), 9);
        Assert.Equal(2, summary.GetProperty("uniqueRoutes").GetInt64());
        Assert.Equal(2, summary.GetProperty("uniqueConsumers").GetInt64());
        Step("analytics counts 40 requests, 5 4xx, 10 5xx");

        // 6. An alert rule on the 5xx count, to a webhook the team hosts (here, on loopback), signed with a secret.
        await using var receiver = await WebhookReceiver.StartAsync();
        const string ruleName = "Orders API: server errors";
        const string webhookSecret = "whsec-journey-0123456789";
        using var alerting = Authorized(SentryFlowResources.Alerting, token);
        string ruleId;
        using (var created = await alerting.PostAsJsonAsync($"/api/projects/{projectId}/alerting/rules", new
        {
            name = ruleName,
            metric = "count5xx",
            // Whole minutes: the current one and the ones reaching 5 minutes back, so the records stay in it however slow the machine.
            windowSeconds = 300,
            condition = ">=",
            threshold = 10,
            forSeconds = 0,
            groupWaitSeconds = 0,
            severity = "critical",
            labels = new Dictionary<string, string> { ["team"] = "orders" },
            channels = new[] { new { type = "webhook", url = $"{receiver.Url}/alerts", secret = webhookSecret } },
        }))
        {
            var rule = await AssertStatusAsync(HttpStatusCode.Created, created);
            ruleId = rule.GetProperty("id").GetString()!;
            Assert.Equal(ruleName, rule.GetProperty("name").GetString());
        }

        Step($"rule {ruleId} created");

        // 7. The rule fires on its next evaluation and the webhook receives Alertmanager's firing message.
        var hook = await JourneyPoll.UntilAsync(
            () => Task.FromResult(receiver.Requests.FirstOrDefault()),
            h => h is not null,
            AlertTimeout,
            "the webhook receives the firing notification");
        Step("webhook received");
        Assert.Equal("/alerts", hook!.Path);
        SignedWebhook.AssertValid(hook, webhookSecret);
        var message = hook.Json;
        Assert.Equal("4", message.GetProperty("version").GetString());
        Assert.Equal("firing", message.GetProperty("status").GetString());
        Assert.Equal(ruleName, message.GetProperty("commonLabels").GetProperty("alertname").GetString());
        var alert = Assert.Single(message.GetProperty("alerts").EnumerateArray());
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        var labels = alert.GetProperty("labels");
        Assert.Equal(ruleName, labels.GetProperty("alertname").GetString());
        Assert.Equal(ruleId, labels.GetProperty("rule_id").GetString());
        Assert.Equal(projectId.ToString(), labels.GetProperty("project_id").GetString());
        Assert.Equal("critical", labels.GetProperty("severity").GetString());
        Assert.Equal("orders", labels.GetProperty("team").GetString());
        Assert.Equal("10", alert.GetProperty("annotations").GetProperty("value").GetString());

        // And alerting's own API shows the alert firing, at the 10 server errors sent.
        var alerts = await GetJsonAsync(alerting, $"/api/projects/{projectId}/alerting/alerts?ruleId={ruleId}");
        var firing = Assert.Single(alerts.EnumerateArray());
        Assert.Equal("firing", firing.GetProperty("state").GetString());
        Assert.Equal(10, firing.GetProperty("value").GetDouble());
        Assert.Single(receiver.Requests);
        Step("alert firing at 10");
    }

    private HttpClient Authorized(string service, string token)
    {
        var client = fixture.CreateHttpClient(service);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> SignInAsync(HttpClient identity, string email)
    {
        using var response = await identity.PostAsync(PasswordGrant.TokenPath, PasswordGrant.Request(email, Password));
        var tokens = await AssertStatusAsync(HttpStatusCode.OK, response);
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString(), StringComparer.OrdinalIgnoreCase);
        return tokens.GetProperty("access_token").GetString()!;
    }

    private static async Task<Guid> CreatedIdAsync(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        return (await AssertStatusAsync(HttpStatusCode.Created, response)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return await AssertStatusAsync(HttpStatusCode.OK, response);
    }

    /// <summary>The answer's JSON body, once its status is <paramref name="expected"/> (else a failure that shows the body).</summary>
    private static async Task<JsonElement> AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private void Step(string what)
    {
        var line = $"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}";
        output.WriteLine(line);
        fixture.Log.CreateLogger("journey").LogInformation("{Step}", line);
    }
}
