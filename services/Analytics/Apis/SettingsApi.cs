using SentryFlow.Analytics.Retention;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics.Apis;

/// <summary>A project's analytics settings (retention, Apdex threshold), and the retention job's last runs for platform admins.</summary>
public static class SettingsApi
{
    public const int MaxRetentionDays = 3650;

    public const double MaxApdexThresholdMs = 600_000;

    public static IEndpointRouteBuilder MapAnalyticsSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/projects/{projectId:guid}/analytics/settings").WithTags("Analytics settings");
        settings.MapGet("/", GetAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        settings.MapPut("/", PutAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);

        app.MapGet("/api/analytics/retention", RetentionRunsAsync)
            .WithTags("Analytics settings")
            .RequireAuthorization(SentryFlowPolicies.PlatformAdmin);
        return app;
    }

    private static async Task<AnalyticsSettings> GetAsync(Guid projectId, ProjectSettingsStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(projectId, cancellationToken);

    private static async Task<IResult> PutAsync(Guid projectId, AnalyticsSettings settings, ProjectSettingsStore store, CancellationToken cancellationToken)
    {
        var errors = new ProblemErrors();
        if (settings.RawRetentionDays is < 1 or > MaxRetentionDays)
        {
            errors.Add(AnalyticsProblems.SettingsInvalid, "rawRetentionDays", $"Between 1 and {MaxRetentionDays}.");
        }

        if (settings.RollupRetentionDays < settings.RawRetentionDays || settings.RollupRetentionDays > MaxRetentionDays)
        {
            errors.Add(AnalyticsProblems.SettingsInvalid, "rollupRetentionDays", $"At least rawRetentionDays and at most {MaxRetentionDays}.");
        }

        if (!(settings.ApdexThresholdMs > 0 && settings.ApdexThresholdMs <= MaxApdexThresholdMs))
        {
            errors.Add(AnalyticsProblems.SettingsInvalid, "apdexThresholdMs", $"Above 0 and at most {MaxApdexThresholdMs}.");
        }

        if (errors.ToResult() is { } invalid)
        {
            return invalid;
        }

        await store.SetAsync(projectId, settings, cancellationToken);
        return TypedResults.Ok(settings);
    }

    private static async Task<IReadOnlyList<RetentionRun>> RetentionRunsAsync(RetentionRunLog log, CancellationToken cancellationToken, int limit = 10) =>
        await log.LatestAsync(Math.Clamp(limit, 1, 100), cancellationToken);
}
