using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>A Slack incoming-webhook URL is a credential: stored encrypted, shown as its host and last 4 characters, never logged.</summary>
[Collection(AlertingCollection.Name)]
public sealed class SlackSecretTests(AlertingHarness harness)
{
    private const string SecretPath = "/services/T0SENTRY/B0FLOW/sl4ckT0kenNeverShownWXYZ";

    [Fact]
    public async Task A_slack_url_is_stored_encrypted_shown_as_host_and_last_4_characters_and_never_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = receiver.Url + SecretPath;
        var shown = $"{receiver.Url}/…WXYZ";
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, _) = await api.FireAsync(new ErrorRateRule("Slack secret", [new { type = "slack", url }]));
        var ruleId = rule.GetProperty("id").GetString()!;

        // It is sent to the URL in full.
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count > 0), "the Slack message arrives");
        Assert.Equal(SecretPath, receiver.Accepted[0].Path);

        // Never returned whole: the rule as created and read, and the delivery log.
        Assert.Equal(shown, rule.GetProperty("channels")[0].GetProperty("url").GetString());
        Assert.Equal(shown, (await api.GetAsync($"rules/{ruleId}")).GetProperty("channels")[0].GetProperty("url").GetString());
        await Eventually.TrueAsync(async () => (await api.DeliveriesAsync(ruleId)).Any(d => d.GetProperty("status").GetString() == "delivered"), "the delivery is logged");
        var delivery = Assert.Single(await api.DeliveriesAsync(ruleId));
        Assert.Equal(shown, delivery.GetProperty("url").GetString());

        // Stored encrypted, in the rule and in the delivery's snapshot of its channel.
        await using var scope = harness.Alerting.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        var id = Guid.Parse(ruleId);
        var storedRule = await db.Database.SqlQuery<string>($"""SELECT "Channels"::text AS "Value" FROM alerting."Rules" WHERE "Id" = {id}""").SingleAsync();
        var storedDelivery = await db.Database.SqlQuery<string>($"""SELECT "Channel"::text AS "Value" FROM alerting."Deliveries" WHERE "RuleId" = {id}""").SingleAsync();
        foreach (var stored in new[] { storedRule, storedDelivery })
        {
            Assert.DoesNotContain("sl4ckT0ken", stored, StringComparison.Ordinal);
            Assert.Contains("dp1:", stored, StringComparison.Ordinal);
        }

        // Never logged (the HTTP client factory's logging printed every request's URL).
        Assert.DoesNotContain(harness.Logs.Lines, line => line.Contains("sl4ckT0ken", StringComparison.Ordinal));
    }
}
