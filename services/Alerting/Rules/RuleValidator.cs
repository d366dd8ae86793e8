using System.Net.Mail;
using System.Text.RegularExpressions;
using SentryFlow.Alerting.Apis.Requests;
using SentryFlow.Alerting.Destinations;
using SentryFlow.Alerting.Notifications;
using SentryFlow.Contracts.Analytics;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Alerting.Rules;

/// <summary>Checks a <see cref="RuleRequest"/> and builds the rule, naming every bad field (a 400, never a rule that cannot be evaluated).</summary>
public static partial class RuleValidator
{
    /// <summary>The longest window a threshold rule may watch (analytics answers up to 35 days).</summary>
    public const int MaxWindowSeconds = 35 * 24 * 3600;

    private const int MaxChannels = 10;

    private const int MaxRecipients = 20;

    /// <summary>The longest group wait or group interval: a day.</summary>
    private const int MaxGroupTimingSeconds = 24 * 3600;

    /// <summary>The longest repeat interval: a week.</summary>
    private const int MaxRepeatSeconds = 7 * 24 * 3600;

    private const int MaxLabels = 50;

    // Every string a rule holds is capped: nothing a tenant sends is stored, evaluated or sent at any length.
    private const int MaxNameLength = 200;

    private const int MaxLabelNameLength = 100;

    private const int MaxLabelValueLength = 1000;

    private const int MaxAnnotationValueLength = 4000;

    private const int MaxRouteLength = 1000;

    private const int MaxConsumerLength = 256;

    private const int MaxUrlLength = 2000;

    private const int MaxSecretLength = 1000;

    private const int MaxHostLength = 253;

    private const int MaxUsernameLength = 256;

    /// <summary>Every bad field of <paramref name="request"/>; a channel's destination is checked against <paramref name="destinations"/>.</summary>
    public static ProblemErrors Validate(RuleRequest request, DestinationPolicy destinations)
    {
        var errors = new ProblemErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength)
        {
            Rule(errors, "name", $"Required, at most {MaxNameLength} characters.");
        }

        switch (request.Kind)
        {
            case RuleKind.Threshold:
                ValidateThreshold(request, errors);
                break;
            case RuleKind.NoTraffic:
                if (request.Metric is not null and not RuleMetrics.RequestCount)
                {
                    Rule(errors, "metric", "A no-traffic rule watches requestCount; leave it out.");
                }

                RequireWindow(request, errors);
                if (request.Threshold is not >= 0)
                {
                    Rule(errors, "threshold", "Required: the floor of requests in the window, 0 or more.");
                }

                break;
            case RuleKind.SloBurnRate:
                if (request.Objective is not (> 0 and < 1))
                {
                    Rule(errors, "objective", "Required: the share of good requests over 30 days, between 0 and 1, e.g. 0.999.");
                }

                if (request.GroupBy is not null)
                {
                    Rule(errors, "groupBy", "An SLO rule is not grouped.");
                }

                break;
        }

        ValidateObjectiveKind(request, errors);
        ValidateFilters(request.Filters, errors);

        if (request.ForSeconds < 0 || request.ForSeconds > MaxWindowSeconds)
        {
            Rule(errors, "forSeconds", "0 or more seconds.");
        }

        if (request.KeepFiringForSeconds < 0 || request.KeepFiringForSeconds > MaxWindowSeconds)
        {
            Rule(errors, "keepFiringForSeconds", "0 or more seconds.");
        }

        if (request.Severity is { } severity && (severity.Length > 32 || !IsLabelName(severity)))
        {
            Rule(errors, "severity", "A word such as critical, warning, info, page or ticket.");
        }

        ValidateLabels(request.Labels, "labels", MaxLabelValueLength, errors);
        ValidateLabels(request.Annotations, "annotations", MaxAnnotationValueLength, errors);
        ValidateChannels(request.Channels, destinations, errors);
        ValidateGrouping(request, errors);
        return errors;
    }

    /// <summary>Whether the rule counts slow requests: a latency SLO, or a threshold rule on <c>slowCount</c>.</summary>
    public static bool TakesLatencyThreshold(RuleRequest request) =>
        (request.Kind == RuleKind.SloBurnRate && request.ObjectiveKind == SloObjective.Latency)
        || (request.Kind == RuleKind.Threshold && request.Metric is { } metric && RuleMetrics.NeedsThreshold(metric));

    /// <summary>Copies a valid request onto <paramref name="rule"/> (new or replaced).</summary>
    public static void Apply(RuleRequest request, AlertRule rule)
    {
        rule.Name = request.Name!.Trim();
        rule.Kind = request.Kind;
        rule.Metric = request.Kind switch
        {
            RuleKind.Threshold => request.Metric!,
            RuleKind.NoTraffic => RuleMetrics.RequestCount,
            _ when request.ObjectiveKind == SloObjective.Latency => RuleMetrics.SlowCount,
            _ => RuleMetrics.ErrorRate,
        };
        rule.Quantile = RuleMetrics.NeedsQuantile(rule.Metric) ? request.Quantile : null;
        rule.Filters = new RuleFilters
        {
            Route = request.Filters?.Route,
            Method = request.Filters?.Method?.ToUpperInvariant(),
            Consumer = request.Filters?.Consumer,
            StatusClass = request.Filters?.StatusClass,
        };
        rule.WindowSeconds = request.Kind == RuleKind.SloBurnRate ? 0 : request.WindowSeconds!.Value;
        rule.Condition = request.Kind switch
        {
            RuleKind.Threshold => RuleConditions.TryParse(request.Condition, out var condition) ? condition : default,
            RuleKind.NoTraffic => RuleCondition.Below,
            _ => RuleCondition.AtLeast,
        };
        rule.Threshold = request.Threshold ?? 0;
        rule.ForSeconds = request.ForSeconds;
        rule.KeepFiringForSeconds = request.KeepFiringForSeconds;
        rule.GroupBy = request.GroupBy;
        rule.Objective = request.Kind == RuleKind.SloBurnRate ? request.Objective : null;
        rule.ObjectiveKind = request.Kind == RuleKind.SloBurnRate ? request.ObjectiveKind ?? SloObjective.Availability : null;
        rule.LatencyThresholdMs = TakesLatencyThreshold(request) ? request.LatencyThresholdMs : null;
        rule.Severity = request.Severity ?? "warning";
        rule.Labels = request.Labels ?? [];
        rule.Annotations = request.Annotations ?? [];
        rule.Channels = [.. (request.Channels ?? []).OfType<ChannelRequest>().Select(c => c.Type == ChannelType.Email
            ? new NotificationChannel
            {
                Type = c.Type,
                To = [.. c.To!.Select(to => to.Trim())],
                From = c.From!.Trim(),
                SmtpHost = c.SmtpHost!.Trim(),
                SmtpPort = c.SmtpPort,
                SmtpTls = c.SmtpTls,
                Username = c.Username,
                Secret = c.Password,
            }
            : new NotificationChannel
            {
                Type = c.Type,
                Url = c.Url,
                Secret = c.Secret,
                RoutingKey = c.RoutingKey,
            })];
        rule.Enabled = request.Enabled;
        rule.GroupByLabels = request.GroupByLabels is { Count: > 0 } groupBy ? [.. groupBy.Distinct()] : null;
        rule.GroupWaitSeconds = request.GroupWaitSeconds;
        rule.GroupIntervalSeconds = request.GroupIntervalSeconds;
        rule.RepeatIntervalSeconds = request.RepeatIntervalSeconds;
    }

    private static void ValidateThreshold(RuleRequest request, ProblemErrors errors)
    {
        if (request.Metric is null || !RuleMetrics.All.Contains(request.Metric, StringComparer.Ordinal))
        {
            Rule(errors, "metric", $"One of {string.Join(", ", RuleMetrics.All)}.");
        }
        else if (RuleMetrics.NeedsQuantile(request.Metric) && request.Quantile is not (> 0 and <= 1))
        {
            Rule(errors, "quantile", "Required for this metric, in (0, 1], e.g. 0.95.");
        }
        else if (!RuleMetrics.IsRequestMetric(request.Metric) && (request.GroupBy is not null || request.Filters is not null))
        {
            Rule(errors, "filters", "Only request metrics can be filtered or grouped.");
        }

        RequireWindow(request, errors);
        if (!RuleConditions.TryParse(request.Condition, out _))
        {
            Rule(errors, "condition", $"One of {string.Join(" ", RuleConditions.Symbols)}.");
        }

        if (request.Threshold is null || !double.IsFinite(request.Threshold.Value))
        {
            Rule(errors, "threshold", "Required: the number the value is compared with.");
        }

        if (request.GroupBy is not null && !RuleMetrics.GroupBys.Contains(request.GroupBy, StringComparer.Ordinal))
        {
            Rule(errors, "groupBy", $"One of {string.Join(", ", RuleMetrics.GroupBys)}, or null.");
        }
    }

    /// <summary>The objective kind belongs to SLO rules and the latency threshold to what counts slow requests; elsewhere both are refused, not ignored.</summary>
    private static void ValidateObjectiveKind(RuleRequest request, ProblemErrors errors)
    {
        if (request.ObjectiveKind is not null && request.Kind != RuleKind.SloBurnRate)
        {
            Rule(errors, "objectiveKind", "Only for an SLO rule (kind sloBurnRate).");
        }

        if (TakesLatencyThreshold(request))
        {
            if (request.LatencyThresholdMs is not { } threshold || !double.IsFinite(threshold) || threshold <= 0)
            {
                Rule(errors, "latencyThresholdMs", "Required: the duration in milliseconds from which a request is slow, more than 0.");
            }
        }
        else if (request.LatencyThresholdMs is not null)
        {
            Rule(errors, "latencyThresholdMs", $"Only for a latency objective (objectiveKind latency) or the {RuleMetrics.SlowCount} metric.");
        }
    }

    private static void RequireWindow(RuleRequest request, ProblemErrors errors)
    {
        if (request.WindowSeconds is not (> 0 and <= MaxWindowSeconds))
        {
            Rule(errors, "windowSeconds", $"Required, between 1 and {MaxWindowSeconds} seconds.");
        }
    }

    private static void ValidateFilters(RuleFiltersRequest? filters, ProblemErrors errors)
    {
        if (filters?.StatusClass is < 1 or > 5)
        {
            Rule(errors, "filters.statusClass", "Between 1 and 5.");
        }

        if (filters?.Route?.Length > MaxRouteLength)
        {
            Rule(errors, "filters.route", $"At most {MaxRouteLength} characters.");
        }

        if (filters?.Method is { } method && (method.Length is 0 or > 16 || !method.All(char.IsAsciiLetter)))
        {
            Rule(errors, "filters.method", "An HTTP method such as GET or POST.");
        }

        if (filters?.Consumer?.Length > MaxConsumerLength)
        {
            Rule(errors, "filters.consumer", $"At most {MaxConsumerLength} characters.");
        }
    }

    private static void ValidateLabels(Dictionary<string, string>? labels, string field, int maxValueLength, ProblemErrors errors)
    {
        if (labels is null)
        {
            return;
        }

        if (labels.Count > MaxLabels || labels.Any(l => !IsLabelName(l.Key) || l.Value is null || l.Value.Length > maxValueLength))
        {
            Rule(errors, field,
                $"At most {MaxLabels}; names are letters, digits and underscores, not starting with a digit, up to {MaxLabelNameLength} characters; values up to {maxValueLength} characters.");
        }
    }

    private static void ValidateChannels(List<ChannelRequest?>? channels, DestinationPolicy destinations, ProblemErrors errors)
    {
        if (channels is null)
        {
            return;
        }

        if (channels.Count > MaxChannels)
        {
            Channel(errors, "channels", $"At most {MaxChannels}.");
            return;
        }

        for (var i = 0; i < channels.Count; i++)
        {
            var field = $"channels[{i}]";
            if (channels[i] is not { } channel)
            {
                Channel(errors, field, "A channel object, not null.");
                continue;
            }

            var needsUrl = channel.Type is ChannelType.Webhook or ChannelType.Slack;
            var isUrl = IsHttpUrl(channel.Url, out var url);
            if ((needsUrl || channel.Url is not null) && !isUrl)
            {
                Channel(errors, $"{field}.url", $"An absolute http or https URL, at most {MaxUrlLength} characters.");
            }
            else if (url is not null && !destinations.AllowsHost(url.DnsSafeHost))
            {
                errors.Add(AlertingProblems.DestinationRefused, $"{field}.url", RefusedMessage);
            }

            if (channel.Type == ChannelType.PagerDuty && (string.IsNullOrWhiteSpace(channel.RoutingKey) || channel.RoutingKey.Length > MaxSecretLength))
            {
                Channel(errors, $"{field}.routingKey", $"Required: the PagerDuty integration's routing key, at most {MaxSecretLength} characters.");
            }

            if (channel.Secret?.Length > MaxSecretLength)
            {
                Channel(errors, $"{field}.secret", $"At most {MaxSecretLength} characters.");
            }

            if (channel.Type == ChannelType.Email)
            {
                ValidateEmail(channel, field, destinations, errors);
            }
        }
    }

    private static void ValidateGrouping(RuleRequest request, ProblemErrors errors)
    {
        if (request.GroupByLabels is { } names && (names.Count > MaxLabels || names.Any(n => n != NotificationGroups.AllLabels && !IsLabelName(n))))
        {
            Rule(errors, "groupByLabels", $"At most {MaxLabels} label names, or [\"{NotificationGroups.AllLabels}\"] for every label.");
        }

        if (request.GroupWaitSeconds is < 0 or > MaxGroupTimingSeconds)
        {
            Rule(errors, "groupWaitSeconds", $"Between 0 and {MaxGroupTimingSeconds} seconds.");
        }

        if (request.GroupIntervalSeconds is < 1 or > MaxGroupTimingSeconds)
        {
            Rule(errors, "groupIntervalSeconds", $"Between 1 and {MaxGroupTimingSeconds} seconds.");
        }

        if (request.RepeatIntervalSeconds is < 1 or > MaxRepeatSeconds)
        {
            Rule(errors, "repeatIntervalSeconds", $"Between 1 and {MaxRepeatSeconds} seconds.");
        }
    }

    private static void ValidateEmail(ChannelRequest channel, string field, DestinationPolicy destinations, ProblemErrors errors)
    {
        if (channel.To is not { Count: > 0 and <= MaxRecipients } to || !to.All(IsEmailAddress))
        {
            Channel(errors, $"{field}.to", $"Required: 1 to {MaxRecipients} email addresses (name@example.com).");
        }

        if (!IsEmailAddress(channel.From))
        {
            Channel(errors, $"{field}.from", "Required: the sender's email address (name@example.com).");
        }

        if (string.IsNullOrWhiteSpace(channel.SmtpHost) || channel.SmtpHost.Trim().Length > MaxHostLength
            || Uri.CheckHostName(channel.SmtpHost.Trim()) == UriHostNameType.Unknown)
        {
            Channel(errors, $"{field}.smtpHost", "Required: the SMTP server's host name or IP address.");
        }
        else if (!destinations.AllowsHost(channel.SmtpHost))
        {
            errors.Add(AlertingProblems.DestinationRefused, $"{field}.smtpHost", RefusedMessage);
        }

        if (channel.SmtpPort is < 1 or > 65535)
        {
            Channel(errors, $"{field}.smtpPort", "Between 1 and 65535 (25 when left out).");
        }

        if (string.IsNullOrEmpty(channel.Username) != string.IsNullOrEmpty(channel.Password))
        {
            Channel(errors, $"{field}.password", "A username and a password go together.");
        }

        if (channel.Username?.Length > MaxUsernameLength)
        {
            Channel(errors, $"{field}.username", $"At most {MaxUsernameLength} characters.");
        }

        if (channel.Password?.Length > MaxSecretLength)
        {
            Channel(errors, $"{field}.password", $"At most {MaxSecretLength} characters.");
        }
    }

    /// <summary>A bare address (no display name, no line breaks that could inject headers).</summary>
    private static bool IsEmailAddress(string? address) =>
        !string.IsNullOrWhiteSpace(address) && address.Length <= 254 && !address.Any(char.IsControl)
        && MailAddress.TryCreate(address.Trim(), out var parsed) && parsed.Address == address.Trim() && parsed.Host.Length > 0;

    private static bool IsHttpUrl(string? text, out Uri? url)
    {
        url = text is { Length: <= MaxUrlLength } && Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps) ? parsed : null;
        return url is not null;
    }

    /// <summary>A label name as Prometheus has them, and short.</summary>
    public static bool IsLabelName(string? name) => name is { Length: > 0 and <= MaxLabelNameLength } && LabelName().IsMatch(name);

    private const string RefusedMessage =
        "Refused by policy: loopback, private, link-local and internal destinations (and names such as localhost or a single word) are not allowed unless the operator allows them (Alerting:Destinations:Allow).";

    private static void Rule(ProblemErrors errors, string field, string message) => errors.Add(AlertingProblems.RuleInvalid, field, message);

    private static void Channel(ProblemErrors errors, string field, string message) => errors.Add(AlertingProblems.ChannelInvalid, field, message);

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
