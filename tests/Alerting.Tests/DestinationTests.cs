using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SentryFlow.Alerting.Destinations;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Alerting.Tests;

/// <summary>
/// Alert channels cannot reach internal addresses: refused when a rule is saved (a literal or obviously internal host)
/// and when connecting (the address a name resolves to). Only loopback is used: refused destinations are never contacted.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class DestinationTests(AlertingHarness harness)
{
    private static DestinationPolicy Policy(params string[] allow) =>
        new(Options.Create(new DestinationOptions { Allow = [.. allow] }), new HostResolver());

    [Fact]
    public async Task Without_the_allowance_the_notification_handler_refuses_loopback_before_sending_anything()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;

        using (var refused = new HttpClient(Policy().CreateHandler()))
        {
            foreach (var url in new[] { $"{receiver.Url}/hook", $"http://localhost:{port}/hook" })
            {
                var exception = await Assert.ThrowsAsync<HttpRequestException>(() => refused.PostAsync(url, new StringContent("{}")));
                Assert.True(DestinationRefusedException.IsIn(exception), exception.ToString());
            }
        }

        Assert.Empty(receiver.Requests);

        using var allowed = new HttpClient(Policy("127.0.0.1").CreateHandler());
        using var response = await allowed.PostAsync($"{receiver.Url}/hook", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Without_the_allowance_an_email_to_a_loopback_smtp_server_is_refused_and_never_sent()
    {
        await using var smtp = SmtpListener.Start();
        var channel = new NotificationChannel
        {
            Type = ChannelType.Email, To = ["oncall@example.com"], From = "alerts@example.com", SmtpHost = smtp.Host, SmtpPort = smtp.Port,
        };
        var delivery = new Delivery
        {
            Notification = new GroupNotification { Status = Notifier.Firing, RuleName = "r", Severity = "critical", GroupKey = "g", Alerts = [] },
        };

        await Assert.ThrowsAsync<DestinationRefusedException>(() => new EmailSender(Policy()).SendAsync(delivery, channel, CancellationToken.None));
        await new EmailSender(Policy("127.0.0.1")).SendAsync(delivery, channel, CancellationToken.None);

        Assert.Single(smtp.Messages);
    }

    [Theory]
    [InlineData("webhook", "http://127.0.0.2:9/hook", "url")] // loopback, but not the allowed 127.0.0.1
    [InlineData("webhook", "http://169.254.169.254/latest/meta-data/", "url")]
    [InlineData("webhook", "http://10.0.0.5/hook", "url")]
    [InlineData("webhook", "http://192.168.1.1:8080/", "url")]
    [InlineData("webhook", "http://[::1]:9/hook", "url")]
    [InlineData("webhook", "http://[fd00::1]/hook", "url")]
    [InlineData("webhook", "http://[::ffff:10.0.0.1]/hook", "url")]
    [InlineData("webhook", "http://localhost:9/hook", "url")]
    [InlineData("webhook", "http://keys/api/projects", "url")]
    [InlineData("webhook", "http://metadata.google.internal/computeMetadata/v1/", "url")]
    [InlineData("slack", "http://172.16.0.1/services/T/B/X", "url")]
    [InlineData("pagerDuty", "http://127.0.0.2:9/v2/enqueue", "url")]
    [InlineData("email", "192.168.1.10", "smtpHost")]
    [InlineData("email", "mail.internal", "smtpHost")]
    public async Task A_channel_to_an_internal_destination_is_a_400_naming_the_field(string type, string destination, string field)
    {
        var projectId = Guid.NewGuid();
        using var http = harness.Client(OrganizationRole.Admin, projectId);
        object channel = type == "email"
            ? new { type, to = new[] { "a@example.com" }, from = "b@example.com", smtpHost = destination }
            : new { type, url = destination, routingKey = "rk" };

        using var response = await http.PostAsJsonAsync($"/api/projects/{projectId}/alerting/rules", new ErrorRateRule("Internal", [channel]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("alerting.destination_refused", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty($"channels[0].{field}", out _), problem.ToString());
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_refused_address_is_refused_when_connecting_and_the_log_says_only_that()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, _) = await api.FireAsync(new ErrorRateRule("Rebinding",
        [
            new { type = "webhook", url = $"http://{TestHostResolver.RefusedName}:{port}/refused" },
            new { type = "webhook", url = $"http://{TestHostResolver.AllowedName}:{port}/allowed" },
        ]));
        var ruleId = rule.GetProperty("id").GetString()!;

        var deliveries = await Eventually.ValueAsync(async () =>
        {
            var all = await api.DeliveriesAsync(ruleId);
            return all.Count == 2 && all.All(d => d.GetProperty("status").GetString() != "pending") ? all : null;
        }, "both deliveries are done");

        var refused = deliveries.Single(d => d.GetProperty("url").GetString()!.Contains(TestHostResolver.RefusedName, StringComparison.Ordinal));
        Assert.Equal("failed", refused.GetProperty("status").GetString()); // at once: a refusal is not retried
        Assert.Equal(DestinationPolicy.Refused, refused.GetProperty("lastError").GetString());
        Assert.Equal(1, refused.GetProperty("attempts").GetInt32());
        var allowed = deliveries.Single(d => d.GetProperty("url").GetString()!.Contains(TestHostResolver.AllowedName, StringComparison.Ordinal));
        Assert.Equal("delivered", allowed.GetProperty("status").GetString());
        Assert.Equal(["/allowed"], receiver.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_receiver_that_cannot_be_reached_is_logged_without_the_socket_error()
    {
        var closedPort = FreePort.Next();
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, _) = await api.FireAsync(ErrorRateRule.ToWebhook("Nobody home", $"http://127.0.0.1:{closedPort}/hook"));
        var ruleId = rule.GetProperty("id").GetString()!;

        var delivery = await Eventually.ValueAsync<JsonElement?>(async () =>
            (await api.DeliveriesAsync(ruleId)).Where(d => d.GetProperty("lastError").ValueKind == JsonValueKind.String).Select(d => (JsonElement?)d).FirstOrDefault(),
            "the first round fails");

        Assert.Equal("The receiver could not be reached.", delivery!.Value.GetProperty("lastError").GetString());
    }
}
