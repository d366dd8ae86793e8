using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>An acknowledgement with an expiry: quiet until then, notified again at the next repeat after.</summary>
[Collection(AlertingCollection.Name)]
public sealed class AcknowledgementTests(AlertingHarness harness)
{
    [Fact]
    public async Task An_acknowledgement_that_expires_lets_a_still_firing_alert_notify_again_at_the_next_repeat()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, firing) = await api.FireAsync(ErrorRateRule.ToWebhook("Acked for a while", receiver.Url) with
        {
            GroupWaitSeconds = 0, GroupIntervalSeconds = 1, RepeatIntervalSeconds = 2,
        });
        var ruleId = rule.GetProperty("id").GetString()!;
        var alertId = firing.GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count > 0), "the firing webhook arrives");

        using var member = harness.Client(OrganizationRole.Member, api.ProjectId);
        using var past = await member.PostAsJsonAsync($"{api.Base}/alerts/{alertId}/acknowledge", new { expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.True((await past.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("expiresAt", out _));

        // Acknowledged for longer than the repeat interval: no repeat until it lapses, then the alert is sent again.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(5);
        var acknowledged = await api.SendAsync(HttpMethod.Post, $"alerts/{alertId}/acknowledge", new { expiresAt });
        var acknowledgedAt = acknowledged.GetProperty("acknowledgedAt").GetDateTimeOffset();
        Assert.Equal(expiresAt, acknowledged.GetProperty("acknowledgementExpiresAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        await Eventually.ValueAsync<JsonElement?>(async () => (await api.DeliveriesAsync(ruleId))
            .Where(d => d.GetProperty("createdAt").GetDateTimeOffset() >= expiresAt).Select(d => (JsonElement?)d).FirstOrDefault(), "a repeat after the expiry");

        var sent = (await api.DeliveriesAsync(ruleId)).Select(d => d.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.DoesNotContain(sent, at => at > acknowledgedAt && at < expiresAt);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count == sent.Count), "the repeat arrives");
        var repeat = receiver.Accepted[^1].Json.GetProperty("alerts");
        Assert.Equal("firing", Assert.Single(repeat.EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(receiver.Accepted[0].Json.GetProperty("alerts")[0].GetProperty("startsAt").GetDateTimeOffset(), repeat[0].GetProperty("startsAt").GetDateTimeOffset());
    }
}
