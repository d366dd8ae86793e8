using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;
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

    [Fact]
    public async Task A_slack_url_saved_in_clear_before_it_was_encrypted_is_encrypted_at_start()
    {
        const string ClearUrl = "http://127.0.0.1:9/services/T0OLD/B0OLD/oldClearTokenABCD";
        var api = new AlertingApi(harness, Guid.NewGuid());
        var rule = await api.CreateRuleAsync(new ErrorRateRule("Old Slack", [new { type = "slack", url = "http://127.0.0.1:9/services/new" }]));
        var id = Guid.Parse(rule.GetProperty("id").GetString()!);
        await using var scope = harness.Alerting.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();

        // As an older version saved them: the URL in clear in the rule and in a (finished) delivery's snapshot.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE alerting."Rules" SET "Channels" = jsonb_build_array(jsonb_build_object('Type', 'Slack', 'Url', {ClearUrl}, 'SmtpTls', false))
            WHERE "Id" = {id}
            """);
        var now = DateTimeOffset.UtcNow;
        db.Deliveries.Add(new Delivery
        {
            ProjectId = api.ProjectId, RuleId = id, GroupId = Guid.NewGuid(), Event = Notifier.Firing, Status = DeliveryStatus.Failed,
            Channel = new NotificationChannel { Type = ChannelType.Slack, Url = ClearUrl }, CreatedAt = now, NextAttemptAt = now,
        });
        await db.SaveChangesAsync();

        await harness.Alerting.Services.GetServices<IHostedService>().OfType<ClearUrlEncryption>().Single().StartAsync(CancellationToken.None);

        var storedRule = await db.Database.SqlQuery<string>($"""SELECT "Channels"::text AS "Value" FROM alerting."Rules" WHERE "Id" = {id}""").SingleAsync();
        var storedDelivery = await db.Database.SqlQuery<string>($"""SELECT "Channel"::text AS "Value" FROM alerting."Deliveries" WHERE "RuleId" = {id}""").SingleAsync();
        foreach (var stored in new[] { storedRule, storedDelivery })
        {
            Assert.DoesNotContain("oldClearToken", stored, StringComparison.Ordinal);
            Assert.Contains("dp1:", stored, StringComparison.Ordinal);
        }

        Assert.Equal("http://127.0.0.1:9/…ABCD", (await api.GetAsync($"rules/{id}")).GetProperty("channels")[0].GetProperty("url").GetString());
        Assert.Equal("http://127.0.0.1:9/…ABCD", Assert.Single(await api.DeliveriesAsync(id.ToString())).GetProperty("url").GetString());
    }
}
