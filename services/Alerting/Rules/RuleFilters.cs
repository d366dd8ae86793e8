namespace SentryFlow.Alerting.Rules;

/// <summary>Which requests a rule watches (null: any).</summary>
public sealed class RuleFilters
{
    public string? Route { get; set; }

    public string? Method { get; set; }

    public string? Consumer { get; set; }

    public int? StatusClass { get; set; }
}
