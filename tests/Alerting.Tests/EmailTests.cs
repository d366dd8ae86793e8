using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>The email channel, against an SMTP listener started by the test.</summary>
[Collection(AlertingCollection.Name)]
public sealed class EmailTests(AlertingHarness harness)
{
    private const string Password = "smtp-Pa55word-never-shown";

    [Fact]
    public async Task An_email_channel_mails_firing_and_resolved_over_smtp_with_its_credentials_which_the_api_never_shows()
    {
        await using var smtp = SmtpListener.Start();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, _) = await api.FireAsync(new ErrorRateRule("Mailed errors",
        [
            new
            {
                type = "email",
                to = new[] { "oncall@example.com", "lead@example.com" },
                from = "alerts@sentryflow.example",
                smtpHost = smtp.Host,
                smtpPort = smtp.Port,
                username = "mailer",
                password = Password,
            },
        ]));
        var ruleId = rule.GetProperty("id").GetString()!;
        var channel = rule.GetProperty("channels")[0];
        Assert.True(channel.GetProperty("hasSecret").GetBoolean());
        Assert.Equal("mailer", channel.GetProperty("username").GetString());
        Assert.DoesNotContain(Password, rule.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, (await api.GetAsync($"rules/{ruleId}")).GetRawText(), StringComparison.Ordinal);

        await Eventually.TrueAsync(() => Task.FromResult(!smtp.Messages.IsEmpty), "the firing email arrives");
        var firing = smtp.Messages.First();
        Assert.Equal("alerts@sentryflow.example", firing.From);
        Assert.Equal(["oncall@example.com", "lead@example.com"], firing.To);
        Assert.Equal(("mailer", Password), (firing.User, firing.Password));
        Assert.Equal("[FIRING:1] Mailed errors (critical)", firing.Subject);
        Assert.Contains("Alert 1 of 1: firing", firing.Body, StringComparison.Ordinal);
        Assert.Contains("startsAt: ", firing.Body, StringComparison.Ordinal);
        Assert.Contains("alertname = Mailed errors", firing.Body, StringComparison.Ordinal);
        Assert.Contains("team = payments", firing.Body, StringComparison.Ordinal);
        Assert.Contains("runbook = https://runbooks.example.com/errors", firing.Body, StringComparison.Ordinal);
        Assert.Contains("value = 0.2", firing.Body, StringComparison.Ordinal);

        // Back to normal (4 % errors): one resolved email.
        await harness.SendTrafficAsync(api.ProjectId, ok: 400, failed: 0);
        await api.WaitForAlertAsync(ruleId, "resolved");
        await Eventually.TrueAsync(() => Task.FromResult(smtp.Messages.Count >= 2), "the resolved email arrives");
        var resolved = smtp.Messages.ElementAt(1);
        Assert.Equal("[RESOLVED] Mailed errors (critical)", resolved.Subject);
        Assert.Contains("Alert 1 of 1: resolved", resolved.Body, StringComparison.Ordinal);
        Assert.Contains("endsAt: ", resolved.Body, StringComparison.Ordinal);

        // The dispatcher records the delivery once the server has answered the message.
        await Eventually.TrueAsync(async () => (await api.DeliveriesAsync(ruleId)).All(d => d.GetProperty("status").GetString() == "delivered"), "both are recorded delivered");
        var deliveries = await api.DeliveriesAsync(ruleId);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal("email", d.GetProperty("channel").GetString()));
        Assert.All(deliveries, d => Assert.DoesNotContain(Password, d.GetRawText(), StringComparison.Ordinal));
        Assert.Equal(2, smtp.Messages.Count);
    }
}
