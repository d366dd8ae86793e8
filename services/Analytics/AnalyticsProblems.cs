using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Analytics;

/// <summary>
/// The analytics service's problem codes (<c>GET /problems</c> lists them with the common ones). Clients act on the
/// code, so a code, once added, is never renamed. A parameter that is merely the wrong shape (too long, not a number,
/// not one of the choices) is the common <c>request.invalid</c>, with <c>errors</c> naming it.
/// </summary>
public static class AnalyticsProblems
{
    /// <summary><c>from</c> or <c>to</c> is not a time, out of the years analytics answers for, reversed or too far apart.</summary>
    public static readonly ProblemType RangeInvalid = new("analytics.range_invalid", StatusCodes.Status400BadRequest, "The time range is not valid.");

    public static readonly ProblemType CursorInvalid = new("analytics.cursor_invalid", StatusCodes.Status400BadRequest, "The cursor is not one this API returned.");

    public static readonly ProblemType TooManyPoints = new(
        "analytics.too_many_points", StatusCodes.Status400BadRequest, "The interval is too fine for the range.");

    public static readonly ProblemType RecordNotFound = new("analytics.record_not_found", StatusCodes.Status404NotFound, "No such request record.");

    public static readonly ProblemType SettingsInvalid = new("analytics.settings_invalid", StatusCodes.Status400BadRequest, "The settings are not valid.");

    public static readonly ProblemType RuleQueryInvalid = new("analytics.rule_query_invalid", StatusCodes.Status400BadRequest, "The rule query is not valid.");

    public static readonly ProblemType LiveUnavailable = new(
        "analytics.live_unavailable", StatusCodes.Status503ServiceUnavailable, "The live feed is unavailable; retry shortly.");

    /// <summary>The caller, or the project, has as many live streams open as it may.</summary>
    public static readonly ProblemType TooManyStreams = new(
        "analytics.too_many_streams", StatusCodes.Status429TooManyRequests, "Too many live streams are open; close one or retry later.");
}
