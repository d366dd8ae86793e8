using Microsoft.EntityFrameworkCore;
using SentryFlow.Alerting.Apis.Responses;
using SentryFlow.Alerting.Infrastructure;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Alerting.Rules;
using SentryFlow.ServiceDefaults.Authentication;

namespace SentryFlow.Alerting.Apis;

/// <summary>The delivery log: every notification decided, its channel, attempts, status and last error.</summary>
public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/projects/{projectId:guid}/alerting/deliveries", ListAsync)
            .WithTags("Deliveries")
            .RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        return app;
    }

    private static async Task<IResult> ListAsync(
        Guid projectId, AlertingDbContext db, ChannelSecrets secrets, CancellationToken cancellationToken,
        Guid? alertId = null, Guid? ruleId = null, DeliveryStatus? status = null, int limit = 100)
    {
        if (limit is < 1 or > 500)
        {
            return AlertingProblems.QueryInvalid.Validation("limit", "Between 1 and 500.");
        }

        var query = db.Deliveries.AsNoTracking().Where(d => d.ProjectId == projectId);
        if (alertId is not null)
        {
            query = query.Where(d => d.AlertIds.Contains(alertId.Value));
        }

        if (ruleId is not null)
        {
            query = query.Where(d => d.RuleId == ruleId);
        }

        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }

        var deliveries = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(deliveries.Select(d => DeliveryResponse.From(d, secrets)));
    }
}
