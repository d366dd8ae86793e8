namespace SentryFlow.Alerting.Notifications;

/// <summary>What one notification of a group says: Alertmanager's group fields and its alerts (firing and resolved).</summary>
public sealed class GroupNotification
{
    /// <summary><c>firing</c> when any of <see cref="Alerts"/> fires, else <c>resolved</c>.</summary>
    public string Status { get; set; } = "";

    public string RuleName { get; set; } = "";

    public string Severity { get; set; } = "";

    public string GroupKey { get; set; } = "";

    public Dictionary<string, string> GroupLabels { get; set; } = [];

    public List<NotificationMessage> Alerts { get; set; } = [];

    public int Firing => Alerts.Count(a => a.Status == Notifier.Firing);

    /// <summary>The labels (or annotations) every alert has with the same value, as Alertmanager's common labels.</summary>
    public static Dictionary<string, string> Common(IEnumerable<IReadOnlyDictionary<string, string>> sets)
    {
        Dictionary<string, string>? common = null;
        foreach (var set in sets)
        {
            common = common is null
                ? new Dictionary<string, string>(set, StringComparer.Ordinal)
                : common.Where(pair => set.TryGetValue(pair.Key, out var value) && value == pair.Value).ToDictionary(StringComparer.Ordinal);
        }

        return common ?? [];
    }
}
