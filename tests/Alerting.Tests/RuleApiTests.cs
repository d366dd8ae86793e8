using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Alerting.Tests;

/// <summary>Rule definitions: bad ones are refused with the field named, and only project admins manage rules.</summary>
[Collection(AlertingCollection.Name)]
public sealed class RuleApiTests(AlertingHarness harness)
{
    [Theory]
    [InlineData("""{"name":"r","metric":"cpuLoad","windowSeconds":60,"condition":">","threshold":1}""", "metric")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":-60,"condition":">","threshold":1}""", "windowSeconds")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">"}""", "threshold")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":"~","threshold":1}""", "condition")]
    [InlineData("""{"name":"r","metric":"latency","windowSeconds":60,"condition":">","threshold":1}""", "quantile")]
    [InlineData("""{"metric":"errorRate","windowSeconds":60,"condition":">","threshold":1}""", "name")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"forSeconds":-1}""", "forSeconds")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"groupBy":"host"}""", "groupBy")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"channels":[{"type":"webhook","url":"not a url"}]}""", "channels[0].url")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"channels":[{"type":"pagerDuty"}]}""", "channels[0].routingKey")]
    [InlineData("""{"name":"r","kind":"sloBurnRate"}""", "objective")]
    [InlineData("""{"name":"r","kind":"sloBurnRate","objective":0.99,"objectiveKind":"latency"}""", "latencyThresholdMs")]
    [InlineData("""{"name":"r","kind":"sloBurnRate","objective":0.99,"objectiveKind":"latency","latencyThresholdMs":0}""", "latencyThresholdMs")]
    [InlineData("""{"name":"r","kind":"sloBurnRate","objective":0.99,"objectiveKind":"latency","latencyThresholdMs":-300}""", "latencyThresholdMs")]
    [InlineData("""{"name":"r","kind":"sloBurnRate","objective":0.99,"latencyThresholdMs":300}""", "latencyThresholdMs")]
    [InlineData("""{"name":"r","kind":"sloBurnRate","objective":0.99,"objectiveKind":"speed","latencyThresholdMs":300}""", "objectiveKind")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"objectiveKind":"latency"}""", "objectiveKind")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"latencyThresholdMs":300}""", "latencyThresholdMs")]
    [InlineData("""{"name":"r","metric":"slowCount","windowSeconds":60,"condition":">","threshold":1}""", "latencyThresholdMs")]
    [InlineData("""{"name":"r","kind":"noTraffic","windowSeconds":300}""", "threshold")]
    [InlineData("""{"name":"r","kind":"sometimes","windowSeconds":300}""", "kind")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"channels":[{"type":"email","to":["not an address"],"from":"a@example.com","smtpHost":"smtp.example.com"}]}""", "channels[0].to")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"channels":[{"type":"email","to":["a@example.com"],"from":"Eve <e@example.com>\r\nBcc: x@example.com","smtpHost":"smtp.example.com"}]}""", "channels[0].from")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"channels":[{"type":"email","to":["a@example.com"],"from":"a@example.com"}]}""", "channels[0].smtpHost")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"channels":[{"type":"email","to":["a@example.com"],"from":"a@example.com","smtpHost":"smtp.example.com","smtpPort":70000}]}""", "channels[0].smtpPort")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"groupByLabels":["route","not a label"]}""", "groupByLabels")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"groupWaitSeconds":-1}""", "groupWaitSeconds")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"groupIntervalSeconds":0}""", "groupIntervalSeconds")]
    [InlineData("""{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1,"repeatIntervalSeconds":0}""", "repeatIntervalSeconds")]
    public async Task Bad_rules_get_400_naming_the_field(string body, string field)
    {
        var projectId = Guid.NewGuid();
        using var http = harness.Client(OrganizationRole.Admin, projectId);
        using var response = await http.PostAsync(
            $"/api/projects/{projectId}/alerting/rules", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase) || e.Name.EndsWith("." + field, StringComparison.OrdinalIgnoreCase) || e.Name.Equals("$." + field, StringComparison.OrdinalIgnoreCase)),
            $"no error for {field}: {problem}");
        Assert.Empty(await ListAsync(projectId));
    }

    [Fact]
    public async Task A_viewer_cannot_create_rules_nor_a_member_and_an_admin_can()
    {
        var projectId = Guid.NewGuid();
        var rule = ErrorRateRule.ToWebhook("Roles", "http://127.0.0.1:9/hook", "s");
        using var viewer = harness.Client(OrganizationRole.Viewer, projectId);
        using var member = harness.Client(OrganizationRole.Member, projectId);
        using var admin = harness.Client(OrganizationRole.Admin, projectId);
        using var stranger = harness.Client(OrganizationRole.Owner, Guid.NewGuid());
        var path = $"/api/projects/{projectId}/alerting/rules";

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync(path, rule)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync(path, rule)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsJsonAsync(path, rule)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await harness.Alerting.CreateClient().PostAsJsonAsync(path, rule)).StatusCode);
        Assert.Empty(await ListAsync(projectId));

        using var created = await admin.PostAsJsonAsync(path, rule);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("channels")[0].GetProperty("hasSecret").GetBoolean());
        Assert.DoesNotContain("\"secret\"", body.ToString(), StringComparison.Ordinal);

        // Viewers read rules; the stranger does not.
        Assert.Single((await viewer.GetFromJsonAsync<JsonElement>(path)).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Rules_are_replaced_and_deleted_by_admins()
    {
        var api = new AlertingApi(harness, Guid.NewGuid());
        var rule = await api.CreateRuleAsync(ErrorRateRule.ToWebhook("Before", "http://127.0.0.1:9/hook", "s"));
        var id = rule.GetProperty("id").GetString()!;

        var replaced = await api.SendAsync(HttpMethod.Put, $"rules/{id}", ErrorRateRule.ToWebhook("After", "http://127.0.0.1:9/other", "s"));
        Assert.Equal("After", replaced.GetProperty("name").GetString());
        Assert.Equal("After", (await api.GetAsync($"rules/{id}")).GetProperty("name").GetString());

        await api.SendAsync(HttpMethod.Delete, $"rules/{id}");
        Assert.Empty(await ListAsync(api.ProjectId));
    }

    [Fact]
    public async Task Channel_secrets_are_stored_encrypted_and_never_returned()
    {
        const string WebhookSecret = "whsec-at-rest-0123", RoutingKey = "pd-routing-at-rest-4567", Password = "smtp-at-rest-89AB";
        var api = new AlertingApi(harness, Guid.NewGuid());
        var rule = await api.CreateRuleAsync(new ErrorRateRule("Secrets",
        [
            new { type = "webhook", url = "http://127.0.0.1:9/hook", secret = WebhookSecret },
            new { type = "pagerDuty", routingKey = RoutingKey },
            new { type = "email", to = new[] { "a@example.com" }, from = "b@example.com", smtpHost = "127.0.0.1", username = "u", password = Password },
        ]));
        var id = Guid.Parse(rule.GetProperty("id").GetString()!);

        var shown = (await api.GetAsync($"rules/{id}")).GetRawText();
        await using var scope = harness.Alerting.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var stored = await db.Database.SqlQuery<string>($"""SELECT "Channels"::text AS "Value" FROM alerting."Rules" WHERE "Id" = {id}""").SingleAsync();
        foreach (var secret in new[] { WebhookSecret, RoutingKey, Password })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        Assert.Equal(3, stored.Split("dp1:").Length - 1); // each one encrypted with Data Protection
    }

    private async Task<List<JsonElement>> ListAsync(Guid projectId)
    {
        using var http = harness.Client(OrganizationRole.Viewer, projectId);
        return [.. (await http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/alerting/rules")).EnumerateArray()];
    }
}
