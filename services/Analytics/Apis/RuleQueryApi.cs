using Npgsql;
using SentryFlow.Analytics.Queries;
using SentryFlow.Analytics.RuleQueries;
using SentryFlow.Contracts.Analytics;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Apis;

/// <summary>
/// The endpoint alerting evaluates its rules with: one metric over a window, filtered and optionally grouped. Only
/// SentryFlow's own services call it (their service token, role <c>service</c>).
/// </summary>
public static class RuleQueryApi
{
    public static IEndpointRouteBuilder MapRuleQueryApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/internal/v1/projects/{projectId:guid}/rule-query", QueryAsync)
            .WithTags("Rule queries")
            .RequireAuthorization(SentryFlowPolicies.InternalService);
        return app;
    }

    private static async Task<IResult> QueryAsync(
        Guid projectId, RuleQueryRequest request, NpgsqlDataSource dataSource, RollupQueries rollups, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ProblemErrors();
        if (!RuleQueryWindow.TryResolve(request, time.GetUtcNow(), errors, out var from, out var to))
        {
            return errors.ToResult()!;
        }

        return TypedResults.Ok(await new RuleQueryStore(dataSource, rollups).QueryAsync(projectId, request, from, to, cancellationToken));
    }
}
