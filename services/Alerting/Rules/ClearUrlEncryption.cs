using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Infrastructure;

namespace SentryFlow.Alerting.Rules;

/// <summary>
/// Encrypts, once at start (after the migrations), the Slack URLs saved in clear before they were treated as
/// credentials: in rules and in the delivery log's channel snapshots. Nothing is left to do on later starts.
/// </summary>
public sealed class ClearUrlEncryption(IServiceScopeFactory scopes, ChannelSecrets secrets) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlertingDbContext>();
        // Only the rows holding such a URL are read: rules store a channel's type by name, the delivery log by number.
        var slack = ChannelType.Slack.ToString();
        var rules = await db.Rules.FromSql($"""
            SELECT * FROM alerting."Rules" WHERE EXISTS (SELECT 1 FROM jsonb_array_elements("Channels") AS c
                                                        WHERE c->>'Type' = {slack} AND c->>'Url' NOT LIKE 'dp1:%')
            """).ToListAsync(cancellationToken);
        foreach (var rule in rules)
        {
            foreach (var channel in rule.Channels)
            {
                secrets.ProtectClearUrl(channel); // a tracked owned entity: saved below
            }
        }

        var slackNumber = (int)ChannelType.Slack;
        var deliveries = await db.Deliveries.FromSql($"""
            SELECT * FROM alerting."Deliveries" WHERE ("Channel"->>'type')::int = {slackNumber} AND "Channel"->>'url' NOT LIKE 'dp1:%'
            """).ToListAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            var channel = delivery.Channel.Copy();
            if (secrets.ProtectClearUrl(channel))
            {
                db.Entry(delivery).Property(d => d.Channel).CurrentValue = channel;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
